#!/bin/bash
#
# transport.sh - mucd against a real Prosody: handshake, failures, reconnect.
#
# usage: transport.sh CASE MUCD
#
# Each case starts its own Prosody in external-component mode with the
# harness's prosody_start (loopback, free ports, a temporary directory),
# runs the mucd binary MUCD against it and checks mucd's log and exit
# status; one case runs against ejabberd, started with ejabberd_start.
# Clients are plain bash on /dev/tcp (SASL PLAIN, the hosts accept any
# password).  Every server and daemon started here is stopped by its PID
# when the script ends, also on failure (tests/harness/lib.sh).  Exit
# status: 0 pass, 1 fail, 77 skipped (no prosody, or no valgrind for the
# valgrind case).  MUCD_TEST_KEEP=1 keeps the temporary directory.
#
# These cases also prove the libstrophe priming workaround (conn_prime() in
# component/conn.c): without it mucd segfaults right after the handshake,
# so "connected" followed by a live process and exit status 0 shows it.

set -u

CASE=${1:?usage: transport.sh CASE MUCD}
MUCD=${2:?usage: transport.sh CASE MUCD}
DOMAIN=conference.localhost

HARNESS=$(cd "$(dirname "$0")/../harness" && pwd)
HARNESS_NAME=transport
# Free ports, waiting, stopping by PID and log tails come from the
# harness library; sourcing prosody.sh and ejabberd.sh only defines their
# start and stop functions, whose servers are then children of this shell.
# shellcheck source=tests/harness/prosody.sh
source "$HARNESS/prosody.sh"
# shellcheck source=tests/harness/ejabberd.sh
source "$HARNESS/ejabberd.sh"

DIR=
PROSODY_UP=0
MUCD_PID=
MUCD2_PID=
EJABBERD_DIR=
REFLECT_PID=
C2S= COMP= SECRET=

say() { harness_say "$*"; }
fail() {
	harness_say "FAIL: $*"
	harness_tail "$DIR"/mucd*.log "$DIR"/prosody.log "$DIR"/*.out \
	    "$DIR"/valgrind.log
	exit 1
}

# Stop by PID only what this script started (harness_stop_pid checks
# that a PID still runs with our directory in its command line).
cleanup() {
	local pid
	for pid in $CLIENT_READERS; do
		kill "$pid" 2>/dev/null
	done
	for pid in $MUCD_PID $MUCD2_PID; do
		harness_stop_pid "$pid" mucd "$DIR" 5
	done
	harness_stop_pid "$REFLECT_PID" bench-reflect bench-reflect 5
	((PROSODY_UP)) && prosody_stop "$DIR"
	[ -n "$EJABBERD_DIR" ] && ejabberd_stop "$EJABBERD_DIR"
	if [ -n "$DIR" ] && [ "${MUCD_TEST_KEEP:-0}" != 1 ]; then
		rm -rf "$DIR"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Read the host's ports and secret from the host.env in $1.
host_env() {
	C2S=$(harness_env_get "$1/host.env" C2S_PORT)
	COMP=$(harness_env_get "$1/host.env" COMPONENT_PORT)
	SECRET=$(harness_env_get "$1/host.env" COMPONENT_SECRET)
}

# Start Prosody in $DIR (external mode), on the ports and with the secret
# it had before when it ran already, so a running mucd can reconnect.
prosody_up() {
	if [ -n "$COMP" ]; then
		C2S_PORT=$C2S COMPONENT_PORT=$COMP COMPONENT_SECRET=$SECRET \
		    prosody_start "$DIR" external
	else
		prosody_start "$DIR" external
	fi
	PROSODY_UP=1
	host_env "$DIR"
}

prosody_down() {
	prosody_stop "$DIR"
	PROSODY_UP=0
}

# mucd_start LOG [ARGS...]: mucd with the secret from the environment.
# MUCD_WRAP (e.g. valgrind ...) is put in front of the command.
mucd_start() {
	local log=$1
	shift
	MUCD_SECRET=${MUCD_SECRET_OVERRIDE:-$SECRET} ${MUCD_WRAP:-} "$MUCD" \
	    --domain "$DOMAIN" --host 127.0.0.1 --port "$COMP" \
	    --db "$DIR/mucd.db" "$@" >"$DIR/$log" 2>&1 &
}

# mucd_stop PID: SIGTERM, and the exit status must be 0.
mucd_stop() {
	local pid=$1 rc
	harness_pid_alive "$pid" || fail "mucd ($pid) died before SIGTERM"
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	[ "$rc" -eq 0 ] || fail "mucd exited with status $rc after SIGTERM"
}

setup() {
	command -v prosody >/dev/null || { say "SKIP: prosody not installed"; exit 77; }
	DIR=$(mktemp -d /tmp/mucd-transport.XXXXXX)
	prosody_up
}

# client_login VAR USER: log USER in over c2s (SASL PLAIN; insecure auth
# accepts anyone), bound to resource "t".  Stores the socket's fd in VAR;
# everything received is appended to $DIR/USER.out by a reader process.
CLIENT_READERS=
client_login() {
	local var=$1 user=$2 out=$DIR/$2.out sock hdr
	hdr="<?xml version='1.0'?><stream:stream to='localhost' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>"
	exec {sock}<>"/dev/tcp/127.0.0.1/$C2S" || fail "cannot reach c2s port"
	: >"$out"
	cat <&"$sock" >>"$out" &
	CLIENT_READERS="$CLIENT_READERS $!"
	printf '%s' "$hdr" >&"$sock"
	harness_wait_log "$out" "PLAIN" 1 5 || fail "$user: no SASL PLAIN offered"
	printf "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>%s</auth>" \
	    "$(printf '\0%s\0pw' "$user" | base64)" >&"$sock"
	harness_wait_log "$out" "<success" 1 5 || fail "$user: SASL failed"
	printf '%s' "$hdr" >&"$sock"
	harness_wait_log "$out" "xmpp-bind" 1 5 || fail "$user: no bind offered"
	printf "<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>t</resource></bind></iq>" >&"$sock"
	harness_wait_log "$out" "bind1" 1 5 || fail "$user: bind failed"
	printf -v "$var" '%s' "$sock"
}

# Close every client stream and stop the readers.
clients_close() {
	local pid
	for pid in $CLIENT_READERS; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	CLIENT_READERS=
}

# Send one disco#info iq to the service and wait for the answer.  Any
# answer, result or error, with from=DOMAIN proves the wire: Prosody ->
# mucd -> engine -> outbox -> muc_out_render -> xmpp_send_raw -> Prosody.
client_roundtrip() {
	local fd out=$DIR/tester.out
	client_login fd tester
	printf "<iq type='get' id='rt1' to='%s'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>" "$DOMAIN" >&"$fd"
	harness_wait_log "$out" "id=['\"]rt1['\"]" 1 10 || fail "no answer to the iq"
	printf '</stream:stream>' >&"$fd"
	exec {fd}>&-
	clients_close
	grep -oE "<iq [^>]*id=['\"]rt1['\"][^>]*>" "$out" |
	    grep -qE "from=['\"]$DOMAIN['\"]" ||
	    fail "the answer does not come from $DOMAIN"
}

case_mucd_connects_and_logs_connected() {
	setup
	mucd_start mucd.log --log-level debug
	MUCD_PID=$!
	harness_wait_log "$DIR/mucd.log" "info conn: connected to 127.0.0.1:$COMP as $DOMAIN" ||
	    fail "no 'connected' line"
	sleep 1		# the crash conn_prime() avoids came right after this
	harness_pid_alive "$MUCD_PID" || fail "mucd died after connecting"
	grep -q "libstrophe primed for component mode" "$DIR/mucd.log" ||
	    fail "no priming line"
	grep -qF -- "$SECRET" "$DIR/mucd.log" && fail "the secret was logged"
	mucd_stop "$MUCD_PID"
	MUCD_PID=
}

case_a_client_iq_is_answered_from_the_service_domain() {
	setup
	mucd_start mucd.log
	MUCD_PID=$!
	harness_wait_log "$DIR/mucd.log" "conn: connected" || fail "no 'connected' line"
	client_roundtrip
	harness_pid_alive "$MUCD_PID" || fail "mucd died handling the stanza"
	mucd_stop "$MUCD_PID"
	MUCD_PID=
}

# groupchat_fanout ROOM: alice creates ROOM, bob joins, alice's groupchat
# message reaches both from ROOM/alice.
groupchat_fanout() {
	local a b room=$1@$DOMAIN q="['\"]" who
	client_login a alice
	printf "<presence to='%s/alice'><x xmlns='http://jabber.org/protocol/muc'/></presence>" "$room" >&"$a"
	harness_wait_log "$DIR/alice.out" "<presence[^>]*from=${q}$room/alice${q}" 1 10 ||
	    fail "alice did not get her own presence"
	# Accept the instant room (XEP-0045 10.1.2), in case it is locked.
	printf "<iq type='set' id='cfg1' to='%s'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'/></query></iq>" "$room" >&"$a"
	harness_wait_log "$DIR/alice.out" "id=${q}cfg1${q}" 1 10 || fail "no answer to the room configuration"
	client_login b bob
	printf "<presence to='%s/bob'><x xmlns='http://jabber.org/protocol/muc'/></presence>" "$room" >&"$b"
	harness_wait_log "$DIR/bob.out" "<presence[^>]*from=${q}$room/bob${q}" 1 10 ||
	    fail "bob did not get his own presence"
	printf "<message type='groupchat' id='m1' to='%s'><body>hello fan-out</body></message>" "$room" >&"$a"
	for who in alice bob; do
		harness_wait_log "$DIR/$who.out" "hello fan-out" 1 10 ||
		    fail "$who did not get the message"
		grep -oE "<message [^>]*>" "$DIR/$who.out" | grep -E "type=${q}groupchat${q}" |
		    grep -qE "from=${q}$room/alice${q}" ||
		    fail "$who's copy does not come from $room/alice"
	done
	printf '</stream:stream>' >&"$a"
	printf '</stream:stream>' >&"$b"
	exec {a}>&- {b}>&-
	clients_close
}

# The fan-out path end to end: two occupants, one groupchat message, both
# receive it from the sender's occupant JID (a broadcast entry rendered
# once by muc_out_render_to and queued per recipient with conn_send).
case_groupchat_reaches_every_occupant_with_from() {
	setup
	mucd_start mucd.log
	MUCD_PID=$!
	harness_wait_log "$DIR/mucd.log" "conn: connected" || fail "no 'connected' line"
	groupchat_fanout fanout
	harness_pid_alive "$MUCD_PID" || fail "mucd died"
	mucd_stop "$MUCD_PID"
	MUCD_PID=
}

# The same against ejabberd, which, unlike Prosody, closes the stream of
# a component that sends a stanza without `from` (improper-addressing).
# ejabberd is started with tests/harness/ejabberd.sh (its private
# installation is too long to repeat here).
case_groupchat_through_ejabberd_keeps_the_stream_up() {
	[ -x "$EJABBERDCTL" ] || { say "SKIP: ejabberd not installed"; exit 77; }
	DIR=$(mktemp -d /tmp/mucd-transport.XXXXXX)
	EJABBERD_DIR=$DIR/ejabberd
	mkdir -p "$EJABBERD_DIR"
	ejabberd_start "$EJABBERD_DIR" external
	host_env "$EJABBERD_DIR"
	mucd_start mucd.log
	MUCD_PID=$!
	harness_wait_log "$DIR/mucd.log" "conn: connected" 1 30 || fail "no 'connected' line"
	client_roundtrip
	groupchat_fanout ej
	grep -q "warn conn:" "$DIR/mucd.log" && fail "the stream did not stay up"
	mucd_stop "$MUCD_PID"
	MUCD_PID=
}

case_wrong_secret_is_logged_and_retried() {
	setup
	# At debug, libstrophe's own lines (every byte sent) are logged too.
	MUCD_SECRET_OVERRIDE=not-the-secret mucd_start mucd.log --log-level debug
	MUCD_PID=$!
	harness_wait_log "$DIR/mucd.log" \
	    "warn conn: 127.0.0.1:$COMP refused the handshake of $DOMAIN: not-authorized.*retrying in 1 s" ||
	    fail "no failure line for the wrong secret"
	harness_wait_log "$DIR/mucd.log" "refused the handshake.*retrying in 2 s" ||
	    fail "no second attempt after the wrong secret"
	grep -q "not-the-secret" "$DIR/mucd.log" && fail "the secret was logged"
	grep -q "conn: connected" "$DIR/mucd.log" && fail "connected with a wrong secret"
	mucd_stop "$MUCD_PID"
	MUCD_PID=
}

case_conflict_is_logged_and_retried() {
	setup
	mucd_start mucd.log
	MUCD_PID=$!
	harness_wait_log "$DIR/mucd.log" "conn: connected" || fail "first mucd did not connect"
	mucd_start mucd2.log
	MUCD2_PID=$!
	harness_wait_log "$DIR/mucd2.log" "refused the handshake of $DOMAIN: conflict.*retrying in 2 s" ||
	    fail "no conflict failure and retry from the second mucd"
	mucd_stop "$MUCD2_PID"
	MUCD2_PID=
	harness_pid_alive "$MUCD_PID" || fail "first mucd died"
	mucd_stop "$MUCD_PID"
	MUCD_PID=
}

# Connect, stop the host, see the loss and a refused retry, start the host
# again on the same ports, see the second "connected".
reconnect_cycle() {
	mucd_start mucd.log
	MUCD_PID=$!
	harness_wait_log "$DIR/mucd.log" "conn: connected" 1 30 || fail "no first 'connected'"
	prosody_down
	harness_wait_log "$DIR/mucd.log" "warn conn: (lost the connection to|127.0.0.1:$COMP closed)" 1 30 ||
	    fail "the loss of the host was not logged"
	harness_wait_log "$DIR/mucd.log" "warn conn: cannot connect to 127.0.0.1:$COMP.*retrying in" 1 30 ||
	    fail "no retry logged while the host was down"
	prosody_up
	harness_wait_log "$DIR/mucd.log" "info conn: connected to" 2 90 ||
	    fail "no reconnect after the host came back"
	client_roundtrip
}

case_mucd_reconnects_after_the_host_restarts() {
	setup
	reconnect_cycle
	mucd_stop "$MUCD_PID"
	MUCD_PID=
}

# scrape PORT [PATH]: GET PATH (default /metrics) from mucd's metrics
# listener over bash's /dev/tcp into $DIR/scrape.out (headers and body).
scrape() {
	local fd
	exec {fd}<>"/dev/tcp/127.0.0.1/$1" || fail "cannot reach the metrics port"
	printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "${2:-/metrics}" >&"$fd"
	timeout 5 cat <&"$fd" >"$DIR/scrape.out"
	exec {fd}>&-
}

# metric NAME: the value of the sample NAME (with its labels) in the last
# scrape, or "none".
metric() {
	local v
	v=$(awk -v n="$1" '$1 == n { print $2 }' "$DIR/scrape.out" | tr -d '\r')
	echo "${v:-none}"
}

# expect_metric NAME OP VALUE: e.g. expect_metric mucd_connected -eq 1.
expect_metric() {
	local v
	v=$(metric "$1")
	[ "$v" != none ] && [ "$v" "$2" "$3" ] ||
	    fail "$1 is $v, want $2 $3 (scrape in $DIR/scrape.out)"
}

# The metrics listener while mucd works: the connection gauge, stanzas in
# by kind, stanzas and copies out, bytes, then a lost and regained stream.
case_metrics_count_stanzas_copies_and_reconnects() {
	local mport
	setup
	mport=$(harness_free_ports 1) || fail "no free port"
	mucd_start mucd.log --metrics "127.0.0.1:$mport"
	MUCD_PID=$!
	harness_wait_log "$DIR/mucd.log" "info conn: connected" || fail "no 'connected' line"
	grep -q "serving OpenMetrics on http://127.0.0.1:$mport/metrics" \
	    "$DIR/mucd.log" || fail "the listener was not logged"
	scrape "$mport"
	head -n 1 "$DIR/scrape.out" | grep -q "^HTTP/1.0 200" || fail "no 200"
	grep -qi "^Content-Type: application/openmetrics-text" "$DIR/scrape.out" ||
	    fail "not served as OpenMetrics"
	[ "$(tail -n 1 "$DIR/scrape.out")" = "# EOF" ] || fail "no '# EOF' at the end"
	expect_metric mucd_connected -eq 1
	expect_metric mucd_connects_total -eq 1
	expect_metric 'mucd_stanzas_in_total{kind="message"}' -eq 0

	groupchat_fanout metrics
	scrape "$mport"
	expect_metric 'mucd_stanzas_in_total{kind="presence"}' -ge 2
	expect_metric 'mucd_stanzas_in_total{kind="message"}' -ge 1
	expect_metric 'mucd_stanzas_in_total{kind="iq"}' -ge 1
	# Two occupants: the message alone is one stanza out, two copies.
	expect_metric mucd_stanzas_out_total -ge 4
	expect_metric mucd_copies_out_total -gt "$(metric mucd_stanzas_out_total)"
	expect_metric mucd_sent_bytes_total -gt 1000
	expect_metric mucd_uptime_seconds -ge 0
	# The engine's figures arrive with the next tick (once a second).
	sleep 1.2
	scrape "$mport"
	expect_metric mucd_rooms_loaded -ge 0
	expect_metric mucd_occupants -ge 0
	expect_metric mucd_store_transactions_total -ge 1
	expect_metric 'mucd_errors_total{condition="item-not-found"}' -ge 0

	prosody_down
	harness_wait_log "$DIR/mucd.log" "warn conn: (lost the connection|127.0.0.1:$COMP closed)" 1 30 ||
	    fail "the loss of the host was not logged"
	scrape "$mport"
	expect_metric mucd_connected -eq 0
	expect_metric mucd_disconnects_total -eq 1
	prosody_up
	harness_wait_log "$DIR/mucd.log" "info conn: connected to .* again, after" 1 90 ||
	    fail "no 'connected ... again' line after the host came back"
	scrape "$mport"
	expect_metric mucd_connected -eq 1
	expect_metric mucd_reconnects_total -eq 1
	scrape "$mport" /nothing
	head -n 1 "$DIR/scrape.out" | grep -q "^HTTP/1.0 404" || fail "no 404"
	mucd_stop "$MUCD_PID"
	MUCD_PID=
}

# --metrics on an address that cannot be bound is a startup failure.
case_metrics_on_a_taken_port_fails_at_start() {
	local rc
	setup
	mucd_start mucd.log --metrics "127.0.0.1:$C2S"
	MUCD_PID=$!
	wait "$MUCD_PID"
	rc=$?
	MUCD_PID=
	[ "$rc" -eq 1 ] || fail "exit status $rc, want 1"
	grep -q "metrics: cannot listen on 127.0.0.1:$C2S: Address already in use" \
	    "$DIR/mucd.log" || fail "the bind failure was not logged"
}

case_sigterm_closes_the_stream_and_exits_0() {
	setup
	mucd_start mucd.log
	MUCD_PID=$!
	harness_wait_log "$DIR/mucd.log" "conn: connected" || fail "no 'connected' line"
	mucd_stop "$MUCD_PID"
	MUCD_PID=
	grep -q "info mucd: SIGTERM received, shutting down" "$DIR/mucd.log" ||
	    fail "no shutdown line"
	grep -q "info conn: disconnected from 127.0.0.1:$COMP" "$DIR/mucd.log" ||
	    fail "the stream was not closed"
	grep -q "exiting with status 0" "$DIR/mucd.log" || fail "no exit line"
	# Prosody logs "component disconnected: ... (stream error)" for any
	# close; a real stream error would also log "Disconnecting component".
	grep -q "Disconnecting component" "$DIR/prosody.log" &&
	    fail "Prosody closed the component with a stream error"
	# The host saw the component leave, and can take it again at once.
	mucd_start mucd2.log
	MUCD2_PID=$!
	harness_wait_log "$DIR/mucd2.log" "conn: connected" || fail "the domain stayed taken"
	mucd_stop "$MUCD2_PID"
	MUCD2_PID=
}

# SIGHUP applies a new log_level from the file, and a broken file changes
# nothing (mucd keeps running, connected).
case_sighup_reloads_the_log_level_only() {
	setup
	printf 'log_level = info\n' >"$DIR/mucd.conf"
	mucd_start mucd.log --config "$DIR/mucd.conf"
	MUCD_PID=$!
	harness_wait_log "$DIR/mucd.log" "conn: connected" || fail "no 'connected' line"
	printf 'log_level = debug\n' >"$DIR/mucd.conf"
	kill -HUP "$MUCD_PID"
	harness_wait_log "$DIR/mucd.log" "info config: SIGHUP: log level debug" ||
	    fail "no reload line"
	client_roundtrip		# libstrophe logs the bytes at debug
	harness_wait_log "$DIR/mucd.log" "^[-0-9]+ [:0-9]+ debug strophe/.*RECV: <iq" ||
	    fail "debug lines do not appear"
	printf 'log_level = loud\n' >"$DIR/mucd.conf"
	kill -HUP "$MUCD_PID"
	harness_wait_log "$DIR/mucd.log" "warn config: SIGHUP: nothing changed: $DIR/mucd.conf:1: log_level must be debug, info, warn or error" ||
	    fail "a broken file was not reported"
	harness_pid_alive "$MUCD_PID" || fail "mucd died on SIGHUP"
	grep -c "conn: connected" "$DIR/mucd.log" | grep -qx 1 ||
	    fail "SIGHUP touched the connection"
	mucd_stop "$MUCD_PID"
	MUCD_PID=
}

# Connect, host restart, reconnect, a disco round trip and a groupchat
# fan-out, all under memcheck: no error, nothing left allocated at exit.
case_reconnect_cycle_is_clean_under_valgrind() {
	command -v valgrind >/dev/null || { say "SKIP: valgrind not installed"; exit 77; }
	# ASan's runtime and valgrind cannot share a process (SANITIZE=1).
	! ldd "$MUCD" 2>/dev/null | grep -q libasan ||
	    { say "SKIP: mucd is built with sanitizers"; exit 77; }
	setup
	MUCD_WRAP="valgrind --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all --error-exitcode=99 --log-file=$DIR/valgrind.log"
	reconnect_cycle
	groupchat_fanout vg
	mucd_stop "$MUCD_PID"
	MUCD_PID=
	grep -q "ERROR SUMMARY: 0 errors" "$DIR/valgrind.log" || fail "valgrind found errors"
	grep -q "All heap blocks were freed" "$DIR/valgrind.log" || fail "memory still in use at exit"
	grep -E "total heap usage|ERROR SUMMARY" "$DIR/valgrind.log" | sed 's/^==[0-9]*== */transport: valgrind: /'
}

# connections = 3 against Prosody, which allows one stream per component
# domain: the first connects, the host refuses the second with a
# conflict, mucd says so once and goes on with one stream, no retries.
case_a_host_refusing_a_second_connection_leaves_one() {
	setup
	mucd_start mucd.log --connections 3
	MUCD_PID=$!
	harness_wait_log "$DIR/mucd.log" "info conn: connected to 127.0.0.1:$COMP as $DOMAIN \\(connection 1 of 3\\)" ||
	    fail "no 'connected' line for the first of 3"
	harness_wait_log "$DIR/mucd.log" "warn conn: 127.0.0.1:$COMP refused a second connection for $DOMAIN \\(conflict\\).*going on with 1 connection instead of 3" ||
	    fail "the refusal was not explained"
	client_roundtrip
	groupchat_fanout one
	sleep 2
	grep -q "retrying" "$DIR/mucd.log" && fail "mucd kept retrying the extra connections"
	[ "$(grep -c 'refused a second connection' "$DIR/mucd.log")" = 1 ] ||
	    fail "the refusal was logged more than once"
	mucd_stop "$MUCD_PID"
	MUCD_PID=
}

# connections = 3 against ejabberd, which takes several streams for one
# domain: all three connect (the extra ones after the first), and the
# iq round trip and the fan-out work over them.  (ejabberd picks one of
# the streams at random for each stanza to mucd; every step here waits
# for the answer to the one before, so no two can be read out of order.)
case_groupchat_through_ejabberd_over_three_connections() {
	[ -x "$HARNESS/ejabberd.sh" ] && [ -x /usr/sbin/ejabberdctl ] ||
	    { say "SKIP: ejabberd or tests/harness/ejabberd.sh missing"; exit 77; }
	DIR=$(mktemp -d /tmp/mucd-transport.XXXXXX)
	EJABBERD_DIR=$DIR/ejabberd
	mkdir -p "$EJABBERD_DIR"
	ejabberd_start "$EJABBERD_DIR" external
	host_env "$EJABBERD_DIR"
	mucd_start mucd.log --connections 3
	MUCD_PID=$!
	harness_wait_log "$DIR/mucd.log" "conn: connected.*\\(connection 1 of 3\\)" 1 30 ||
	    fail "the first connection did not come up"
	harness_wait_log "$DIR/mucd.log" "conn: connected.*\\(connection [23] of 3\\)" 2 30 ||
	    fail "the extra connections did not come up"
	[ "$(ss -Htnp state established "( dport = :$COMP )" | grep -c "pid=$MUCD_PID,")" = 3 ] ||
	    fail "mucd does not hold 3 streams to the host"
	client_roundtrip
	groupchat_fanout ej3
	grep -q "warn conn:" "$DIR/mucd.log" && fail "a stream did not stay up"
	mucd_stop "$MUCD_PID"
	MUCD_PID=
}

# ejabberd with mod_multicast (the harness's bench mode): mucd finds the
# service through disco on localhost, proves it with its probe, and a
# groupchat message to three occupants goes out as one XEP-0033 stanza,
# which ejabberd expands: everyone gets a copy, from the sender's nick,
# and no copy shows the <addresses/> (bcc) naming the other occupants.
case_groupchat_through_ejabberd_multicast_reaches_every_occupant() {
	local room q="['\"]" who fd
	[ -x "$HARNESS/ejabberd.sh" ] && [ -x /usr/sbin/ejabberdctl ] ||
	    { say "SKIP: ejabberd or tests/harness/ejabberd.sh missing"; exit 77; }
	DIR=$(mktemp -d /tmp/mucd-transport.XXXXXX)
	EJABBERD_DIR=$DIR/ejabberd
	mkdir -p "$EJABBERD_DIR"
	ejabberd_start "$EJABBERD_DIR" bench
	host_env "$EJABBERD_DIR"
	mucd_start mucd.log --log-level debug
	MUCD_PID=$!
	harness_wait_log "$DIR/mucd.log" "info multicast: broadcasts go through multicast.localhost" 1 30 ||
	    fail "the multicast service was not found and proved"
	room=mc@$DOMAIN
	for who in alice bob carol; do
		client_login fd "$who"
		eval "fd_$who=$fd"
		printf "<presence to='%s/%s'><x xmlns='http://jabber.org/protocol/muc'/></presence>" "$room" "$who" >&"$fd"
		harness_wait_log "$DIR/$who.out" "<presence[^>]*from=${q}$room/$who${q}" 1 10 ||
		    fail "$who did not get the self-presence"
		if [ "$who" = alice ]; then
			printf "<iq type='set' id='cfg1' to='%s'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'/></query></iq>" "$room" >&"$fd"
			harness_wait_log "$DIR/alice.out" "id=${q}cfg1${q}" 1 10 || fail "no answer to the configuration"
		fi
	done
	# shellcheck disable=SC2154  # set by the eval above
	printf "<message type='groupchat' id='m1' to='%s'><body>hello multicast</body></message>" "$room" >&"$fd_alice"
	for who in alice bob carol; do
		harness_wait_log "$DIR/$who.out" "hello multicast" 1 10 ||
		    fail "$who did not get the message"
		grep -oE "<message [^>]*>" "$DIR/$who.out" | grep -E "type=${q}groupchat${q}" |
		    grep -qE "from=${q}$room/alice${q}" ||
		    fail "$who's copy does not come from $room/alice"
		grep -q "address" "$DIR/$who.out" && fail "$who's copy names other recipients"
	done
	grep -qE "SENT: <message to=\"multicast.localhost\"[^>]*><body>hello multicast</body>.*<addresses" "$DIR/mucd.log" ||
	    fail "the message did not go out as one multicast stanza"
	clients_close
	grep -q "warn " "$DIR/mucd.log" && fail "mucd warned: $(grep 'warn ' "$DIR/mucd.log" | head -n 1)"
	mucd_stop "$MUCD_PID"
	MUCD_PID=
}

# Pacing (pace.c) with a window of 4 copies: a room of three, ten
# groupchat messages sent at once (30 copies).  mucd sends XEP-0199 pings
# behind its copies and waits for the answers before taking more; these
# clients never answer, so each wait ends after the probe time-out, which
# mucd logs once, and every message still arrives, in order.
case_pacing_waits_for_probes_and_never_stalls() {
	local q="['\"]" who fd i room=pace@$DOMAIN
	setup
	mucd_start mucd.log --pacing-window 4 --multicast off --log-level debug
	MUCD_PID=$!
	harness_wait_log "$DIR/mucd.log" "conn: connected" || fail "no 'connected' line"
	for who in alice bob carol; do
		client_login fd "$who"
		eval "fd_$who=$fd"
		printf "<presence to='%s/%s'><x xmlns='http://jabber.org/protocol/muc'/></presence>" "$room" "$who" >&"$fd"
		harness_wait_log "$DIR/$who.out" "<presence[^>]*from=${q}$room/$who${q}" 1 10 ||
		    fail "$who did not get the self-presence"
		if [ "$who" = alice ]; then
			printf "<iq type='set' id='cfg1' to='%s'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'/></query></iq>" "$room" >&"$fd"
			harness_wait_log "$DIR/alice.out" "id=${q}cfg1${q}" 1 10 || fail "no answer to the configuration"
		fi
	done
	# shellcheck disable=SC2154  # set by the eval above
	for i in 0 1 2 3 4 5 6 7 8 9; do
		printf "<message type='groupchat' id='p%s' to='%s'><body>paced %s</body></message>" "$i" "$room" "$i" >&"$fd_alice"
	done
	for who in alice bob carol; do
		harness_wait_log "$DIR/$who.out" "paced 9" 1 60 || fail "$who did not get every message"
		[ "$(grep -o 'paced [0-9]' "$DIR/$who.out" | tr -d '\n')" = \
		    "paced 0paced 1paced 2paced 3paced 4paced 5paced 6paced 7paced 8paced 9" ] ||
		    fail "$who got the messages out of order: $(grep -o 'paced [0-9]' "$DIR/$who.out" | tr '\n' ' ')"
	done
	cat "$DIR"/alice.out "$DIR"/bob.out "$DIR"/carol.out | grep -q "urn:xmpp:ping" ||
	    fail "no probe reached a client"
	grep -q "info pace: a probe got no answer" "$DIR/mucd.log" ||
	    fail "the unanswered probes were not logged"
	# The window held: before the first probe ran out, at most two of
	# the messages (6 copies) went out, not all 30.
	i=$(sed '/info pace: a probe got no answer/q' "$DIR/mucd.log" |
	    grep -c 'SENT: <message to=.*paced')
	[ "$i" -le 6 ] || fail "$i copies went out before the first probe was answered"
	clients_close
	mucd_stop "$MUCD_PID"
	MUCD_PID=
}

# A multicast service that refuses a batch (bench-reflect playing one on
# Prosody, reflect.localhost, with --multicast-refuse 1: it expands mucd's
# probe and refuses everything after it).  mucd sends the refused batch
# again one copy per recipient, says so, and sends the next message
# direct: every occupant gets both messages, from the sender's nick.
case_a_refused_multicast_batch_is_sent_again_one_copy_each() {
	local q="['\"]" who fd m reflect
	reflect=$(dirname "$MUCD")/bench-reflect
	[ -x "$reflect" ] || { say "SKIP: $reflect not built"; exit 77; }
	command -v prosody >/dev/null || { say "SKIP: prosody not installed"; exit 77; }
	DIR=$(mktemp -d /tmp/mucd-transport.XXXXXX)
	PROSODY_LOG_LEVEL=warn prosody_start "$DIR" bench
	PROSODY_UP=1
	host_env "$DIR"
	BENCH_SECRET=$SECRET "$reflect" --port "$COMP" --domain reflect.localhost \
	    --multicast-refuse 1 >"$DIR/reflect.log" 2>&1 &
	REFLECT_PID=$!
	harness_wait_log "$DIR/reflect.log" "connected" || fail "bench-reflect did not connect"
	mucd_start mucd.log --multicast reflect.localhost --log-level debug
	MUCD_PID=$!
	harness_wait_log "$DIR/mucd.log" "info multicast: broadcasts go through reflect.localhost" 1 15 ||
	    fail "the service was not proved"
	for who in alice bob carol; do
		client_login fd "$who"
		eval "fd_$who=$fd"
		printf "<presence to='mc@%s/%s'><x xmlns='http://jabber.org/protocol/muc'/></presence>" "$DOMAIN" "$who" >&"$fd"
		harness_wait_log "$DIR/$who.out" "<presence[^>]*from=${q}mc@$DOMAIN/$who${q}" 1 10 ||
		    fail "$who did not get the self-presence"
		if [ "$who" = alice ]; then
			printf "<iq type='set' id='cfg1' to='mc@%s'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'/></query></iq>" "$DOMAIN" >&"$fd"
			harness_wait_log "$DIR/alice.out" "id=${q}cfg1${q}" 1 10 || fail "no answer to the configuration"
		fi
	done
	# shellcheck disable=SC2154  # set by the eval above
	for m in first second; do
		printf "<message type='groupchat' id='%s' to='mc@%s'><body>%s message</body></message>" "$m" "$DOMAIN" "$m" >&"$fd_alice"
		for who in alice bob carol; do
			harness_wait_log "$DIR/$who.out" "$m message" 1 10 ||
			    fail "$who did not get the $m message"
		done
	done
	grep -q "warn multicast: reflect.localhost refused a batch (not-acceptable); one copy per recipient" "$DIR/mucd.log" ||
	    fail "the refusal was not logged"
	for who in alice bob carol; do
		grep -oE "<message [^>]*>" "$DIR/$who.out" | grep -E "type=${q}groupchat${q}" |
		    grep -E "id=${q}first${q}" | grep -qE "from=${q}mc@$DOMAIN/alice${q}" ||
		    fail "$who's resent copy is not the groupchat message from mc/alice"
		grep -q "address" "$DIR/$who.out" && fail "$who's copy names other recipients"
	done
	clients_close
	mucd_stop "$MUCD_PID"
	MUCD_PID=
}

fn="case_$CASE"
declare -F "$fn" >/dev/null || { say "no case $CASE"; exit 2; }
"$fn"
say "ok $CASE"
