#!/bin/sh
# The systemd unit's sandbox: `systemd-analyze security` scores it under
# 3.0 (it was 8.0), read offline from the file `make install` writes, and
# it still lets the daemon reach the USB modems' ttys.
. "$(dirname "$0")/lib.sh"

if ! systemd-analyze security --help 2>/dev/null | grep -q -- '--offline'; then
	echo "  SKIP: systemd-analyze with --offline (systemd 250+) not found"
	finish; exit
fi
sed -e "s|@SBINDIR@|$top/$KT_BUILD|g" -e "s|@SYSCONFDIR@|/etc|g" \
    "$top/scripts/kentongand.service" > "$T/kentongand.service"
(cd "$T" && systemd-analyze security --offline=true kentongand.service) \
    > "$T/score" 2>&1
score=$(sed -n 's/.*Overall exposure level for kentongand.service: \([0-9.]*\).*/\1/p' "$T/score")
echo "  exposure: ${score:-none}"
check "systemd-analyze scores the unit" test -n "$score"
check "exposure under 3.0" awk -v s="${score:-99}" 'BEGIN { exit !(s < 3.0) }'
check "the modems' ttys are allowed" sh -c "grep -q '^DeviceAllow=char-ttyUSB rw' '$T/kentongand.service' && grep -q '^DeviceAllow=char-ttyACM rw' '$T/kentongand.service'"
check "the state folder stays writable" grep -q '^StateDirectory=kentongan' "$T/kentongand.service"
check "the descriptor limit is raised" grep -q '^LimitNOFILE=' "$T/kentongand.service"
finish
