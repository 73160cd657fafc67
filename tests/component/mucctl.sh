#!/bin/bash
#
# mucctl.sh - mucctl against a database mucd created: each command, its
# output, its refusals and exit statuses, and the rows it writes (the
# operator contract that a running mucd picks up; the engine's side of it
# is tested in tests/unit/test_reload.c).
#
# usage: mucctl.sh CASE MUCCTL MUCD
#
# No XMPP server: mucd is started on a closed port only to create the
# database, and stopped by its PID.  Exit status: 0 pass, 1 fail.

set -u

CASE=${1:?usage: mucctl.sh CASE MUCCTL MUCD}
MUCCTL=${2:?usage: mucctl.sh CASE MUCCTL MUCD}
MUCD=${3:?usage: mucctl.sh CASE MUCCTL MUCD}

DIR=$(mktemp -d /tmp/mucd-mucctl.XXXXXX)
MUCD_PID=
cleanup() {
	[ -n "$MUCD_PID" ] && kill "$MUCD_PID" 2>/dev/null && wait "$MUCD_PID"
	rm -rf "$DIR"
}
trap cleanup EXIT
DB=$DIR/mucd.db

fail() {
	echo "mucctl: FAIL: $*"
	for f in "$DIR/out" "$DIR/err"; do
		[ -s "$f" ] && { echo "---- $f"; cat "$f"; }
	done
	exit 1
}

# A database at mucd's schema: mucd creates it on start, before it tries
# the (closed) port.
make_db() {
	MUCD_SECRET=x "$MUCD" --domain conference.localhost --port 1 --db "$DB" \
	    >"$DIR/mucd.log" 2>&1 &
	MUCD_PID=$!
	for _ in $(seq 100); do
		grep -q "retrying" "$DIR/mucd.log" 2>/dev/null && break
		sleep 0.05
	done
	kill "$MUCD_PID"; wait "$MUCD_PID" 2>/dev/null; MUCD_PID=
	[ -s "$DB" ] || fail "mucd did not create the database"
}

ctl() { "$MUCCTL" -d "$DB" "$@" >"$DIR/out" 2>"$DIR/err"; RC=$?; }
sql() { sqlite3 "$DB" "$1"; }
expect_rc() { [ "$RC" -eq "$1" ] || fail "exit status $RC, want $1"; }
expect_out() { grep -Eq -- "$1" "$DIR/out" || fail "no line like '$1'"; }
expect_err() { grep -Eq -- "$1" "$DIR/err" || fail "no error like '$1'"; }
expect_sql() {
	[ "$(sql "$1")" = "$2" ] || fail "$1 gives '$(sql "$1")', want '$2'"
}

case_create_set_and_room_show_what_was_written() {
	make_db
	ctl create Lobby; expect_rc 0	# nodeprep: lobby
	ctl set lobby roomname "The Lobby"; expect_rc 0
	ctl set lobby members_only true; expect_rc 0
	ctl set lobby muc#roomconfig_allowpm moderators; expect_rc 0
	ctl set lobby presencebroadcast "moderator participant"; expect_rc 0
	expect_sql "SELECT title, members_only, allow_pm, presence_broadcast FROM rooms" \
	    "The Lobby|1|moderators|moderator participant"
	ctl room lobby; expect_rc 0
	expect_out "^title +The Lobby$"
	expect_out "^members_only +1$"
	expect_out "^password +\(none\)$"
	ctl set lobby roomsecret s3cr3t; expect_rc 0
	ctl room lobby
	expect_out "^password +\(set\)$"
	! grep -q s3cr3t "$DIR/out" || fail "the password was shown"
}

case_set_refuses_bad_values_and_writes_nothing() {
	make_db
	ctl create lobby
	ctl set lobby whois everybody; expect_rc 2; expect_err "not a value"
	ctl set lobby maxusers 2000000; expect_rc 2
	ctl set lobby moderatedroom maybe; expect_rc 2
	ctl set lobby nosuchoption 1; expect_rc 2; expect_err "no room option"
	ctl set nowhere title x; expect_rc 1; expect_err "no stored room"
	expect_sql "SELECT whois, max_users, moderated FROM rooms" "moderators|0|0"
}

case_affiliation_grants_bans_and_removes() {
	make_db
	ctl create lobby
	ctl affiliation lobby Alice@Example.ORG owner; expect_rc 0
	ctl affiliation lobby troll@example.org outcast spam; expect_rc 0
	expect_sql "SELECT jid, affiliation, reason FROM room_affiliations ORDER BY jid" \
	    "alice@example.org|owner|
troll@example.org|outcast|spam"
	ctl affiliation lobby troll@example.org none; expect_rc 0
	expect_sql "SELECT count(*) FROM affiliations" "1"
	ctl affiliation lobby x@y king; expect_rc 2
	ctl affiliation nowhere a@b member; expect_rc 1
}

case_destroy_leaves_the_reason_for_mucd() {
	make_db
	ctl create lobby
	ctl destroy lobby "Moved" agora@conference.localhost; expect_rc 0
	expect_sql "SELECT count(*) FROM rooms" "0"
	expect_sql "SELECT room, reason, alternate FROM destroy_reasons" \
	    "lobby|Moved|agora@conference.localhost"
	ctl destroy lobby; expect_rc 1
	# A failed destroy writes no reason either.
	ctl destroy nowhere "why"; expect_rc 1
	expect_sql "SELECT count(*) FROM destroy_reasons WHERE room = 'nowhere'" "0"
}

case_rooms_unused_and_stats_read_what_mucd_keeps() {
	make_db
	ctl create old; ctl create fresh; ctl create busy
	sql "UPDATE rooms SET created = 1000, last_activity = 2000 WHERE name = 'old';
	     UPDATE rooms SET created = 1000, last_activity = 0 WHERE name = 'busy';
	     INSERT INTO occupancy (room, occupants) VALUES ('busy', 3), ('temp', 2);"
	ctl unused 30; expect_rc 0
	expect_out "^old +1970-01-01 00:33$"
	! grep -q "^fresh\|^busy" "$DIR/out" || fail "a used room is listed"
	ctl rooms; expect_rc 0
	expect_out "^busy +3 "
	expect_out "^temp +2 .* temporary"
	ctl stats; expect_rc 0
	expect_out "^stored rooms +3$"
	expect_out "^occupants +5$"
}

case_refuses_a_database_of_another_schema_version() {
	make_db
	sql "PRAGMA user_version = 999"
	ctl rooms; expect_rc 1; expect_err "schema version 999"
}

case_reads_the_database_path_from_the_config_file() {
	make_db
	printf 'domain = conference.localhost\ndb = %s\n' "$DB" >"$DIR/mucd.conf"
	"$MUCCTL" -c "$DIR/mucd.conf" stats >"$DIR/out" 2>"$DIR/err"; RC=$?
	expect_rc 0; expect_out "^stored rooms +0$"
	"$MUCCTL" -c "$DIR/nonexistent.conf" stats >"$DIR/out" 2>"$DIR/err"; RC=$?
	expect_rc 2
	"$MUCCTL" nonsense >"$DIR/out" 2>"$DIR/err"; RC=$?
	expect_rc 2; expect_err "^usage:"
}

"case_$CASE"
