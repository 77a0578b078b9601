#!/bin/sh
# One owner per table (tests/lint/owners.pl), on the real sources, and on
# scratch files to show the check can fail: a stray INSERT in a second
# file, and a write from a front door.
cd "$(dirname "$0")/../.." || exit 2
fail=0
check() { # check NAME COMMAND...
	name=$1; shift
	if "$@"; then echo "  ok: $name"; else echo "  FAIL: $name"; fail=1; fi
}
T=$(mktemp -d /tmp/kt-owners.XXXXXX)
trap 'rm -rf "$T"' EXIT

perl tests/lint/owners.pl $(find daemon modem -name '*.c' | sort) > "$T/real.out"
check "every table has one owner in the sources" test ! -s "$T/real.out"
cat "$T/real.out"

mkdir -p "$T/daemon/cli"
cat > "$T/daemon/contact.c" <<'C'
static const char sql[] = "INSERT OR IGNORE INTO contacts (phone, "
    "created_at) VALUES (?1, ?2)";
C
cat > "$T/daemon/stray.c" <<'C'
/* UPDATE contacts SET name in a comment does not count */
static const char sql[] = "UPDATE "
    "contacts SET name = ? WHERE id = ?";
C
cat > "$T/daemon/cli/thing.c" <<'C'
static const char sql[] = "DELETE FROM things WHERE id = ?";
C
cat > "$T/daemon/console_thing.c" <<'C'
static const char sql[] = "UPDATE inbox SET needs_person = 0";
C
perl tests/lint/owners.pl "$T/daemon/contact.c" "$T/daemon/stray.c" \
    "$T/daemon/cli/thing.c" "$T/daemon/console_thing.c" > "$T/scratch.out"
check "a second writer is named with file and table" \
    grep -q "table contacts is written from 2 files: .*daemon/contact.c:1, .*daemon/stray.c:2" "$T/scratch.out"
check "a write from a front door is named" \
    grep -q "daemon/cli/thing.c:1: writes table things, but is a front door" "$T/scratch.out"
check "a write from the web console is named" \
    grep -q "daemon/console_thing.c:1: writes table inbox, but is a front door" "$T/scratch.out"
check "the comment is not taken for a write" \
    test "$(grep -c stray.c "$T/scratch.out")" = 1
check "the check exits non-zero on them" \
    sh -c "! perl tests/lint/owners.pl '$T/daemon/contact.c' '$T/daemon/stray.c' >/dev/null"
check "one owner alone passes" perl tests/lint/owners.pl "$T/daemon/contact.c"
exit $fail
