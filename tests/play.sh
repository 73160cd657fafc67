#!/usr/bin/env bash
#
# play.sh - try mucd by hand: a private Prosody with mucd attached.
#
# usage: tests/play.sh        (run it in the directory that should hold
#                              the database, mucd.db)
#
#   1. installs missing packages (tests/deps.sh) and builds mucd into
#      build/ of the repository;
#   2. starts a private Prosody on 127.0.0.1 with conference.localhost as
#      an external component: clients on port 5222 and the component on
#      5347 when those are free, other free ports otherwise (it says so);
#   3. attaches mucd, with its database mucd.db in the current directory
#      (kept between runs: rooms made persistent survive);
#   4. prints how to connect a client, with the exact settings for
#      poezio, profanity, Gajim and Dino, and stays until Ctrl-C (or
#      SIGTERM), then stops mucd and Prosody by their PIDs.
#
# Any user name logs in with the password "mucd", with SCRAM-SHA-1,
# SCRAM-SHA-256 or PLAIN, over STARTTLS (or plain TCP for clients that
# insist).  The certificate is self-signed for "localhost"; it is made
# once with openssl and kept in ./mucd-play-tls/ beside the database, so a
# client that accepted it keeps trusting it.  The server is
# tests/harness/prosody.sh with PROSODY_CLIENTS=real, the same code the
# real-client tests (tests/clients/) run.  Logs and Prosody's files go to
# a temporary directory, removed at the end unless KEEP_TMP=1.  MUCD=...
# runs another binary without building.

set -euo pipefail
HARNESS_NAME=play.sh
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
db=$PWD/mucd.db
user_mucd=${MUCD:-}
# shellcheck source=tests/harness/prosody.sh
source "$repo/tests/harness/prosody.sh"
# shellcheck source=tests/harness/mucd.sh
source "$repo/tests/harness/mucd.sh"

# 1. Dependencies and the binary.
if [[ -z "$user_mucd" ]]; then
	bash "$repo/tests/deps.sh" </dev/null
	cmake -S "$repo" -B "$repo/build" >/dev/null
	cmake --build "$repo/build" -j2 --target mucd
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mucd-play.XXXXXX")
host_up=0 mucd_up=0
cleanup() {
	trap - EXIT INT TERM
	echo
	((mucd_up)) && { harness_say "stopping mucd"; mucd_stop "$tmp" || true; }
	((host_up)) && { harness_say "stopping Prosody"; prosody_stop "$tmp" || true; }
	if [[ "${KEEP_TMP:-0}" == 1 ]]; then
		harness_say "kept $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 0' INT TERM

# 2. Prosody, on the usual ports when they are free.
if harness_port_in_use 5222; then
	harness_say "port 5222 is taken: clients get another port (below)"
else
	export C2S_PORT=5222
fi
if harness_port_in_use 5347; then
	harness_say "port 5347 is taken: the component gets another port"
else
	export COMPONENT_PORT=5347
fi
PROSODY_CLIENTS=real PROSODY_CERT_DIR=$PWD/mucd-play-tls \
    PROSODY_LOG_LEVEL=info prosody_start "$tmp" external
host_up=1
unset C2S_PORT COMPONENT_PORT

# 3. mucd on ./mucd.db.
MUCD_LOG_LEVEL=info mucd_start "$tmp" "$db"
mucd_up=1

c2s=$(harness_env_get "$tmp/host.env" C2S_PORT)
comp=$(harness_env_get "$tmp/host.env" COMPONENT_PORT)
cert=$(harness_env_get "$tmp/host.env" CERT)
fp=$(harness_env_get "$tmp/host.env" CERT_SHA256)
cat <<EOF

mucd is attached to a private Prosody (component port $comp).

Connect any XMPP client:
  account     any name @localhost, e.g. alice@localhost
  password    mucd (the same for every name)
  server      127.0.0.1, port $c2s (set it by hand: localhost may
              resolve to ::1, where nothing listens)
  security    STARTTLS; SCRAM-SHA-1, SCRAM-SHA-256 or PLAIN.  The
              certificate is self-signed for localhost:
                $cert
                SHA-256 $fp
  rooms       any-name@conference.localhost

Client by client:
  poezio      in ~/.config/poezio/poezio.cfg, section [Poezio]:
                jid = alice@localhost
                password = mucd
                custom_host = 127.0.0.1
                custom_port = $c2s
                ca_cert_path = $cert
              then: /join lobby@conference.localhost/alice
  profanity   /connect alice@localhost server 127.0.0.1 port $c2s tls trust
              (password: mucd), then: /join lobby@conference.localhost
              ("tls trust" accepts the self-signed certificate)
  Gajim       add an account with "I have an account": alice@localhost,
              password mucd; in "Advanced" set the connection to host
              127.0.0.1, port $c2s, type STARTTLS; when Gajim reports the
              self-signed certificate, compare the SHA-256 above and add
              it to the trusted ones.
  Dino        has no host or port field: it reaches localhost:5222 only,
              so it works when play.sh got port 5222 and localhost
              resolves to 127.0.0.1; accept the certificate when asked.

Database: $db
Logs:     $tmp/mucd.log
          $tmp/prosody.log
Press Ctrl-C to stop.
EOF

# 4. Wait for Ctrl-C.  The loop forks nothing but "sleep &": bash runs
#    the INT trap at once during "wait", but may drop a SIGINT that comes
#    while it waits for a foreground child.
mucd_pid=$(harness_env_get "$tmp/mucd.env" MUCD_PID)
host_pid=$(harness_env_get "$tmp/host.env" PID)
while harness_pid_alive "$mucd_pid"; do
	if ! harness_pid_alive "$host_pid"; then
		harness_die "Prosody stopped on its own" "$tmp/prosody.log"
	fi
	sleep 1 &
	wait $! || true
done
harness_die "mucd stopped on its own" "$tmp/mucd.log"
