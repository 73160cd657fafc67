#!/bin/bash
#
# transport.sh - mucd against a real Prosody: handshake, failures, reconnect.
#
# usage: transport.sh CASE MUCD
#
# Each case starts its own Prosody in external-component mode (loopback,
# free ports, a temporary directory), runs the mucd binary MUCD against it
# and checks mucd's log and exit status; one case runs against ejabberd,
# started with tests/harness/ejabberd.sh.  Clients are plain bash on
# /dev/tcp (SASL PLAIN, the hosts accept any password).  Every server and daemon started
# here is killed by its PID when the script ends, also on failure.  Exit
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
SECRET="tr-$$-$RANDOM"

DIR=
PROSODY_PID=
MUCD_PID=
MUCD2_PID=
EJABBERD_DIR=
PROSODY_DIR=
REFLECT_PID=
HARNESS=$(cd "$(dirname "$0")/../harness" 2>/dev/null && pwd)

say() { printf '%s\n' "transport: $*"; }
fail() {
	say "FAIL: $*"
	for f in "$DIR"/mucd*.log "$DIR"/prosody.log "$DIR"/*.out \
	    "$DIR"/valgrind.log; do
		[ -s "$f" ] && { echo "---- $f"; tail -n 40 "$f"; }
	done
	exit 1
}

# Kill by PID only what this script started; wait so nothing is left over.
cleanup() {
	local pid
	for pid in $CLIENT_READERS; do
		kill "$pid" 2>/dev/null
	done
	for pid in $MUCD_PID $MUCD2_PID $PROSODY_PID; do
		kill -0 "$pid" 2>/dev/null || continue
		kill -TERM "$pid" 2>/dev/null
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	if [ -n "$EJABBERD_DIR" ]; then
		"$HARNESS/ejabberd.sh" stop --dir "$EJABBERD_DIR" >/dev/null 2>&1
	fi
	if [ -n "$REFLECT_PID" ]; then
		kill -TERM "$REFLECT_PID" 2>/dev/null
		wait "$REFLECT_PID" 2>/dev/null
	fi
	if [ -n "$PROSODY_DIR" ]; then
		"$HARNESS/prosody.sh" stop --dir "$PROSODY_DIR" >/dev/null 2>&1
	fi
	if [ -n "$DIR" ] && [ "${MUCD_TEST_KEEP:-0}" != 1 ]; then
		rm -rf "$DIR"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# A loopback TCP port nobody listens on.
free_port() {
	local p
	for _ in $(seq 100); do
		p=$((20000 + RANDOM % 40000))
		if [ -z "$(ss -Htln "( sport = :$p )" 2>/dev/null)" ]; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# wait_log FILE REGEX [COUNT] [SECONDS]: until FILE has COUNT lines
# matching REGEX.  Returns 1 on timeout.
wait_log() {
	local file=$1 re=$2 count=${3:-1} secs=${4:-15} i n
	for ((i = 0; i < secs * 10; i++)); do
		n=$(grep -cE -- "$re" "$file" 2>/dev/null)
		[ "${n:-0}" -ge "$count" ] && return 0
		sleep 0.1
	done
	return 1
}

# Is pid alive and not a zombie?
alive() {
	local st
	st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "${st#Z}" = "$st" ]
}

prosody_config() {
	mkdir -p "$DIR/data" "$DIR/certs"
	cat >"$DIR/prosody.cfg.lua" <<EOF
run_as_root = true
daemonize = false
pidfile = "$DIR/prosody.pid"
data_path = "$DIR/data"
certificates = "$DIR/certs"
interfaces = { "127.0.0.1" }
c2s_ports = { $C2S }
component_ports = { $COMP }
component_interfaces = { "127.0.0.1" }
s2s_ports = {}; http_ports = {}; https_ports = {}; c2s_direct_tls_ports = {}
modules_enabled = { "roster"; "saslauth"; "disco"; "presence"; "ping" }
modules_disabled = { "s2s"; "tls" }
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "insecure"
insecure_open_authentication = "Yes please, I know what I'm doing!"
storage = "memory"
log = { info = "$DIR/prosody.log" }
VirtualHost "localhost"
Component "$DOMAIN"
    component_secret = "$SECRET"
EOF
}

prosody_start() {
	prosody -F --config "$DIR/prosody.cfg.lua" >>"$DIR/prosody.out" 2>&1 &
	PROSODY_PID=$!
	# Both listeners must be this Prosody's: Prosody does not exit when a
	# port is taken, and a parallel test might hold one.
	for _ in $(seq 100); do
		if ss -Htlnp "( sport = :$COMP )" | grep -q "pid=$PROSODY_PID," &&
		    ss -Htlnp "( sport = :$C2S )" | grep -q "pid=$PROSODY_PID,"
		then
			return 0
		fi
		alive "$PROSODY_PID" || fail "prosody exited at start"
		sleep 0.1
	done
	fail "prosody did not open ports $C2S and $COMP"
}

prosody_stop() {
	kill -TERM "$PROSODY_PID"
	wait "$PROSODY_PID" 2>/dev/null
	PROSODY_PID=
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
	alive "$pid" || fail "mucd ($pid) died before SIGTERM"
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	[ "$rc" -eq 0 ] || fail "mucd exited with status $rc after SIGTERM"
}

setup() {
	command -v prosody >/dev/null || { say "SKIP: prosody not installed"; exit 77; }
	DIR=$(mktemp -d /tmp/mucd-transport.XXXXXX)
	C2S=$(free_port) || fail "no free port"
	COMP=$(free_port) || fail "no free port"
	prosody_config
	prosody_start
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
	wait_log "$out" "PLAIN" 1 5 || fail "$user: no SASL PLAIN offered"
	printf "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>%s</auth>" \
	    "$(printf '\0%s\0pw' "$user" | base64)" >&"$sock"
	wait_log "$out" "<success" 1 5 || fail "$user: SASL failed"
	printf '%s' "$hdr" >&"$sock"
	wait_log "$out" "xmpp-bind" 1 5 || fail "$user: no bind offered"
	printf "<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>t</resource></bind></iq>" >&"$sock"
	wait_log "$out" "bind1" 1 5 || fail "$user: bind failed"
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
	wait_log "$out" "id=['\"]rt1['\"]" 1 10 || fail "no answer to the iq"
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
	wait_log "$DIR/mucd.log" "info conn: connected to 127.0.0.1:$COMP as $DOMAIN" ||
	    fail "no 'connected' line"
	sleep 1		# the crash conn_prime() avoids came right after this
	alive "$MUCD_PID" || fail "mucd died after connecting"
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
	wait_log "$DIR/mucd.log" "conn: connected" || fail "no 'connected' line"
	client_roundtrip
	alive "$MUCD_PID" || fail "mucd died handling the stanza"
	mucd_stop "$MUCD_PID"
	MUCD_PID=
}

# The fan-out path end to end: two occupants, one groupchat message, both
# receive it from the sender's occupant JID (a broadcast entry rendered
# once by muc_out_render_to and queued per recipient with conn_send).
# groupchat_fanout ROOM: alice creates ROOM, bob joins, alice's groupchat
# message reaches both from ROOM/alice.
groupchat_fanout() {
	local a b room=$1@$DOMAIN q="['\"]" who
	client_login a alice
	printf "<presence to='%s/alice'><x xmlns='http://jabber.org/protocol/muc'/></presence>" "$room" >&"$a"
	wait_log "$DIR/alice.out" "<presence[^>]*from=${q}$room/alice${q}" 1 10 ||
	    fail "alice did not get her own presence"
	# Accept the instant room (XEP-0045 10.1.2), in case it is locked.
	printf "<iq type='set' id='cfg1' to='%s'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'/></query></iq>" "$room" >&"$a"
	wait_log "$DIR/alice.out" "id=${q}cfg1${q}" 1 10 || fail "no answer to the room configuration"
	client_login b bob
	printf "<presence to='%s/bob'><x xmlns='http://jabber.org/protocol/muc'/></presence>" "$room" >&"$b"
	wait_log "$DIR/bob.out" "<presence[^>]*from=${q}$room/bob${q}" 1 10 ||
	    fail "bob did not get his own presence"
	printf "<message type='groupchat' id='m1' to='%s'><body>hello fan-out</body></message>" "$room" >&"$a"
	for who in alice bob; do
		wait_log "$DIR/$who.out" "hello fan-out" 1 10 ||
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
	wait_log "$DIR/mucd.log" "conn: connected" || fail "no 'connected' line"
	groupchat_fanout fanout
	alive "$MUCD_PID" || fail "mucd died"
	mucd_stop "$MUCD_PID"
	MUCD_PID=
}

# The same against ejabberd, which, unlike Prosody, closes the stream of
# a component that sends a stanza without `from` (improper-addressing).
# ejabberd is started with tests/harness/ejabberd.sh (its private
# installation is too long to repeat here).
case_groupchat_through_ejabberd_keeps_the_stream_up() {
	[ -x "$HARNESS/ejabberd.sh" ] && [ -x /usr/sbin/ejabberdctl ] ||
	    { say "SKIP: ejabberd or tests/harness/ejabberd.sh missing"; exit 77; }
	DIR=$(mktemp -d /tmp/mucd-transport.XXXXXX)
	EJABBERD_DIR=$DIR/ejabberd
	mkdir -p "$EJABBERD_DIR"
	"$HARNESS/ejabberd.sh" start --dir "$EJABBERD_DIR" --mode external \
	    >"$DIR/ejabberd-start.out" 2>&1 || fail "ejabberd did not start: $(tail -n 5 "$DIR/ejabberd-start.out")"
	C2S=$(sed -n 's/^C2S_PORT=//p' "$EJABBERD_DIR/host.env")
	COMP=$(sed -n 's/^COMPONENT_PORT=//p' "$EJABBERD_DIR/host.env")
	SECRET=$(sed -n 's/^COMPONENT_SECRET=//p' "$EJABBERD_DIR/host.env")
	mucd_start mucd.log
	MUCD_PID=$!
	wait_log "$DIR/mucd.log" "conn: connected" 1 30 || fail "no 'connected' line"
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
	wait_log "$DIR/mucd.log" \
	    "warn conn: 127.0.0.1:$COMP refused the handshake of $DOMAIN: not-authorized.*retrying in 1 s" ||
	    fail "no failure line for the wrong secret"
	wait_log "$DIR/mucd.log" "refused the handshake.*retrying in 2 s" ||
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
	wait_log "$DIR/mucd.log" "conn: connected" || fail "first mucd did not connect"
	mucd_start mucd2.log
	MUCD2_PID=$!
	wait_log "$DIR/mucd2.log" "refused the handshake of $DOMAIN: conflict.*retrying in 2 s" ||
	    fail "no conflict failure and retry from the second mucd"
	mucd_stop "$MUCD2_PID"
	MUCD2_PID=
	alive "$MUCD_PID" || fail "first mucd died"
	mucd_stop "$MUCD_PID"
	MUCD_PID=
}

# Connect, stop the host, see the loss and a refused retry, start the host
# again on the same ports, see the second "connected".
reconnect_cycle() {
	mucd_start mucd.log
	MUCD_PID=$!
	wait_log "$DIR/mucd.log" "conn: connected" 1 30 || fail "no first 'connected'"
	prosody_stop
	wait_log "$DIR/mucd.log" "warn conn: (lost the connection to|127.0.0.1:$COMP closed)" 1 30 ||
	    fail "the loss of the host was not logged"
	wait_log "$DIR/mucd.log" "warn conn: cannot connect to 127.0.0.1:$COMP.*retrying in" 1 30 ||
	    fail "no retry logged while the host was down"
	prosody_start
	wait_log "$DIR/mucd.log" "info conn: connected to" 2 90 ||
	    fail "no reconnect after the host came back"
	client_roundtrip
}

case_mucd_reconnects_after_the_host_restarts() {
	setup
	reconnect_cycle
	mucd_stop "$MUCD_PID"
	MUCD_PID=
}

case_sigterm_closes_the_stream_and_exits_0() {
	setup
	mucd_start mucd.log
	MUCD_PID=$!
	wait_log "$DIR/mucd.log" "conn: connected" || fail "no 'connected' line"
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
	wait_log "$DIR/mucd2.log" "conn: connected" || fail "the domain stayed taken"
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
	wait_log "$DIR/mucd.log" "conn: connected" || fail "no 'connected' line"
	printf 'log_level = debug\n' >"$DIR/mucd.conf"
	kill -HUP "$MUCD_PID"
	wait_log "$DIR/mucd.log" "info config: SIGHUP: log level debug" ||
	    fail "no reload line"
	client_roundtrip		# libstrophe logs the bytes at debug
	wait_log "$DIR/mucd.log" "^[-0-9]+ [:0-9]+ debug strophe/.*RECV: <iq" ||
	    fail "debug lines do not appear"
	printf 'log_level = loud\n' >"$DIR/mucd.conf"
	kill -HUP "$MUCD_PID"
	wait_log "$DIR/mucd.log" "warn config: SIGHUP: nothing changed: $DIR/mucd.conf:1: log_level must be debug, info, warn or error" ||
	    fail "a broken file was not reported"
	alive "$MUCD_PID" || fail "mucd died on SIGHUP"
	grep -c "conn: connected" "$DIR/mucd.log" | grep -qx 1 ||
	    fail "SIGHUP touched the connection"
	mucd_stop "$MUCD_PID"
	MUCD_PID=
}

# Connect, host restart, reconnect, a disco round trip and a groupchat
# fan-out, all under memcheck: no error, nothing left allocated at exit.
case_reconnect_cycle_is_clean_under_valgrind() {
	command -v valgrind >/dev/null || { say "SKIP: valgrind not installed"; exit 77; }
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
	wait_log "$DIR/mucd.log" "info conn: connected to 127.0.0.1:$COMP as $DOMAIN \\(connection 1 of 3\\)" ||
	    fail "no 'connected' line for the first of 3"
	wait_log "$DIR/mucd.log" "warn conn: 127.0.0.1:$COMP refused a second connection for $DOMAIN \\(conflict\\).*going on with 1 connection instead of 3" ||
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
	"$HARNESS/ejabberd.sh" start --dir "$EJABBERD_DIR" --mode external \
	    >"$DIR/ejabberd-start.out" 2>&1 || fail "ejabberd did not start: $(tail -n 5 "$DIR/ejabberd-start.out")"
	C2S=$(sed -n 's/^C2S_PORT=//p' "$EJABBERD_DIR/host.env")
	COMP=$(sed -n 's/^COMPONENT_PORT=//p' "$EJABBERD_DIR/host.env")
	SECRET=$(sed -n 's/^COMPONENT_SECRET=//p' "$EJABBERD_DIR/host.env")
	mucd_start mucd.log --connections 3
	MUCD_PID=$!
	wait_log "$DIR/mucd.log" "conn: connected.*\\(connection 1 of 3\\)" 1 30 ||
	    fail "the first connection did not come up"
	wait_log "$DIR/mucd.log" "conn: connected.*\\(connection [23] of 3\\)" 2 30 ||
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
	"$HARNESS/ejabberd.sh" start --dir "$EJABBERD_DIR" --mode bench \
	    >"$DIR/ejabberd-start.out" 2>&1 || fail "ejabberd did not start: $(tail -n 5 "$DIR/ejabberd-start.out")"
	C2S=$(sed -n 's/^C2S_PORT=//p' "$EJABBERD_DIR/host.env")
	COMP=$(sed -n 's/^COMPONENT_PORT=//p' "$EJABBERD_DIR/host.env")
	SECRET=$(sed -n 's/^COMPONENT_SECRET=//p' "$EJABBERD_DIR/host.env")
	mucd_start mucd.log --log-level debug
	MUCD_PID=$!
	wait_log "$DIR/mucd.log" "info multicast: broadcasts go through multicast.localhost" 1 30 ||
	    fail "the multicast service was not found and proved"
	room=mc@$DOMAIN
	for who in alice bob carol; do
		client_login fd "$who"
		eval "fd_$who=$fd"
		printf "<presence to='%s/%s'><x xmlns='http://jabber.org/protocol/muc'/></presence>" "$room" "$who" >&"$fd"
		wait_log "$DIR/$who.out" "<presence[^>]*from=${q}$room/$who${q}" 1 10 ||
		    fail "$who did not get the self-presence"
		if [ "$who" = alice ]; then
			printf "<iq type='set' id='cfg1' to='%s'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'/></query></iq>" "$room" >&"$fd"
			wait_log "$DIR/alice.out" "id=${q}cfg1${q}" 1 10 || fail "no answer to the configuration"
		fi
	done
	# shellcheck disable=SC2154  # set by the eval above
	printf "<message type='groupchat' id='m1' to='%s'><body>hello multicast</body></message>" "$room" >&"$fd_alice"
	for who in alice bob carol; do
		wait_log "$DIR/$who.out" "hello multicast" 1 10 ||
		    fail "$who did not get the message"
		grep -oE "<message [^>]*>" "$DIR/$who.out" | grep -E "type=${q}groupchat${q}" |
		    grep -qE "from=${q}$room/alice${q}" ||
		    fail "$who's copy does not come from $room/alice"
		grep -q "address" "$DIR/$who.out" && fail "$who's copy names other recipients"
	done
	grep -qE "SENT: <message to=\"multicast.localhost\"[^>]*><body>hello multicast</body><addresses" "$DIR/mucd.log" ||
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
	wait_log "$DIR/mucd.log" "conn: connected" || fail "no 'connected' line"
	for who in alice bob carol; do
		client_login fd "$who"
		eval "fd_$who=$fd"
		printf "<presence to='%s/%s'><x xmlns='http://jabber.org/protocol/muc'/></presence>" "$room" "$who" >&"$fd"
		wait_log "$DIR/$who.out" "<presence[^>]*from=${q}$room/$who${q}" 1 10 ||
		    fail "$who did not get the self-presence"
		if [ "$who" = alice ]; then
			printf "<iq type='set' id='cfg1' to='%s'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'/></query></iq>" "$room" >&"$fd"
			wait_log "$DIR/alice.out" "id=${q}cfg1${q}" 1 10 || fail "no answer to the configuration"
		fi
	done
	# shellcheck disable=SC2154  # set by the eval above
	for i in 0 1 2 3 4 5 6 7 8 9; do
		printf "<message type='groupchat' id='p%s' to='%s'><body>paced %s</body></message>" "$i" "$room" "$i" >&"$fd_alice"
	done
	for who in alice bob carol; do
		wait_log "$DIR/$who.out" "paced 9" 1 60 || fail "$who did not get every message"
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
	PROSODY_DIR=$DIR/prosody
	mkdir -p "$PROSODY_DIR"
	PROSODY_LOG_LEVEL=warn "$HARNESS/prosody.sh" start --dir "$PROSODY_DIR" --mode bench \
	    >"$DIR/prosody-start.out" 2>&1 || fail "prosody did not start: $(tail -n 5 "$DIR/prosody-start.out")"
	C2S=$(sed -n 's/^C2S_PORT=//p' "$PROSODY_DIR/host.env")
	COMP=$(sed -n 's/^COMPONENT_PORT=//p' "$PROSODY_DIR/host.env")
	SECRET=$(sed -n 's/^COMPONENT_SECRET=//p' "$PROSODY_DIR/host.env")
	BENCH_SECRET=$SECRET "$reflect" --port "$COMP" --domain reflect.localhost \
	    --multicast-refuse 1 >"$DIR/reflect.log" 2>&1 &
	REFLECT_PID=$!
	wait_log "$DIR/reflect.log" "connected" || fail "bench-reflect did not connect"
	mucd_start mucd.log --multicast reflect.localhost --log-level debug
	MUCD_PID=$!
	wait_log "$DIR/mucd.log" "info multicast: broadcasts go through reflect.localhost" 1 15 ||
	    fail "the service was not proved"
	for who in alice bob carol; do
		client_login fd "$who"
		eval "fd_$who=$fd"
		printf "<presence to='mc@%s/%s'><x xmlns='http://jabber.org/protocol/muc'/></presence>" "$DOMAIN" "$who" >&"$fd"
		wait_log "$DIR/$who.out" "<presence[^>]*from=${q}mc@$DOMAIN/$who${q}" 1 10 ||
		    fail "$who did not get the self-presence"
		if [ "$who" = alice ]; then
			printf "<iq type='set' id='cfg1' to='mc@%s'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'/></query></iq>" "$DOMAIN" >&"$fd"
			wait_log "$DIR/alice.out" "id=${q}cfg1${q}" 1 10 || fail "no answer to the configuration"
		fi
	done
	# shellcheck disable=SC2154  # set by the eval above
	for m in first second; do
		printf "<message type='groupchat' id='%s' to='mc@%s'><body>%s message</body></message>" "$m" "$DOMAIN" "$m" >&"$fd_alice"
		for who in alice bob carol; do
			wait_log "$DIR/$who.out" "$m message" 1 10 ||
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
