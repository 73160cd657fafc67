#!/bin/bash
#
# deb.sh - the Debian package as an operator meets it: build it with
# cpack, install it with dpkg -i, check what it set up, run the installed
# mucd as its user, remove it (data kept), install again, purge it (all
# gone).
#
# usage: deb.sh BUILD_DIR
#
# BUILD_DIR is a configured and built tree (it holds CPackConfig.cmake);
# the package is written to a temporary directory, not into it.  This
# changes the machine (CI runs it as root on a fresh one), so it refuses,
# with exit status 77, when it is not root, when dpkg or cpack is missing,
# or when anything it would create or purge is there already and not
# from an earlier run of this test: a mucd package of another maintainer,
# a mucd user or /var/lib/mucd without the package (a from-source
# install, whose data a purge would delete).  A leftover package of ours
# (an interrupted run) is purged first.  Whatever it installed is purged
# again on exit, also on failure.  Exit status 0 pass, 1 fail, 77 skip.

set -u
BUILD=${1:?usage: deb.sh BUILD_DIR}
MAINT="mucd maintainers <mucd@localhost>"
DIR=
INSTALLED=0
PID=

say() { echo "deb: $*"; }
skip() { say "SKIP: $*"; exit 77; }
fail() {
	say "FAIL: $*"
	for f in "$DIR"/*.log; do
		[ -s "$f" ] && { echo "---- $f"; tail -n 30 "$f"; }
	done
	exit 1
}
cleanup() {
	if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
		kill -TERM "$PID"
		wait "$PID" 2>/dev/null
	fi
	((INSTALLED)) && dpkg --purge mucd >>"$DIR/purge.log" 2>&1
	[ -n "$DIR" ] && rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# 1. May we change this machine?
((EUID == 0)) || skip "not root (dpkg -i needs root)"
command -v dpkg >/dev/null || skip "no dpkg"
command -v cpack >/dev/null || skip "no cpack"
[ -f "$BUILD/CPackConfig.cmake" ] || fail "$BUILD has no CPackConfig.cmake"
if dpkg-query -W -f='${db:Status-Status}' mucd 2>/dev/null | grep -q installed ||
    dpkg-query -W -f='${db:Status-Status}' mucd 2>/dev/null | grep -q config-files; then
	[ "$(dpkg-query -W -f='${Maintainer}' mucd)" = "$MAINT" ] ||
	    skip "a mucd package from somebody else is installed"
	say "purging the mucd package an earlier run left"
	dpkg --purge mucd >/dev/null || fail "cannot purge the leftover package"
fi
getent passwd mucd >/dev/null && skip "a mucd user exists without the package (a from-source install?)"
[ -e /var/lib/mucd ] && skip "/var/lib/mucd exists without the package"
[ -e /etc/mucd.conf ] && skip "/etc/mucd.conf exists without the package"
DIR=$(mktemp -d /tmp/mucd-deb.XXXXXX)

# 2. Build and install.
cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$DIR" >"$DIR/cpack.log" 2>&1 ||
    fail "cpack failed"
deb=$(ls "$DIR"/mucd_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || fail "cpack made no .deb"
INSTALLED=1
dpkg -i "$deb" >"$DIR/install.log" 2>&1 || fail "dpkg -i failed"

# 3. What the package set up.
[ -x /usr/sbin/mucd ] || fail "no /usr/sbin/mucd"
/usr/sbin/mucd --version | grep -q '^mucd ' || fail "mucd --version"
[ -x /usr/sbin/mucctl ] || fail "no /usr/sbin/mucctl"
for f in /usr/share/man/man8/mucd.8 /usr/share/man/man8/mucctl.8 \
    /usr/share/man/man5/mucd.conf.5 \
    /usr/share/mucd/mucd.conf.example /usr/lib/systemd/system/mucd.service; do
	[ -f "$f" ] || fail "$f is not installed"
done
grep -q '^ExecStart=/usr/sbin/mucd --config /etc/mucd.conf$' \
    /usr/lib/systemd/system/mucd.service || fail "the unit does not run /usr/sbin/mucd"
uid=$(id -u mucd 2>/dev/null) || fail "no mucd user"
((uid < 1000)) || fail "mucd is not a system user (uid $uid)"
[ "$(stat -c '%U:%G %a' /var/lib/mucd)" = "mucd:mucd 750" ] ||
    fail "/var/lib/mucd is $(stat -c '%U:%G %a' /var/lib/mucd)"
[ "$(stat -c '%U:%G %a' /etc/mucd.conf)" = "root:mucd 640" ] ||
    fail "/etc/mucd.conf is $(stat -c '%U:%G %a' /etc/mucd.conf)"
grep -q '^db = /var/lib/mucd/mucd.db$' /etc/mucd.conf ||
    fail "/etc/mucd.conf does not put the database in /var/lib/mucd"

# 4. The documented check, with the secret not in this shell.
env -u MUCD_SECRET /usr/sbin/mucd -n --config /etc/mucd.conf \
    >"$DIR/check.log" 2>&1 || fail "mucd -n --config /etc/mucd.conf failed"
grep -qx "configuration OK" "$DIR/check.log" || fail "no 'configuration OK'"

# 5. The installed mucd, as its user, in its directory (as the unit runs
#    it), towards a closed port: it creates its database and retries.
(cd /var/lib/mucd && MUCD_SECRET=s exec setpriv --reuid=mucd --regid=mucd \
    --init-groups /usr/sbin/mucd --config /etc/mucd.conf --port 1) \
    >"$DIR/run.log" 2>&1 &
PID=$!
for _ in $(seq 100); do
	grep -q "retrying in" "$DIR/run.log" && break
	sleep 0.1
done
grep -q "retrying in" "$DIR/run.log" || fail "the installed mucd did not start"
kill -TERM "$PID"
wait "$PID" || fail "mucd did not exit 0 on SIGTERM"
PID=
[ "$(stat -c '%U' /var/lib/mucd/mucd.db 2>/dev/null)" = mucd ] ||
    fail "no database owned by mucd in /var/lib/mucd"

# 6. Remove keeps data, config and user; purge removes them.
dpkg -r mucd >"$DIR/remove.log" 2>&1 || fail "dpkg -r failed"
[ ! -e /usr/sbin/mucd ] || fail "dpkg -r left /usr/sbin/mucd"
[ -f /var/lib/mucd/mucd.db ] || fail "dpkg -r removed the database"
[ -f /etc/mucd.conf ] || fail "dpkg -r removed /etc/mucd.conf"
getent passwd mucd >/dev/null || fail "dpkg -r removed the user"
dpkg -i "$deb" >>"$DIR/install.log" 2>&1 || fail "dpkg -i after remove failed"
[ -f /var/lib/mucd/mucd.db ] || fail "reinstalling lost the database"
dpkg --purge mucd >"$DIR/purge.log" 2>&1 || fail "dpkg --purge failed"
INSTALLED=0
[ ! -e /var/lib/mucd ] || fail "purge left /var/lib/mucd"
[ ! -e /etc/mucd.conf ] || fail "purge left /etc/mucd.conf"
getent passwd mucd >/dev/null && fail "purge left the mucd user"
getent group mucd >/dev/null && fail "purge left the mucd group"
say "ok: built $(basename "$deb"), installed, ran, removed, purged"
