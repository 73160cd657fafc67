#!/bin/bash
#
# operator-guide.sh - the steps of docs/operator.md that can run here, run
# as written: the source install ("cmake --install build", into a DESTDIR
# so the machine is not touched) must put every file where the guide's
# table says; the installed binary checks the installed example without a
# secret ("mucd -n"); every SQL recipe, in the guide's order, runs on a
# fresh database that mucd created, and each one that writes changes rows;
# the backup command makes a sound copy.
#
# usage: operator-guide.sh SOURCE_DIR BUILD_DIR
#
# Exit status 0 pass, 1 fail, 77 when sqlite3 is missing.

set -u
SRC=${1:?usage: operator-guide.sh SOURCE_DIR BUILD_DIR}
BUILD=${2:?usage: operator-guide.sh SOURCE_DIR BUILD_DIR}
GUIDE=$SRC/docs/operator.md
command -v sqlite3 >/dev/null || { echo "operator-guide: SKIP: no sqlite3"; exit 77; }
DIR=$(mktemp -d /tmp/mucd-guide.XXXXXX)
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	rm -rf "$DIR"
}
trap cleanup EXIT

fail() {
	echo "operator-guide: FAIL: $*"
	for f in "$DIR"/*.log; do
		[ -s "$f" ] && { echo "---- $f"; tail -n 20 "$f"; }
	done
	exit 1
}

# 1. "cmake --install build", as in "Build and install", under DESTDIR.
DESTDIR=$DIR/root cmake --install "$BUILD" >"$DIR/install.log" 2>&1 ||
    fail "cmake --install failed"
# FILE|WHAT THE GUIDE'S TABLE SAYS
for row in \
    "/usr/local/sbin/mucd|/usr/local/sbin/mucd" \
    "/usr/local/sbin/mucctl|/usr/local/sbin/mucctl" \
    "/usr/local/share/man/man8/mucctl.8|/usr/local/share/man/" \
    "/usr/local/share/man/man8/mucd.8|/usr/local/share/man/" \
    "/usr/local/share/man/man5/mucd.conf.5|/usr/local/share/man/" \
    "/usr/local/share/mucd/mucd.conf.example|/usr/local/share/mucd/mucd.conf.example" \
    "/usr/local/lib/systemd/system/mucd.service|/usr/local/lib/systemd/system/mucd.service"; do
	file=${row%%|*}
	[ -f "$DIR/root$file" ] || fail "cmake --install did not install $file"
	grep -qF -- "\`${row#*|}\`" "$GUIDE" || fail "the guide's table does not say ${row#*|}"
done
grep -q '^ExecStart=/usr/local/sbin/mucd --config /etc/mucd.conf$' \
    "$DIR/root/usr/local/lib/systemd/system/mucd.service" ||
    fail "the installed unit does not run /usr/local/sbin/mucd"

# 2. "mucd -n --config FILE" on the installed example, without a secret.
env -u MUCD_SECRET "$DIR/root/usr/local/sbin/mucd" -n \
    --config "$DIR/root/usr/local/share/mucd/mucd.conf.example" \
    >"$DIR/check.log" 2>&1 || fail "mucd -n on the installed example failed"
grep -qx "configuration OK" "$DIR/check.log" || fail "no 'configuration OK'"

# 3. A fresh database, created by mucd itself (it carries the schema):
#    start it towards a closed port and stop it once it has tried.
MUCD_SECRET=s "$BUILD/bin/mucd" --domain conference.example.org --port 1 \
    --db "$DIR/mucd.db" >"$DIR/mucd.log" 2>&1 &
PID=$!
for _ in $(seq 100); do
	grep -q "retrying in" "$DIR/mucd.log" && break
	sleep 0.1
done
kill -TERM "$PID"
wait "$PID" || fail "mucd did not exit 0"
PID=
[ -s "$DIR/mucd.db" ] || fail "mucd did not create its database"

# 4. The SQL recipes: every ```sql block of the guide, in order, each in
#    its own sqlite3 run that stops at the first error.
awk -v dir="$DIR" '
	/^```sql$/ { n++; f = sprintf("%s/recipe%02d.sql", dir, n); inside = 1; next }
	/^```$/ && inside { inside = 0; close(f); next }
	inside { print > f }
' "$GUIDE"
ls "$DIR"/recipe*.sql >/dev/null 2>&1 || fail "no \`\`\`sql block in the guide"
n=0
for f in "$DIR"/recipe*.sql; do
	n=$((n + 1))
	{ cat "$f"; echo "SELECT 'changes=' || total_changes();"; } |
	    sqlite3 -bail "$DIR/mucd.db" >"$DIR/recipe.log" 2>&1 ||
	    fail "recipe $n failed: $(cat "$f")"
	if grep -qiE '^(INSERT|UPDATE|DELETE)' "$f" &&
	    grep -qx 'changes=0' "$DIR/recipe.log"; then
		fail "recipe $n changed nothing: $(cat "$f")"
	fi
done
state=$(sqlite3 "$DIR/mucd.db" "SELECT name, members_only FROM rooms ORDER BY name;
    SELECT room, jid, affiliation FROM room_affiliations ORDER BY room, jid;")
[ "$state" = "staff|1
staff|alice@example.org|owner" ] ||
    fail "after the recipes the database holds: $state"

# 5. The backup command of "Backups, upgrades".
sqlite3 "$DIR/mucd.db" ".backup $DIR/backup.db" || fail "the backup failed"
[ "$(sqlite3 "$DIR/backup.db" 'PRAGMA integrity_check;')" = ok ] ||
    fail "the backup is not sound"
echo "operator-guide: ok: install table, mucd -n, $n SQL recipes, backup"
