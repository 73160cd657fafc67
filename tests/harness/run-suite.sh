#!/usr/bin/env bash
#
# run-suite.sh - run scansion scripts against a private host, fresh each time.
#
# usage:
#   run-suite.sh --host prosody|ejabberd --mode external|builtin
#                [--expect-fail] SCRIPT.scs...
#
# For every SCRIPT the rooms start empty:
#   external  the host (Prosody or ejabberd, conference.localhost as an
#             external component) is started once; for each script a new
#             mucd is started on a new, empty SQLite database, and stopped
#             after the script.
#   builtin   the host with its own MUC is started for each script and
#             stopped after it (its rooms live in memory).
# Each script is run by
#   scansion-run --host 127.0.0.1 --port $C2S_PORT $SCANSION_ARGS SCRIPT
# and its report is printed.  When a script fails, the tails of the host
# and mucd logs follow.  The last line is "N passed, M failed".
#
# --expect-fail  inverts the verdict: every script must FAIL (calibration:
#                a runner that passes a deliberately broken script is
#                broken).  A script that fails with a syntax error does not
#                count as failing "as expected".
#
# Exit status: 0 when every script gave the expected result, 1 otherwise,
# also when a host or mucd could not be started (the remaining scripts are
# then counted as failed without running them).
#
# Environment:
#   SCANSION_RUN   the runner       (default: build/bin/scansion-run)
#   MUCD           the daemon       (default: build/bin/mucd)
#   SQLBOT         the operator bot (default: build/bin/sqlbot), started for
#                  scripts whose header says '## needs: operator'
#   SCANSION_ARGS  extra runner options, e.g. "--timeout 10"
#   SCRIPT_TIMEOUT seconds one script may take before it is killed (300)
#   HARNESS_TAIL_LINES  lines of each log shown for a failed script (60;
#                  0 shows none)
#   KEEP_TMP=1     keep the temporary directory (its path is printed)
#   TMPDIR         where the temporary directory goes (default /tmp)
#
# Every process started here (hosts, mucd, sqlbot, the runner) is stopped by its
# PID when the script ends, also on failure, on error and on SIGINT or
# SIGTERM.

set -euo pipefail
HARNESS_NAME=run-suite.sh
here=$(dirname "${BASH_SOURCE[0]}")
# shellcheck source=tests/harness/prosody.sh
source "$here/prosody.sh"
# shellcheck source=tests/harness/ejabberd.sh
source "$here/ejabberd.sh"
# shellcheck source=tests/harness/mucd.sh
source "$here/mucd.sh"

SCANSION_RUN=${SCANSION_RUN:-$HARNESS_DIR/../../build/bin/scansion-run}
SQLBOT=${SQLBOT:-$HARNESS_DIR/../../build/bin/sqlbot}
SCRIPT_TIMEOUT=${SCRIPT_TIMEOUT:-300}

usage() {
	echo "usage: run-suite.sh --host prosody|ejabberd --mode external|builtin [--expect-fail] SCRIPT.scs..." >&2
	exit 2
}

# --- Arguments --------------------------------------------------------------

host='' mode='' expect_fail=0
scripts=()
while (($#)); do
	case "$1" in
	--host) host=${2:-}; shift 2 || usage ;;
	--mode) mode=${2:-}; shift 2 || usage ;;
	--expect-fail) expect_fail=1; shift ;;
	--help | -h) usage ;;
	-*) harness_say "unknown option '$1'"; usage ;;
	*) scripts+=("$1"); shift ;;
	esac
done
[[ "$host" == prosody || "$host" == ejabberd ]] || usage
[[ "$mode" == external || "$mode" == builtin ]] || usage
((${#scripts[@]} > 0)) || usage
for s in "${scripts[@]}"; do
	[[ -r "$s" ]] || harness_die "cannot read script $s"
done
[[ -x "$SCANSION_RUN" ]] ||
    harness_die "scansion-run not found at $SCANSION_RUN (build it, or set SCANSION_RUN=...)"
if [[ "$mode" == external && ! -x "$MUCD" ]]; then
	harness_die "mucd not found at $MUCD (build it, or set MUCD=...)"
fi

# --- State and cleanup ------------------------------------------------------

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mucd-suite.XXXXXX")
host_dir=	# directory of the running host, empty when none runs
mucd_dir=	# directory of the running mucd, empty when none runs
runner_pid=	# PID of the running scansion-run (under timeout(1))
sqlbot_pid=	# PID of the running sqlbot, for scripts that need an operator
npass=0 nfail=0 ndone=0
ok=1		# cleared by any unexpected result

# Stop whatever still runs.  Safe to call more than once.
stop_all() {
	if [[ -n "$runner_pid" ]]; then
		harness_stop_pid "$runner_pid" scansion-run "$SCANSION_RUN" 5 || true
		runner_pid=
	fi
	stop_sqlbot
	if [[ -n "$mucd_dir" ]]; then
		mucd_stop "$mucd_dir" || true
		mucd_dir=
	fi
	if [[ -n "$host_dir" ]]; then
		"${host}_stop" "$host_dir" || true
		host_dir=
	fi
}

# EXIT trap: stop everything, print the summary if the loop did not get to
# it (a start failed, or a signal came), remove the temporary directory.
on_exit() {
	local rc=$?
	trap - EXIT INT TERM
	stop_all
	if ((ndone < ${#scripts[@]})); then
		harness_say "stopped early; $((${#scripts[@]} - ndone)) script(s) not run or not finished"
		nfail=$((nfail + ${#scripts[@]} - ndone))
		echo "$npass passed, $nfail failed"
		((rc != 0)) || rc=1
	fi
	if [[ "${KEEP_TMP:-0}" == 1 ]]; then
		harness_say "kept $tmp"
	else
		rm -rf "$tmp"
	fi
	exit "$rc"
}
trap on_exit EXIT
trap 'harness_say "interrupted"; exit 130' INT
trap 'harness_say "terminated"; exit 143' TERM

# start_host DIR: start the host in DIR in the suite's mode.
# A script that changes mucd's database behind its back says so in its
# header with "## needs: operator"; it then gets sqlbot (sqlbot.c), which
# runs the SQL it is sent on that database.  Only mucd has a database.
needs_operator() {
	grep -q '^## needs: operator' "$1"
}

# start_sqlbot DIR C2S_PORT: log the bot in as sqlbot@localhost/bot and wait
# (at most 10 s) until it says it is ready.
start_sqlbot() {
	local dir=$1 port=$2 i
	[[ -x "$SQLBOT" ]] ||
	    harness_die "sqlbot not found at $SQLBOT (build it, or set SQLBOT=...)"
	"$SQLBOT" --host 127.0.0.1 --port "$port" --domain localhost \
	    --db "$(harness_env_get "$dir/mucd.env" MUCD_DB)" \
	    >"$dir/sqlbot.log" 2>&1 &
	sqlbot_pid=$!
	for ((i = 0; i < 100; i++)); do
		grep -qs 'ready as' "$dir/sqlbot.log" && return 0
		kill -0 "$sqlbot_pid" 2>/dev/null || break
		sleep 0.1
	done
	cat "$dir/sqlbot.log" >&2
	harness_die "sqlbot did not log in"
}

stop_sqlbot() {
	if [[ -n "$sqlbot_pid" ]]; then
		harness_stop_pid "$sqlbot_pid" sqlbot "$SQLBOT" 5 || true
		sqlbot_pid=
	fi
}

# A script that needs mucd settings other than the defaults gives them in
# its header, one "## mucd: key = value" line each, in mucd.conf(5)'s
# syntax (e.g. "## mucd: room_creation = admins", "## mucd: admin =
# juliet@localhost").  They are written to DIR/mucd.conf, which mucd reads
# with --config (the harness's flags still win: domain, host, port, db;
# a script that names an admin has only its own, not admin@localhost).
# builtin mode has no mucd and ignores them.
mucd_settings() {
	sed -n 's/^## mucd: *//p' "$1"
}

start_host() {
	host_dir=$1
	mkdir -p "$host_dir"
	"${host}_start" "$host_dir" "$mode"
}

# --- The scripts ------------------------------------------------------------

if [[ "$mode" == external ]]; then
	start_host "$tmp/host"
fi

for script in "${scripts[@]}"; do
	name=$(basename "$script" .scs)
	dir=$tmp/$(printf '%02d' "$ndone")-$name
	mkdir -p "$dir"
	started=$(harness_now_ms)

	# 1. A fresh MUC: a new host (builtin) or a new mucd (external).
	if [[ "$mode" == builtin ]]; then
		start_host "$dir"
		env_file=$dir/host.env
	else
		cp "$tmp/host/host.env" "$dir/host.env"
		mucd_dir=$dir
		if [[ -n "$(mucd_settings "$script")" ]]; then
			mucd_settings "$script" >"$dir/mucd.conf"
			# Its own admins replace the scripts' admin.
			admin=${MUCD_ADMIN-admin@localhost}
			grep -q '^admin *=' "$dir/mucd.conf" && admin=
			MUCD_ADMIN=$admin \
			    MUCD_ARGS="${MUCD_ARGS:-} --config $dir/mucd.conf" \
			    mucd_start "$dir"
		else
			mucd_start "$dir"
		fi
		env_file=$tmp/host/host.env
	fi
	c2s_port=$(harness_env_get "$env_file" C2S_PORT)
	if needs_operator "$script"; then
		[[ "$mode" == external ]] ||
		    harness_die "$name needs mucd's database (## needs: operator): external mode only"
		start_sqlbot "$dir" "$c2s_port"
	fi

	# 2. Run the script.  In the background, so that a signal reaches our
	#    trap at once (bash runs traps only between commands, and `wait`
	#    returns early for them).
	rc=0
	# shellcheck disable=SC2086  # SCANSION_ARGS is a list of words
	timeout "$SCRIPT_TIMEOUT" "$SCANSION_RUN" --host 127.0.0.1 \
	    --port "$c2s_port" ${SCANSION_ARGS:-} "$script" \
	    </dev/null >"$dir/runner.out" 2>&1 &
	runner_pid=$!
	wait "$runner_pid" || rc=$?
	runner_pid=

	# 3. Fresh state for the next script: stop what this one used.
	stop_sqlbot
	if [[ "$mode" == builtin ]]; then
		stop_all
	else
		mucd_stop "$dir" || rc=1	# a sanitizer report fails it
		mucd_dir=
	fi
	secs=$(awk -v ms=$(($(harness_now_ms) - started)) 'BEGIN { printf "%.1f", ms / 1000 }')

	# 4. Report.  The runner's own last line ("1 passed, 0 failed") is
	#    left out: ours comes at the end.
	grep -vE '^[0-9]+ passed, [0-9]+ failed$' "$dir/runner.out" || true
	if ((rc == 124)); then
		echo "FAIL $name: killed after ${SCRIPT_TIMEOUT}s (SCRIPT_TIMEOUT)"
	fi
	if ((rc == 0)); then
		npass=$((npass + 1))
		verdict=passed
	else
		nfail=$((nfail + 1))
		verdict=failed
	fi
	if ((expect_fail)); then
		if ((rc == 0)); then
			ok=0
			echo "UNEXPECTED: $name passed, but was expected to fail (${secs}s)"
		elif grep -q "syntax error" "$dir/runner.out"; then
			ok=0
			echo "UNEXPECTED: $name failed on a syntax error, not on a stanza (${secs}s)"
		else
			echo "expected: $name failed (${secs}s)"
		fi
	else
		echo "$name: $verdict (${secs}s)"
		if ((rc != 0)); then
			ok=0
			HARNESS_TAIL_LINES=${HARNESS_TAIL_LINES:-60} harness_tail 2>&1 \
			    "$(harness_env_get "$env_file" HOST_LOG)" "$dir/mucd.log"
		fi
	fi
	ndone=$((ndone + 1))
done

stop_all
echo "$npass passed, $nfail failed"
((ok)) || exit 1
exit 0
