#!/usr/bin/env bash
#
# prosody.sh - a private Prosody on 127.0.0.1 for the test suites.
#
# usage:
#   prosody.sh start --dir DIR --mode external|builtin|bench
#   prosody.sh stop  --dir DIR
#
# start  writes DIR/prosody.cfg.lua, starts `prosody -F` in the background
#        and waits (at most 15 s) until it listens.  Ports are chosen at
#        random among free loopback ports; set C2S_PORT / COMPONENT_PORT in
#        the environment to ask for fixed ones instead, and
#        COMPONENT_SECRET for a fixed secret (a restart on the same ports
#        that a running mucd reconnects to).  When it is up it
#        writes DIR/host.env, a file bash can source:
#            HOST_KIND=prosody  MODE=external|builtin  DOMAIN=localhost
#            MUC_DOMAIN=conference.localhost  C2S_PORT=...  PID=...
#            COMPONENT_PORT=...  COMPONENT_SECRET=...  (external mode only;
#                                                       empty in builtin)
#            HOST_LOG=DIR/prosody.log
#        Modes:
#          external  conference.localhost is an XEP-0114 external component
#                    with a random secret: mucd is meant to attach there.
#          builtin   conference.localhost is Prosody's own MUC (the
#                    reference the seed scripts were written against).
#          bench     for tests/bench/compare.sh: external mode, plus
#                    Prosody's own MUC on muc.localhost and two more
#                    external components on the same port and secret,
#                    users.localhost (the load generator) and
#                    reflect.localhost (the routing-ceiling reflector);
#                    host.env then also has BENCH_BUILTIN_DOMAIN,
#                    BENCH_USERS_DOMAIN, BENCH_USERS_PORT,
#                    BENCH_REFLECT_DOMAIN, BENCH_REFLECT_PORT (all
#                    with COMPONENT_SECRET).
#        Any user logs in with any password (authentication = "insecure")
#        over plain TCP with SASL PLAIN.  Everything lives in DIR: config,
#        pidfile, data, logs.
#        PROSODY_CLIENTS=real makes a server for real clients instead (what
#        play.sh and the real-client tests run): STARTTLS with a
#        self-signed certificate for localhost (made with openssl, kept in
#        $PROSODY_CERT_DIR, default DIR/certs, and reused when there), and
#        SASL SCRAM-SHA-1, SCRAM-SHA-256 and PLAIN for any user name with
#        the password "mucd" (prosody/mod_auth_mucdplay.lua).  TLS stays
#        optional, so clients that want a plain connection still get one.
#        host.env then also has CERT=... (the certificate, PEM),
#        CERT_SHA256=... (its fingerprint) and PASSWORD=mucd.
# stop   stops the server whose PID is in DIR/host.env: SIGTERM, up to 10 s,
#        then SIGKILL.  Doing nothing is fine when it is already gone.
#
# Exit status 0 on success, 1 with a message and the log tail on failure.
#
# The script can also be sourced (run-suite.sh does that): it then only
# defines prosody_start DIR MODE and prosody_stop DIR, and the servers it
# starts are children of the sourcing shell.

# shellcheck source=tests/harness/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PROSODY=${PROSODY:-prosody}

# prosody_make_cert CERTDIR: a self-signed certificate for localhost in
# CERTDIR/localhost.crt and .key, unless both are there already (a client
# that accepted it once keeps trusting it across play.sh runs).
prosody_make_cert() {
	local certdir=$1
	[[ -s "$certdir/localhost.crt" && -s "$certdir/localhost.key" ]] && return 0
	command -v openssl >/dev/null ||
	    harness_die "openssl not found (run tests/deps.sh)"
	mkdir -p "$certdir"
	openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 \
	    -subj /CN=localhost -addext subjectAltName=DNS:localhost \
	    -keyout "$certdir/localhost.key" -out "$certdir/localhost.crt" \
	    >"$certdir/openssl.log" 2>&1 ||
	    harness_die "openssl could not make a certificate" "$certdir/openssl.log"
	chmod 0600 "$certdir/localhost.key"
}

# prosody_client_settings DIR: the lines of the config that decide how
# clients connect: plain TCP with "insecure" authentication (the suites'
# runner speaks PLAIN without TLS), or, with PROSODY_CLIENTS=real,
# STARTTLS and SCRAM (see the top).
prosody_client_settings() {
	local dir=$1 certdir=${PROSODY_CERT_DIR:-$1/certs}
	if [[ "${PROSODY_CLIENTS:-}" != real ]]; then
		cat <<EOF
certificates = "$dir/certs"	-- empty: no TLS
modules_enabled = { "roster"; "saslauth"; "disco"; "presence"; "ping" }
modules_disabled = { "s2s"; "tls" }

-- Clients use SASL PLAIN on a plain TCP connection, any name, any password.
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "insecure"
insecure_open_authentication = "Yes please, I know what I'm doing!"
EOF
		return
	fi
	cat <<EOF
-- Real clients: STARTTLS with a self-signed certificate, SCRAM and PLAIN,
-- any user name, password "mucd".  TLS is offered, not required.
certificates = "$dir/certs"
ssl = {
	certificate = "$certdir/localhost.crt";
	key = "$certdir/localhost.key";
}
plugin_paths = { "$HARNESS_DIR/prosody" }
modules_enabled = { "roster"; "saslauth"; "tls"; "disco"; "presence";
	"ping"; "version"; "time"; "vcard_legacy"; "private" }
modules_disabled = { "s2s" }
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "mucdplay"
mucdplay_password = "mucd"
EOF
}

# prosody_write_config DIR MODE C2S_PORT COMPONENT_PORT SECRET
# Write DIR/prosody.cfg.lua.  The settings are the ones a private test
# server needs (see shared/docs/environment-notes.md): run as root, only
# loopback, no s2s, no HTTP, memory storage; clients as
# prosody_client_settings says.
prosody_write_config() {
	local dir=$1 mode=$2 c2s=$3 comp=$4 secret=$5 component
	if [[ "$mode" == external ]]; then
		component="-- mucd attaches here (XEP-0114).
Component \"conference.localhost\"
	component_secret = \"$secret\""
	elif [[ "$mode" == bench ]]; then
		# The benchmark's three paths side by side on one server:
		# mucd, the host's own MUC, and the reflector (the ceiling);
		# the simulated users are a component of their own.
		component="Component \"conference.localhost\"
	component_secret = \"$secret\"
Component \"reflect.localhost\"
	component_secret = \"$secret\"
Component \"users.localhost\"
	component_secret = \"$secret\"
Component \"muc.localhost\" \"muc\""
	else
		# Prosody's own MUC, with its default room settings.  The
		# seeds were written against exactly this; storage stays in
		# memory, so every server start begins with no rooms.
		component="-- Prosody's own MUC, the reference implementation.
Component \"conference.localhost\" \"muc\""
	fi
	mkdir -p "$dir/data" "$dir/certs"
	cat >"$dir/prosody.cfg.lua" <<EOF
-- Generated by tests/harness/prosody.sh for a private test server.
run_as_root = true		-- containers run us as root
daemonize = false
pidfile = "$dir/prosody.pid"
data_path = "$dir/data"

interfaces = { "127.0.0.1" }
c2s_ports = { $c2s }
component_ports = { ${comp} }
component_interfaces = { "127.0.0.1" }
s2s_ports = {}
http_ports = {}
https_ports = {}
c2s_direct_tls_ports = {}
local_interfaces = { "127.0.0.1" }

$(prosody_client_settings "$dir")

storage = "memory"
log = {
	${PROSODY_LOG_LEVEL:-debug} = "$dir/prosody.log";
	error = "$dir/prosody.err";
}

VirtualHost "localhost"

$component
EOF
}

# prosody_start DIR MODE: start the server, wait for it, write DIR/host.env.
prosody_start() {
	local dir=$1 mode=$2 attempt c2s comp secret pid rc
	local listen=() launcher=()
	command -v "$PROSODY" >/dev/null ||
	    harness_die "prosody not found (run tests/deps.sh)"
	case "$mode" in
	external | builtin | bench) ;;
	*) harness_die "--mode must be external, builtin or bench, not '$mode'" ;;
	esac
	rm -f "$dir/host.env" "$dir/prosody.pid"
	# CLI mode: put the server in its own session, so that a Ctrl-C in
	# the terminal that ran "prosody.sh start" does not reach it.
	[[ "${HARNESS_DETACH:-0}" == 1 ]] && launcher=(setsid)
	secret=
	[[ "$mode" != builtin ]] &&
	    secret=${COMPONENT_SECRET:-$(harness_random_hex 12)}
	local certdir=${PROSODY_CERT_DIR:-$dir/certs} tls_env=()
	if [[ "${PROSODY_CLIENTS:-}" == real ]]; then
		prosody_make_cert "$certdir"
		tls_env=(CERT="$certdir/localhost.crt" PASSWORD=mucd
		    CERT_SHA256="$(openssl x509 -in "$certdir/localhost.crt" \
		        -noout -fingerprint -sha256 | sed 's/^.*=//')")
	fi

	# Up to three attempts: another parallel run may take a port between
	# our check and Prosody's bind.  Prosody does not exit when a port is
	# taken, it only logs the failure, so harness_wait_listening checks
	# that the listener belongs to our process.
	for attempt in 1 2 3; do
		read -r c2s comp <<<"$(harness_free_ports 2)"
		c2s=${C2S_PORT:-$c2s}
		[[ "$mode" != builtin ]] && comp=${COMPONENT_PORT:-$comp} || comp=
		listen=("$c2s")
		[[ -n "$comp" ]] && listen+=("$comp")
		prosody_write_config "$dir" "$mode" "$c2s" "$comp" "$secret"

		"${launcher[@]}" "$PROSODY" -F --config "$dir/prosody.cfg.lua" \
		    </dev/null >>"$dir/prosody.out" 2>&1 &
		pid=$!
		rc=0
		harness_wait_listening "$pid" 15 "$dir/prosody.log" \
		    "Failed to open server port" "${listen[@]}" || rc=$?
		((rc == 0)) && break
		harness_stop_pid "$pid" prosody "$dir" 5
		case $rc in
		1) harness_die "prosody exited during start" \
		       "$dir/prosody.out" "$dir/prosody.log" ;;
		2) harness_die "prosody did not listen on ${listen[*]} within 15 s" \
		       "$dir/prosody.out" "$dir/prosody.log" ;;
		esac
		# rc 3: a port is taken.  Retry, unless the ports were fixed.
		if [[ -n "${C2S_PORT:-}${COMPONENT_PORT:-}" || $attempt == 3 ]]; then
			harness_die "prosody could not listen on ${listen[*]}" \
			    "$dir/prosody.log"
		fi
		harness_say "a port was taken meanwhile, retrying with others"
		mv "$dir/prosody.log" "$dir/prosody.log.attempt$attempt"
	done

	local bench=()
	[[ "$mode" == bench ]] && bench=(BENCH_BUILTIN_DOMAIN=muc.localhost \
	    BENCH_USERS_DOMAIN=users.localhost BENCH_USERS_PORT="$comp" \
	    BENCH_REFLECT_DOMAIN=reflect.localhost BENCH_REFLECT_PORT="$comp")
	harness_write_env "$dir/host.env" HOST_KIND=prosody MODE="$mode" \
	    DOMAIN=localhost MUC_DOMAIN=conference.localhost \
	    C2S_PORT="$c2s" COMPONENT_PORT="$comp" COMPONENT_SECRET="$secret" \
	    PID="$pid" HOST_LOG="$dir/prosody.log" HOST_DIR="$dir" \
	    "${tls_env[@]}" "${bench[@]}"
}

# prosody_stop DIR: stop the server described by DIR/host.env.
prosody_stop() {
	local dir=$1
	# No host.env: the start failed before writing it, and cleaned up.
	[[ -f "$dir/host.env" ]] || return 0
	harness_stop_pid "$(harness_env_get "$dir/host.env" PID)" prosody "$dir" 10
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
	set -euo pipefail
	HARNESS_NAME=prosody.sh
	harness_host_main prosody "$@"
fi
