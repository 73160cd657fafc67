#!/usr/bin/env bash
#
# restart.sh - persistent state survives restarts, the archive and the
# history it gives joiners too; temporary rooms do not.
#
# usage: restart.sh --host prosody|ejabberd
#
# Starts the host (external mode) and mucd on a new database, runs
# scansion/restart/01_setup_persistent_state.scs, then:
#   1. restarts mucd alone and runs 02_state_survives_restarts.scs;
#   2. restarts the host and mucd (new ports, same database) and runs
#      02_state_survives_restarts.scs again;
# and checks with sqlite3 that the temporary room left no row and that
# the persistent room's archive holds its two messages, once.  Prints
# "N passed, M failed" and exits non-zero on any failure.  Every process
# is stopped by PID, also on failure or interrupt.  Environment as for
# run-suite.sh (SCANSION_RUN, MUCD, KEEP_TMP, TMPDIR).

set -euo pipefail
HARNESS_NAME=restart.sh
here=$(dirname "${BASH_SOURCE[0]}")
# shellcheck source=tests/harness/prosody.sh
source "$here/prosody.sh"
# shellcheck source=tests/harness/ejabberd.sh
source "$here/ejabberd.sh"
# shellcheck source=tests/harness/mucd.sh
source "$here/mucd.sh"

SCANSION_RUN=${SCANSION_RUN:-$HARNESS_DIR/../../build/bin/scansion-run}
scripts=$HARNESS_DIR/../../scansion/restart

host=
case "${1:-} ${2:-}" in
"--host prosody" | "--host ejabberd") host=$2 ;;
*) echo "usage: restart.sh --host prosody|ejabberd" >&2; exit 2 ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mucd-restart.XXXXXX")
db=$tmp/mucd.db
host_up=0 mucd_up=0 npass=0 nfail=0

stop_all() {
	((mucd_up)) && { mucd_stop "$tmp/mucd" || true; mucd_up=0; }
	((host_up)) && { "${host}_stop" "$tmp/host" || true; host_up=0; }
	return 0
}
on_exit() {
	local rc=$?
	trap - EXIT INT TERM
	stop_all
	if [[ "${KEEP_TMP:-0}" == 1 ]]; then harness_say "kept $tmp"; else rm -rf "$tmp"; fi
	exit "$rc"
}
trap on_exit EXIT
trap 'harness_say "interrupted"; exit 130' INT
trap 'harness_say "terminated"; exit 143' TERM

start_host() {
	rm -rf "$tmp/host"
	mkdir -p "$tmp/host"
	"${host}_start" "$tmp/host" external
	host_up=1
}
start_mucd() {
	mkdir -p "$tmp/mucd"
	cp "$tmp/host/host.env" "$tmp/mucd/host.env"
	mucd_start "$tmp/mucd" "$db"
	mucd_up=1
}
stop_mucd() { mucd_stop "$tmp/mucd"; mucd_up=0; }
stop_host() { "${host}_stop" "$tmp/host"; host_up=0; }

# step NAME SCRIPT: run one script against the current host, count it.
step() {
	local what=$1 script=$2 port
	port=$(harness_env_get "$tmp/host/host.env" C2S_PORT)
	if "$SCANSION_RUN" --host 127.0.0.1 --port "$port" "$script" </dev/null \
	    >"$tmp/out" 2>&1; then
		echo "PASS $what"
		npass=$((npass + 1))
	else
		grep -vE '^[0-9]+ passed, [0-9]+ failed$' "$tmp/out" || true
		echo "FAIL $what"
		tail -n 20 "$tmp/mucd/mucd.log" || true
		nfail=$((nfail + 1))
	fi
}

start_host
start_mucd
step "setup: persistent and temporary rooms" "$scripts/01_setup_persistent_state.scs"

stop_mucd
start_mucd
step "after a mucd restart: state is back" "$scripts/02_state_survives_restarts.scs"

stop_mucd
stop_host
start_host
start_mucd
step "after a host and mucd restart: state is back" "$scripts/02_state_survives_restarts.scs"

stop_all
left=$(sqlite3 "$db" "SELECT count(*) FROM rooms WHERE name = 'temp'")
kept=$(sqlite3 "$db" "SELECT count(*) FROM rooms WHERE name = 'keep'")
if [[ "$left" == 0 && "$kept" == 1 ]]; then
	echo "PASS the database holds the persistent room and no temporary one"
	npass=$((npass + 1))
else
	echo "FAIL the database holds keep: $kept row(s), temp: $left row(s)"
	nfail=$((nfail + 1))
fi
archived=$(sqlite3 "$db" "SELECT count(*) FROM archive a JOIN rooms r
    ON r.id = a.room_id WHERE r.name = 'keep'")
strays=$(sqlite3 "$db" "SELECT count(*) FROM archive WHERE room_id NOT IN
    (SELECT id FROM rooms)")
if [[ "$archived" == 2 && "$strays" == 0 ]]; then
	echo "PASS the archive holds the persistent room's two messages"
	npass=$((npass + 1))
else
	echo "FAIL the archive holds $archived message(s) of keep, $strays of no room"
	nfail=$((nfail + 1))
fi
echo "$npass passed, $nfail failed"
((nfail == 0))
