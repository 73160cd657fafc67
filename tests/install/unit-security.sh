#!/bin/bash
#
# unit-security.sh - the systemd unit as installed rates below 3.0 in
# "systemd-analyze security".
#
# usage: unit-security.sh UNIT_IN
#
# UNIT_IN is component/mucd.service.in; it is written with /usr/sbin/mucd
# as the package does.  The analysis is offline (no running systemd is
# needed).  Exit status 0 pass, 1 fail, 77 when systemd-analyze is missing
# or too old for --offline (systemd < 250).

set -u
IN=${1:?usage: unit-security.sh UNIT_IN}
command -v systemd-analyze >/dev/null ||
    { echo "unit-security: SKIP: no systemd-analyze"; exit 77; }
DIR=$(mktemp -d /tmp/mucd-unit.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
sed 's|@MUCD_SBIN@|/usr/sbin/mucd|g; s|@MUCD_EXAMPLEDIR@|/usr/share/mucd|g' \
    "$IN" >"$DIR/mucd.service"
grep -qE '@[A-Z_]+@' "$DIR/mucd.service" &&
    { echo "unit-security: FAIL: an @VARIABLE@ is left in the unit"; exit 1; }

systemd-analyze security --offline=yes "$DIR/mucd.service" >"$DIR/out" 2>&1
rc=$?
if grep -q "unrecognized option" "$DIR/out"; then
	echo "unit-security: SKIP: systemd-analyze has no --offline"
	exit 77
fi
[ "$rc" -eq 0 ] || { cat "$DIR/out"; echo "unit-security: FAIL: rc $rc"; exit 1; }
grep "Overall exposure level" "$DIR/out"
# The scale of --threshold is tenths: 29 allows at most 2.9.
if ! systemd-analyze security --offline=yes --threshold=29 \
    "$DIR/mucd.service" >/dev/null 2>&1; then
	grep '✗' "$DIR/out"
	echo "unit-security: FAIL: the exposure level is 3.0 or more"
	exit 1
fi
echo "unit-security: ok"
