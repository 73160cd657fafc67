# shellcheck shell=bash
#
# lib.sh - helpers shared by the harness scripts (sourced, never run).
#
# The harness starts private XMPP servers (Prosody, ejabberd) and mucd on
# the loopback interface, each inside its own temporary directory, and
# stops them again by PID.  This file holds what every one of those scripts
# needs: messages, free-port picking, waiting for a listener, checking that
# a PID still is the process we started, and stopping it.
#
# Conventions:
#   - Every function either succeeds or calls harness_die, which prints
#     a message (and optionally a log tail) and exits non-zero.  Callers
#     that want to survive a failure run the function in a subshell.
#   - A process is "ours" when its command line contains our private
#     directory.  We never signal a PID before checking that, so a PID that
#     the kernel has recycled for somebody else's process is left alone.
#   - Ports are TCP ports on 127.0.0.1 only.

# Guard against being sourced twice (run-suite.sh sources several scripts
# that each source this file).
if [[ -n "${HARNESS_LIB_LOADED:-}" ]]; then
	return 0
fi
HARNESS_LIB_LOADED=1

# shellcheck disable=SC2034  # used by the scripts that source this file
HARNESS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)

# Print a message on stderr, prefixed with the script's name.
harness_say() {
	printf '%s: %s\n' "${HARNESS_NAME:-harness}" "$*" >&2
}

# Print the last lines of each given file that exists, framed, on stderr:
# $HARNESS_TAIL_LINES of them (default 40; 0 prints nothing).
harness_tail() {
	local f
	[[ "${HARNESS_TAIL_LINES:-40}" != 0 ]] || return 0
	for f in "$@"; do
		[[ -s "$f" ]] || continue
		printf -- '---- last lines of %s\n' "$f" >&2
		tail -n "${HARNESS_TAIL_LINES:-40}" "$f" >&2
		printf -- '---- end of %s\n' "$f" >&2
	done
}

# harness_die MESSAGE [LOGFILE...]: print MESSAGE and the log tails, exit 1.
harness_die() {
	local msg=$1
	shift
	harness_say "error: $msg"
	harness_tail "$@"
	exit 1
}

# A random hex string, for component secrets and Erlang cookies.
harness_random_hex() {
	od -An -N"${1:-12}" -tx1 /dev/urandom | tr -d ' \n'
}

# Is PID a live process?  A zombie (exited, not yet reaped by its parent)
# counts as dead: kill -0 succeeds on zombies, so look at the state too.
# Reads /proc with builtins only, so that a waiting loop forks nothing
# (bash drops a SIGINT that arrives while it waits for a child that then
# exits normally; with no child the trap runs at once).
harness_pid_alive() {
	local pid=$1 stat state
	[[ -n "$pid" ]] || return 1
	if [[ -d /proc/self ]]; then
		read -r stat 2>/dev/null <"/proc/$pid/stat" || return 1
		state=${stat##*) }	# the fields after "(command name) "
		state=${state%% *}
	else
		state=$(ps -o stat= -p "$pid" 2>/dev/null) || return 1
	fi
	[[ -n "$state" && "$state" != Z* && "$state" != X* ]]
}

# Is PID alive and does its command line contain TEXT (our private
# directory)?  Protects against signalling a recycled PID.
harness_pid_is_ours() {
	local pid=$1 text=$2 args
	harness_pid_alive "$pid" || return 1
	args=$(ps -o args= -p "$pid" 2>/dev/null) || return 1
	[[ "$args" == *"$text"* ]]
}

# harness_stop_pid PID NAME TEXT [SECONDS]: stop the process PID if it is
# ours (see harness_pid_is_ours): SIGTERM, wait up to SECONDS (default 10)
# for it to exit, then SIGKILL.  Reaps it when it is our child.  Succeeds
# when the process is gone (also when it was gone already).
harness_stop_pid() {
	local pid=$1 name=$2 text=$3 secs=${4:-10} i
	if ! harness_pid_is_ours "$pid" "$text"; then
		wait "$pid" 2>/dev/null || true	# reap, if it is our child
		return 0
	fi
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < secs * 10; i++)); do
		harness_pid_alive "$pid" || break
		sleep 0.1
	done
	if harness_pid_alive "$pid"; then
		harness_say "$name (pid $pid) ignored SIGTERM for ${secs}s, sending SIGKILL"
		kill -KILL "$pid" 2>/dev/null || true
		for ((i = 0; i < 50; i++)); do
			harness_pid_alive "$pid" || break
			sleep 0.1
		done
	fi
	wait "$pid" 2>/dev/null || true
	if harness_pid_alive "$pid"; then
		harness_say "error: $name (pid $pid) survived SIGKILL"
		return 1
	fi
	return 0
}

# Does anything accept TCP connections on 127.0.0.1:PORT, or listen on
# PORT on any address?  Uses ss(8) when available and a bash /dev/tcp
# connect otherwise (and in addition).
harness_port_in_use() {
	local port=$1
	if command -v ss >/dev/null 2>&1 &&
	    [[ -n "$(ss -Htln "sport = :$port" 2>/dev/null)" ]]; then
		return 0
	fi
	(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# harness_free_ports N: print N distinct free TCP ports, space separated.
# Ports are drawn at random from 10000-31999, below Linux's ephemeral
# range (32768-60999) so that outgoing connections never take them, and
# random so that parallel runs (ctest -j) are unlikely to choose the same
# ones.  A collision that happens anyway (another run binds the port
# between our check and our server's bind) is caught by
# harness_wait_listening, which checks the listener's owner, and the
# start functions then retry with new ports.
harness_free_ports() {
	local n=$1 ports=() p tries=0
	while ((${#ports[@]} < n)); do
		((tries++ < 500)) || harness_die "no free loopback port found"
		p=$((10000 + RANDOM % 22000))
		[[ " ${ports[*]} " == *" $p "* ]] && continue
		harness_port_in_use "$p" && continue
		ports+=("$p")
	done
	echo "${ports[*]}"
}

# Is PORT listened on by process PID?  Without ss(8) we cannot tell who
# listens, so we accept any listener that answers on 127.0.0.1.
harness_port_owned_by() {
	local port=$1 pid=$2
	if command -v ss >/dev/null 2>&1; then
		ss -Htlnp "sport = :$port" 2>/dev/null | grep -q "pid=$pid,"
	else
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
	fi
}

# harness_wait_listening PID SECONDS LOG PATTERN PORT...: wait until process
# PID listens on every PORT.  Returns 0 when it does, 1 when PID died, 2 on
# timeout, 3 as soon as LOG contains the extended regex PATTERN (the
# server's way of saying a port is taken; LOG and PATTERN may be "").
# Prints nothing; the caller explains.
harness_wait_listening() {
	local pid=$1 secs=$2 log=$3 pattern=$4 i port ready
	shift 4
	for ((i = 0; i < secs * 10; i++)); do
		harness_pid_alive "$pid" || return 1
		if [[ -n "$pattern" ]] && grep -qsE -- "$pattern" "$log"; then
			return 3
		fi
		ready=1
		for port in "$@"; do
			harness_port_owned_by "$port" "$pid" || { ready=0; break; }
		done
		((ready)) && return 0
		sleep 0.1
	done
	return 2
}

# harness_wait_log FILE REGEX [COUNT [SECONDS]]: wait until FILE has at
# least COUNT (default 1) lines matching the extended regex REGEX, for at
# most SECONDS (default 15).  Returns 0 when it has, 1 on timeout; prints
# nothing.
harness_wait_log() {
	local file=$1 re=$2 count=${3:-1} secs=${4:-15} i n
	for ((i = 0; i < secs * 10; i++)); do
		n=$(grep -cE -- "$re" "$file" 2>/dev/null) || true
		((${n:-0} >= count)) && return 0
		sleep 0.1
	done
	return 1
}

# harness_write_env FILE KEY=VALUE...: write a host.env file that bash can
# source.  Values are quoted with printf %q, so spaces are safe.
harness_write_env() {
	local file=$1 kv
	shift
	: >"$file.tmp"
	for kv in "$@"; do
		printf '%s=%q\n' "${kv%%=*}" "${kv#*=}" >>"$file.tmp"
	done
	mv "$file.tmp" "$file"
}

# harness_env_get FILE KEY: print KEY's value from an env file written by
# harness_write_env, without setting anything in the calling shell.
harness_env_get() {
	(
		# shellcheck source=/dev/null
		source "$1"
		printf '%s' "${!2}"
	)
}

# harness_need_dir DIR: DIR must be given; create it and print its
# absolute path (the servers get absolute paths in their configs).
harness_need_dir() {
	local dir=$1
	[[ -n "$dir" ]] || harness_die "--dir DIR is required"
	mkdir -p "$dir"
	(cd "$dir" && pwd -P)
}

# Milliseconds since the epoch, for the timing lines.
harness_now_ms() {
	date +%s%3N
}

# harness_host_main KIND ARGS...: the command line of prosody.sh and
# ejabberd.sh (KIND is prosody or ejabberd): start|stop --dir DIR
# [--mode external|builtin|bench], run by KIND_start / KIND_stop.
harness_host_main() {
	local kind=$1 cmd=${2:-} dir='' mode=external
	shift
	shift || true
	while (($#)); do
		case "$1" in
		--dir) dir=${2:?--dir needs a value}; shift 2 ;;
		--mode) mode=${2:?--mode needs a value}; shift 2 ;;
		*) harness_die "unknown argument '$1' (see the top of $kind.sh)" ;;
		esac
	done
	dir=$(harness_need_dir "$dir")
	case "$cmd" in
	start) HARNESS_DETACH=1 "${kind}_start" "$dir" "$mode" ;;
	stop) "${kind}_stop" "$dir" ;;
	*) harness_die "usage: $kind.sh start|stop --dir DIR [--mode external|builtin|bench]" ;;
	esac
}
