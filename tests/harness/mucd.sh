#!/usr/bin/env bash
#
# mucd.sh - run mucd against a host started by prosody.sh or ejabberd.sh.
#
# usage:
#   mucd.sh start --dir DIR [--db FILE]
#   mucd.sh stop  --dir DIR
#
# start  reads DIR/host.env (written by "prosody.sh start" or
#        "ejabberd.sh start" in external mode), deletes DIR/mucd.db so the
#        daemon begins with no rooms, and runs
#            MUCD_SECRET=$COMPONENT_SECRET mucd --domain conference.localhost
#                --host 127.0.0.1 --port $COMPONENT_PORT --db DIR/mucd.db
#                --log-level debug --admin admin@localhost
#        (admin@localhost is the service admin of the scansion scripts;
#        $MUCD_ADMIN replaces it).
#        With --db FILE it uses FILE instead, and keeps what is in it (for
#        play.sh).  $MUCD_LOG_LEVEL replaces "debug"; $MUCD_ARGS, when
#        set, is split into words and added (tests/bench/compare.sh uses it
#        for mucd's performance settings).
#        in the background with stdout and stderr in DIR/mucd.log.  The
#        secret goes through the environment, never the command line (which
#        ps shows to everyone).  It waits at most 10 s for a log line with
#        the word "connected" (the handshake succeeded), then writes
#        DIR/mucd.env with MUCD_PID=..., MUCD_DB=... and MUCD_LOG=....
#        The binary is $MUCD, default build/bin/mucd of this repository.
# stop   stops the daemon whose PID is in DIR/mucd.env: SIGTERM, up to
#        10 s, then SIGKILL.  Doing nothing is fine when it is gone already.
#        Fails (status 1, the report's first lines on stderr) when mucd's
#        log holds a sanitizer report (a build with -DMUCD_SANITIZE=ON:
#        AddressSanitizer, LeakSanitizer at exit, UndefinedBehaviorSanitizer).
#
# Exit status 0 on success, 1 with a message and the log tail on failure.
# Sourcing the file defines mucd_start DIR [FILE] and mucd_stop DIR instead.

# shellcheck source=tests/harness/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MUCD=${MUCD:-$HARNESS_DIR/../../build/bin/mucd}

# mucd_log_says_connected LOG FIRSTLINE: has LOG, from line FIRSTLINE on, a
# line with the word "connected"?  As a word, so "disconnected" does not
# count.
mucd_log_says_connected() {
	tail -n "+$2" "$1" 2>/dev/null | grep -qw connected
}

# mucd_start DIR [DBFILE]: start mucd and wait for the handshake; on a fresh
# DIR/mucd.db, or on DBFILE as it is.
mucd_start() {
	local dir=$1 db=${2:-} env=$1/host.env pid i skip launcher=()
	local port secret domain host_log admin extra=()
	[[ -x "$MUCD" ]] || harness_die "mucd binary not found at $MUCD (build it, or set MUCD=...)"
	[[ -f "$env" ]] || harness_die "$env missing: start a host first"
	[[ "$(harness_env_get "$env" MODE)" != builtin ]] ||
	    harness_die "the host in $dir runs its builtin MUC; start it with --mode external"
	port=$(harness_env_get "$env" COMPONENT_PORT)
	secret=$(harness_env_get "$env" COMPONENT_SECRET)
	domain=$(harness_env_get "$env" MUC_DOMAIN)
	host_log=$(harness_env_get "$env" HOST_LOG)

	rm -f "$dir/mucd.env"
	if [[ -z "$db" ]]; then
		db=$dir/mucd.db
		rm -f "$db" "$db-wal" "$db-shm" "$db-journal"
	fi
	[[ "${HARNESS_DETACH:-0}" == 1 ]] && launcher=(setsid)
	# shellcheck disable=SC2206  # MUCD_ARGS is a word list
	[[ -n "${MUCD_ARGS:-}" ]] && extra=($MUCD_ARGS)
	# MUCD_ADMIN unset: the scripts' admin; empty: none from here (a
	# script naming its own admins in its settings, whose list a
	# command-line --admin would replace).
	admin=${MUCD_ADMIN-admin@localhost}
	[[ -n "$admin" ]] && extra=(--admin "$admin" "${extra[@]}")
	# The log is appended to (a suite may restart mucd in one directory);
	# only lines after the current end count for this start.
	touch "$dir/mucd.log"
	skip=$(($(wc -l <"$dir/mucd.log") + 1))
	MUCD_SECRET=$secret "${launcher[@]}" "$MUCD" \
	    --domain "$domain" --host 127.0.0.1 --port "$port" \
	    --db "$db" --log-level "${MUCD_LOG_LEVEL:-debug}" "${extra[@]}" \
	    </dev/null >>"$dir/mucd.log" 2>&1 &
	pid=$!

	# "connected" as a word: "disconnected" must not count.
	for ((i = 0; i < 100; i++)); do
		mucd_log_says_connected "$dir/mucd.log" "$skip" && break
		harness_pid_alive "$pid" ||
		    harness_die "mucd exited during start" "$dir/mucd.log" "$host_log"
		sleep 0.1
	done
	if ! mucd_log_says_connected "$dir/mucd.log" "$skip"; then
		harness_stop_pid "$pid" mucd "--db $db" 5
		harness_die "mucd did not log 'connected' within 10 s" \
		    "$dir/mucd.log" "$host_log"
	fi
	harness_write_env "$dir/mucd.env" MUCD_PID="$pid" MUCD_DB="$db" \
	    MUCD_LOG="$dir/mucd.log"
}

# mucd_stop DIR: stop the daemon described by DIR/mucd.env; fail if its
# log holds a sanitizer report.
mucd_stop() {
	local dir=$1 log
	[[ -f "$dir/mucd.env" ]] || return 0
	log=$(harness_env_get "$dir/mucd.env" MUCD_LOG)
	# mucd's command line holds its database path: that tells it is ours.
	harness_stop_pid "$(harness_env_get "$dir/mucd.env" MUCD_PID)" mucd \
	    "--db $(harness_env_get "$dir/mucd.env" MUCD_DB)" 10
	rm -f "$dir/mucd.env"
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$log" \
	    2>/dev/null; then
		harness_say "error: mucd's sanitizers reported (see $log):"
		grep -m 5 -E 'ERROR: |runtime error:|^    #[0-9]' "$log" >&2 || true
		return 1
	fi
	return 0
}

mucd_main() {
	local cmd=${1:-} dir='' db=''
	shift || true
	while (($#)); do
		case "$1" in
		--dir) dir=${2:?--dir needs a value}; shift 2 ;;
		--db) db=${2:?--db needs a value}; shift 2 ;;
		*) harness_die "unknown argument '$1' (see the top of $0)" ;;
		esac
	done
	dir=$(harness_need_dir "$dir")
	case "$cmd" in
	start) HARNESS_DETACH=1 mucd_start "$dir" "$db" ;;
	stop) mucd_stop "$dir" ;;
	*) harness_die "usage: mucd.sh start|stop --dir DIR" ;;
	esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
	set -euo pipefail
	HARNESS_NAME=mucd.sh
	mucd_main "$@"
fi
