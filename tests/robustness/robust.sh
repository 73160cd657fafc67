#!/usr/bin/env bash
#
# robust.sh - one scenario of the robustness suite against a private host.
#
# usage:
#   robust.sh --host prosody --scenario NAME
#   robust.sh --host prosody --measure flood|verify [ROBOT ARGS...]
#
# Starts Prosody (external mode) and mucd on a fresh database in a
# temporary directory, runs `robot SCENARIO` against them and reports its
# PASS/FAIL lines; every process started is stopped by PID at the end,
# also on failure or interrupt.  The robot runs the steps that touch the
# servers through this script again (--step kill|start|restart-host DIR),
# so its clients stay connected while mucd is killed or the host restarts.
#
# Scenarios (ctest names them robust_prosody_<scenario>):
#   flood_is_refused_with_policy_violation_and_the_service_stays_responsive
#       robot flood, mucd with its default limits.
#   kill_9_loses_nothing_acknowledged_and_keeps_occupants_without_ghosts
#       robot crash: kill -9 during writes and under occupants, restart.
#   host_restart_under_occupants_leaves_no_ghosts
#       robot host-restart: the host is killed with -9 and started again
#       on the same ports and secret while mucd keeps running.
#   a_flood_that_outruns_the_host_stays_within_the_queue_cap
#       robot backpressure: rate limits and pacing off, max_queued_bytes
#       256 KiB; every copy arrives and mucd's memory stays bounded.
#   an_iq_overtakes_a_flood_that_waits_for_the_host
#       robot overtake: rate limits off, pacing window 1,000; an iq from
#       another client is answered before most of the flood is relayed.
# --measure prints the figures of issue 12 (no verdict): flood (RSS and
# iq round trips during a flood; MUCD_ARGS="--message-rate 0" for the
# limits off) and verify (time to check 1,000 restored occupants).
#
# Environment: MUCD, ROBOT (default build/bin/...), MUCD_ARGS (added to
# mucd's command line), KEEP_TMP=1 keeps the directory.

set -euo pipefail
HARNESS_NAME=robust.sh
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=tests/harness/prosody.sh
source "$here/../harness/prosody.sh"
# shellcheck source=tests/harness/mucd.sh
source "$here/../harness/mucd.sh"

ROBOT=${ROBOT:-$HARNESS_DIR/../../build/bin/robot}

# --- Steps the robot runs while its clients stay connected -------------

step_kill() {
	local dir=$1 pid i
	pid=$(harness_env_get "$dir/mucd/mucd.env" MUCD_PID)
	kill -KILL "$pid"
	for ((i = 0; i < 100; i++)); do
		harness_pid_alive "$pid" || return 0
		sleep 0.05
	done
	harness_die "mucd (pid $pid) survived SIGKILL"
}

step_start() {
	local dir=$1
	cp "$dir/host/host.env" "$dir/mucd/host.env"
	mucd_start "$dir/mucd" "$dir/mucd/mucd.db"
}

# Kill the host with -9 (a clean stop would tell mucd that every client
# left: no ghost to find), start it on the same ports with the same
# secret, and wait for mucd to say it is connected again.
step_restart_host() {
	local dir=$1 env=$1/host/host.env c2s comp secret skip i pid
	c2s=$(harness_env_get "$env" C2S_PORT)
	comp=$(harness_env_get "$env" COMPONENT_PORT)
	secret=$(harness_env_get "$env" COMPONENT_SECRET)
	pid=$(harness_env_get "$env" PID)
	skip=$(($(wc -l <"$dir/mucd/mucd.log") + 1))
	harness_pid_is_ours "$pid" "$dir/host" && kill -KILL "$pid"
	for ((i = 0; i < 100; i++)); do
		harness_pid_alive "$pid" || break
		sleep 0.05
	done
	prosody_stop "$dir/host"
	C2S_PORT=$c2s COMPONENT_PORT=$comp COMPONENT_SECRET=$secret \
	    prosody_start "$dir/host" external
	for ((i = 0; i < 600; i++)); do
		tail -n "+$skip" "$dir/mucd/mucd.log" | grep -q "connected to .* again" &&
		    return 0
		sleep 0.1
	done
	harness_die "mucd did not reconnect within 60 s" "$dir/mucd/mucd.log"
}

if [[ "${1:-}" == --step ]]; then
	case "${2:-}" in
	kill) step_kill "$3" ;;
	start) step_start "$3" ;;
	restart-host) step_restart_host "$3" ;;
	*) harness_die "unknown step '${2:-}'" ;;
	esac
	exit 0
fi

# --- A scenario ---------------------------------------------------------

host='' scenario='' measure=''
while (($#)); do
	case "$1" in
	--host) host=${2:?}; shift 2 ;;
	--scenario) scenario=${2:?}; shift 2 ;;
	--measure) measure=${2:?}; shift 2; break ;;
	*) harness_die "unknown argument '$1' (see the top of robust.sh)" ;;
	esac
done
[[ "$host" == prosody ]] || harness_die "--host prosody is required"
[[ -x "$ROBOT" ]] || harness_die "robot not found at $ROBOT (build it)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mucd-robust.XXXXXX")
mkdir -p "$tmp/host" "$tmp/mucd"
on_exit() {
	local rc=$?
	trap - EXIT INT TERM
	mucd_stop "$tmp/mucd" || rc=1	# a sanitizer report fails it
	prosody_stop "$tmp/host" || true
	if [[ "${KEEP_TMP:-0}" == 1 ]]; then harness_say "kept $tmp"; else rm -rf "$tmp"; fi
	exit "$rc"
}
trap on_exit EXIT
trap 'harness_say "interrupted"; exit 130' INT
trap 'harness_say "terminated"; exit 143' TERM

self="bash $here/robust.sh --step"
robot_args=()
case "$scenario$measure" in
flood_is_refused_with_policy_violation_and_the_service_stays_responsive)
	robot_args=(flood)
	;;
kill_9_loses_nothing_acknowledged_and_keeps_occupants_without_ghosts)
	export MUCD_ARGS="${MUCD_ARGS:-} --room-creation-rate 0 --snapshot-interval 1 --verify-timeout 10"
	robot_args=(crash --db "$tmp/mucd/mucd.db" --run "kill=$self kill $tmp"
	    --run "start=$self start $tmp")
	;;
host_restart_under_occupants_leaves_no_ghosts)
	export MUCD_ARGS="${MUCD_ARGS:-} --verify-timeout 10"
	robot_args=(host-restart --run "restart=$self restart-host $tmp")
	;;
a_flood_that_outruns_the_host_stays_within_the_queue_cap)
	export MUCD_ARGS="${MUCD_ARGS:-} --message-rate 0 --pacing-window 0 --max-queued-bytes ${ROBUST_QUEUE_CAP:-262144}"
	export MUCD_LOG_LEVEL=${MUCD_LOG_LEVEL:-info}
	robot_args=(backpressure)
	;;
an_iq_overtakes_a_flood_that_waits_for_the_host)
	export MUCD_ARGS="${MUCD_ARGS:-} --message-rate 0 --pacing-window 1000"
	robot_args=(overtake)
	;;
flood)
	export MUCD_LOG_LEVEL=${MUCD_LOG_LEVEL:-info} PROSODY_LOG_LEVEL=${PROSODY_LOG_LEVEL:-info}
	robot_args=(measure-flood "$@")
	;;
verify)
	export MUCD_LOG_LEVEL=${MUCD_LOG_LEVEL:-info} PROSODY_LOG_LEVEL=${PROSODY_LOG_LEVEL:-info}
	export MUCD_ARGS="${MUCD_ARGS:-} --room-creation-rate 0 --join-rate 0 --snapshot-interval 1"
	robot_args=(measure-verify --db "$tmp/mucd/mucd.db" --run "kill=$self kill $tmp"
	    --run "start=$self start $tmp" "$@")
	;;
*) harness_die "unknown scenario '$scenario$measure'" ;;
esac

prosody_start "$tmp/host" external
# Started by a step of its own, as the later restarts are: a mucd killed
# with -9 is then nobody's job here, and bash has nothing to report.
$self start "$tmp"
port=$(harness_env_get "$tmp/host/host.env" C2S_PORT)
pid=$(harness_env_get "$tmp/mucd/mucd.env" MUCD_PID)
rc=0
"$ROBOT" "${robot_args[0]}" --port "$port" --mucd-pid "$pid" \
    "${robot_args[@]:1}" </dev/null || rc=$?
if ((rc != 0)); then
	harness_tail "$tmp/mucd/mucd.log" "$tmp/host/prosody.log"
fi
exit "$rc"
