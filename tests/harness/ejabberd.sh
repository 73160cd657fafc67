#!/usr/bin/env bash
#
# ejabberd.sh - a private ejabberd on 127.0.0.1 for the test suites.
#
# usage:
#   ejabberd.sh start --dir DIR --mode external|builtin|bench
#   ejabberd.sh stop  --dir DIR
#
# start  builds a private ejabberd installation in DIR and starts it:
#          DIR/ejabberdctl      Debian's ejabberdctl with INSTALLUSER emptied,
#                               so it runs as the current user (root in CI)
#          DIR/etc/             ejabberd.yml, ejabberdctl.cfg, inetrc
#          DIR/logs/ DIR/spool/ logs and the Mnesia database
#          DIR/extauth.pl       password check that accepts everyone
#          DIR/ctl              runs DIR/ejabberdctl with all those paths,
#                               e.g. "DIR/ctl status"
#        The Erlang node gets its own name, cookie and distribution port
#        (ERL_DIST_PORT: no epmd, no port 4369), so runs in parallel do not
#        meet.  Three random free loopback ports are used (c2s, component,
#        distribution); C2S_PORT / COMPONENT_PORT in the environment ask
#        for fixed ones.  start waits (at most 30 s) until ejabberd logs
#        that it has started and listens, then writes DIR/host.env:
#            HOST_KIND=ejabberd  MODE=...  DOMAIN=localhost
#            MUC_DOMAIN=conference.localhost  C2S_PORT=...  PID=...
#            COMPONENT_PORT=...  COMPONENT_SECRET=...  (external mode only)
#            HOST_LOG=DIR/logs/ejabberd.log  CTL=DIR/ctl
#        PID is the Erlang VM (beam.smp); WRAPPER_PID the ejabberdctl shell
#        around it, which does not exec.
#        Modes:
#          external  conference.localhost is an ejabberd_service (XEP-0114)
#                    with a random secret, for mucd.
#          builtin   conference.localhost is ejabberd's mod_muc with its
#                    default options (rooms in memory: gone at stop).
#          bench     for tests/bench/compare.sh: external mode, plus
#                    mod_muc on muc.localhost (limits on occupants and on
#                    presence broadcast raised to 100,000, so big rooms
#                    compare like with like), mod_multicast, and two more
#                    ejabberd_service listeners with the same secret,
#                    users.localhost (the load generator) and
#                    reflect.localhost (the routing-ceiling reflector);
#                    host.env then also has BENCH_BUILTIN_DOMAIN,
#                    BENCH_USERS_DOMAIN, BENCH_USERS_PORT,
#                    BENCH_REFLECT_DOMAIN, BENCH_REFLECT_PORT.
#        Any user logs in with any password: auth_method external with a
#        tiny program that says yes, the ejabberd counterpart of Prosody's
#        "insecure" authentication.  So the scripts' accounts (user,
#        user2, ...) need no registration.
# stop   stops the VM by the PID in DIR/host.env: SIGTERM (a clean stop,
#        about 1 s), up to 15 s, then SIGKILL; then the wrapper.
#
# Exit status 0 on success, 1 with a message and the log tail on failure.
# Sourcing the file defines ejabberd_start DIR MODE and ejabberd_stop DIR.

# shellcheck source=tests/harness/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

EJABBERDCTL=${EJABBERDCTL:-/usr/sbin/ejabberdctl}

# ejabberd_bench_listeners USERS REFLECT SECRET: the extra listeners of
# bench mode, one per domain (a listener registers all its hosts on each
# connection, so the domains must not share one).
ejabberd_bench_listeners() {
	local d port
	for d in "users.localhost $1" "reflect.localhost $2"; do
		port=${d#* }
		cat <<EOF
  - port: $port
    ip: "127.0.0.1"
    module: ejabberd_service
    hosts:
      "${d% *}":
        password: "$3"
EOF
	done
}

# ejabberd_bench_modules: the modules bench mode adds.  mod_muc's limits
# are raised (defaults: 200 occupants, presence broadcast up to 1,000) so
# that its rooms of 1,000 and more behave like mucd's; mod_multicast takes
# any number of addresses from a component (its default for senders that
# are not a virtual host of the server is 20), and advertises that.
ejabberd_bench_modules() {
	cat <<EOF
  mod_muc:
    host: "muc.localhost"
    db_type: mnesia
    ram_db_type: mnesia
    max_users: 100000
    max_users_presence: 100000
    max_user_conferences: 100000
    default_room_options:
      max_users: 100000
  mod_multicast:
    limits:
      remote:
        message: infinite
        presence: infinite
EOF
}

# ejabberd_write_files DIR MODE C2S COMP DIST SECRET [USERS REFLECT]: write
# everything the private installation needs (see the list at the top).
ejabberd_write_files() {
	local dir=$1 mode=$2 c2s=$3 comp=$4 dist=$5 secret=$6
	local node cookie service='' muc=''
	node="mucd-$(harness_random_hex 4)@localhost"
	cookie=$(harness_random_hex 16)
	mkdir -p "$dir/etc" "$dir/logs" "$dir/spool"

	# Debian's script, made to run as the current user.
	sed 's/^INSTALLUSER=.*/INSTALLUSER=/' "$EJABBERDCTL" >"$dir/ejabberdctl"
	chmod +x "$dir/ejabberdctl"

	# Settings the ctl script reads.  ERL_DIST_PORT makes the VM listen
	# for distribution on that port and skip epmd; ctl clients then
	# connect there.  inet_dist_use_interface keeps it on loopback.
	cat >"$dir/etc/ejabberdctl.cfg" <<EOF
ERLANG_NODE=$node
ERL_DIST_PORT=$dist
ERL_OPTIONS="-setcookie $cookie -kernel inet_dist_use_interface {127,0,0,1}"
EJABBERD_PID_PATH=$dir/ejabberd.pid
EJABBERD_BYPASS_WARNINGS=true
EOF
	# Resolve names from /etc/hosts only; silences resolver warnings.
	echo '{lookup, [file, native]}.' >"$dir/etc/inetrc"

	# ejabberd's external authentication protocol: a 2-byte length, then
	# "auth:user:server:password" (or isuser:..., etc.); the answer is the
	# 16-bit numbers 2 and 1 (length 2, result "yes").  Always yes.
	cat >"$dir/extauth.pl" <<'EOF'
#!/usr/bin/perl
# Accept every user and password.  For private test servers only.
use strict;
use warnings;
binmode STDIN;
binmode STDOUT;
$| = 1;
while (read(STDIN, my $head, 2) == 2) {
	my $len = unpack('n', $head);
	last if read(STDIN, my $request, $len) != $len;
	print pack('nn', 2, 1);
}
EOF
	chmod +x "$dir/extauth.pl"

	# A helper to run ctl commands against this node: DIR/ctl status
	cat >"$dir/ctl" <<EOF
#!/bin/sh
exec "$dir/ejabberdctl" --config-dir "$dir/etc" --config "$dir/etc/ejabberd.yml" \\
    --ctl-config "$dir/etc/ejabberdctl.cfg" --logs "$dir/logs" \\
    --spool "$dir/spool" "\$@"
EOF
	chmod +x "$dir/ctl"

	if [[ "$mode" != builtin ]]; then
		service="  # mucd attaches here (XEP-0114).
  - port: $comp
    ip: \"127.0.0.1\"
    module: ejabberd_service
    hosts:
      \"conference.localhost\":
        password: \"$secret\""
		if [[ "$mode" == bench ]]; then
			service+=$'\n'$(ejabberd_bench_listeners "$7" "$8" "$secret")
			muc=$(ejabberd_bench_modules)
		fi
	else
		# ejabberd's own MUC on conference.localhost (mod_muc's
		# default host is conference.@HOST@), default options: anyone
		# may create rooms, rooms are temporary.  ram_db keeps them in
		# memory like Prosody's storage = "memory".
		muc="  mod_muc:
    host: \"conference.localhost\"
    db_type: mnesia
    ram_db_type: mnesia"
	fi
	cat >"$dir/etc/ejabberd.yml" <<EOF
# Generated by tests/harness/ejabberd.sh for a private test server.
hosts:
  - localhost
loglevel: ${EJABBERD_LOG_LEVEL:-info}
certfiles: []
acme:
  auto: false
auth_method: external
extauth_program: "$dir/extauth.pl"
auth_use_cache: false
listen:
  - port: $c2s
    ip: "127.0.0.1"
    module: ejabberd_c2s
    starttls: false
$service
modules:
  mod_disco: {}
  mod_roster: {}
  mod_ping: {}
$muc
EOF
}

# ejabberd_start_vm DIR: run "ejabberdctl foreground" for DIR in the
# background; sets EJABBERD_WRAPPER_PID.
ejabberd_start_vm() {
	local dir=$1 launcher=()
	[[ "${HARNESS_DETACH:-0}" == 1 ]] && launcher=(setsid)
	rm -f "$dir/ejabberd.pid"
	"${launcher[@]}" "$dir/ejabberdctl" --config-dir "$dir/etc" \
	    --config "$dir/etc/ejabberd.yml" \
	    --ctl-config "$dir/etc/ejabberdctl.cfg" --logs "$dir/logs" \
	    --spool "$dir/spool" foreground \
	    </dev/null >>"$dir/ejabberd.out" 2>&1 &
	EJABBERD_WRAPPER_PID=$!
}

# ejabberd_wait_ready DIR WRAPPER SECONDS PORT...: wait for the VM's PID in
# the pidfile, the "is started" log line and the listeners.  Prints the VM
# PID.  Returns 0 when ready, 1 when it died, 2 on timeout.
ejabberd_wait_ready() {
	local dir=$1 wrapper=$2 secs=$3 i vm='' rc
	shift 3
	for ((i = 0; i < secs * 10; i++)); do
		[[ -s "$dir/ejabberd.pid" ]] && vm=$(cat "$dir/ejabberd.pid")
		if [[ -n "$vm" ]] &&
		    grep -q "is started in the node" "$dir/logs/ejabberd.log" 2>/dev/null; then
			break
		fi
		harness_pid_alive "$wrapper" || return 1
		sleep 0.1
	done
	[[ -n "$vm" ]] || return 2
	echo "$vm"
	rc=0
	harness_wait_listening "$vm" $((secs - i / 10 + 1)) "" "" "$@" || rc=$?
	return $rc
}

# ejabberd_start DIR MODE: start the server, wait for it, write host.env.
ejabberd_start() {
	local dir=$1 mode=$2 attempt c2s comp dist secret vm rc
	local listen=()
	[[ -x "$EJABBERDCTL" ]] ||
	    harness_die "ejabberdctl not found at $EJABBERDCTL (run tests/deps.sh)"
	local users='' reflect='' bench=()
	case "$mode" in
	external | builtin | bench) ;;
	*) harness_die "--mode must be external, builtin or bench, not '$mode'" ;;
	esac
	rm -f "$dir/host.env"
	secret=
	[[ "$mode" != builtin ]] && secret=$(harness_random_hex 12)

	# Up to three attempts, in case another run takes one of our ports
	# between the check and the bind.
	for attempt in 1 2 3; do
		read -r c2s comp dist users reflect <<<"$(harness_free_ports 5)"
		c2s=${C2S_PORT:-$c2s}
		[[ "$mode" != builtin ]] && comp=${COMPONENT_PORT:-$comp} || comp=
		listen=("$c2s")
		[[ -n "$comp" ]] && listen+=("$comp")
		[[ "$mode" == bench ]] && listen+=("$users" "$reflect")
		rm -rf "$dir/spool" "$dir/logs"
		ejabberd_write_files "$dir" "$mode" "$c2s" "$comp" "$dist" \
		    "$secret" "$users" "$reflect"
		ejabberd_start_vm "$dir"
		rc=0
		vm=$(ejabberd_wait_ready "$dir" "$EJABBERD_WRAPPER_PID" 30 "${listen[@]}") || rc=$?
		((rc == 0)) && break
		ejabberd_stop_pids "$dir" "$vm" "$EJABBERD_WRAPPER_PID"
		if [[ -n "${C2S_PORT:-}${COMPONENT_PORT:-}" || $attempt == 3 ]] ||
		    ! grep -qs "eaddrinuse" "$dir/logs/ejabberd.log" "$dir/ejabberd.out"; then
			if ((rc == 1)); then
				harness_die "ejabberd exited during start" \
				    "$dir/ejabberd.out" "$dir/logs/ejabberd.log" \
				    "$dir/logs/error.log"
			fi
			harness_die "ejabberd was not ready (started, listening on ${listen[*]}) within 30 s" \
			    "$dir/ejabberd.out" "$dir/logs/ejabberd.log" "$dir/logs/error.log"
		fi
		harness_say "a port was taken meanwhile, retrying with others"
		mv "$dir/ejabberd.out" "$dir/ejabberd.out.attempt$attempt"
	done

	[[ "$mode" == bench ]] && bench=(BENCH_BUILTIN_DOMAIN=muc.localhost \
	    BENCH_USERS_DOMAIN=users.localhost BENCH_USERS_PORT="$users" \
	    BENCH_REFLECT_DOMAIN=reflect.localhost BENCH_REFLECT_PORT="$reflect")
	harness_write_env "$dir/host.env" HOST_KIND=ejabberd MODE="$mode" \
	    DOMAIN=localhost MUC_DOMAIN=conference.localhost \
	    C2S_PORT="$c2s" COMPONENT_PORT="$comp" COMPONENT_SECRET="$secret" \
	    PID="$vm" WRAPPER_PID="$EJABBERD_WRAPPER_PID" ERL_DIST_PORT="$dist" \
	    HOST_LOG="$dir/logs/ejabberd.log" CTL="$dir/ctl" HOST_DIR="$dir" \
	    "${bench[@]}"
}

# ejabberd_stop_pids DIR VM WRAPPER: stop the VM (SIGTERM makes Erlang
# shut down cleanly), then make sure the ejabberdctl wrapper is gone too.
ejabberd_stop_pids() {
	local dir=$1 vm=$2 wrapper=$3 rc=0
	if [[ -n "$vm" ]]; then
		harness_stop_pid "$vm" ejabberd "$dir" 15 || rc=1
	fi
	if [[ -n "$wrapper" ]]; then
		harness_stop_pid "$wrapper" ejabberdctl "$dir" 5 || rc=1
	fi
	return $rc
}

# ejabberd_stop DIR: stop the server described by DIR/host.env.
ejabberd_stop() {
	local dir=$1
	[[ -f "$dir/host.env" ]] || return 0
	ejabberd_stop_pids "$dir" "$(harness_env_get "$dir/host.env" PID)" \
	    "$(harness_env_get "$dir/host.env" WRAPPER_PID)"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
	set -euo pipefail
	HARNESS_NAME=ejabberd.sh
	harness_host_main ejabberd "$@"
fi
