#!/bin/sh
# Install the Debian packages kentongan needs to build, run and test.
# Idempotent: installs only what is missing; as root, or through sudo.
# usage: scripts/deps.sh [--test] [--fuzz] [--valgrind] [--bench]
set -eu

pkgs="build-essential pkg-config libgammu-dev libevent-dev libsqlite3-dev
libconfig-dev libjansson-dev libcsv-dev libssl-dev libcrypt-dev"
for arg in "$@"; do
	case $arg in
	--test) pkgs="$pkgs libcmocka-dev sqlite3 gammu curl jq kannel chromium
	    chromium-driver python3-selenium systemd" ;;
	--fuzz) pkgs="$pkgs clang libclang-rt-dev" ;;
	--valgrind) pkgs="$pkgs valgrind" ;;
	--bench) pkgs="$pkgs gammu-smsd gammu sqlite3 kannel curl smstools" ;;
	*) echo "deps.sh: unknown option $arg" >&2; exit 2 ;;
	esac
done

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "deps.sh: installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1; then
	SUDO=sudo
else
	echo "deps.sh: need root to install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
