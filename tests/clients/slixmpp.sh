#!/usr/bin/env bash
#
# slixmpp.sh - a slixmpp client, with slixmpp's default security settings,
# logs in to the server play.sh builds and joins a room on mucd.
#
# usage: slixmpp.sh        (MUCD=... names the binary, as for mucd.sh)
#
# The server is tests/harness/prosody.sh with PROSODY_CLIENTS=real, the
# same code play.sh runs: STARTTLS with a self-signed certificate, SCRAM.
# slixmpp (poezio's library) refuses PLAIN without TLS and checks the
# certificate; the client trusts the generated certificate and changes
# nothing else (slixmpp_join.py).  It must see TLS, a SCRAM mechanism and
# its self-presence (status 110) from mucd.  Everything started here is
# stopped by PID at the end.  Exit status 0 pass, 1 fail, 77 when
# /usr/bin/python3 has no slixmpp (tests/deps.sh installs python3-slixmpp).

set -euo pipefail
HARNESS_NAME=slixmpp.sh
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=tests/harness/prosody.sh
source "$here/../harness/prosody.sh"
# shellcheck source=tests/harness/mucd.sh
source "$here/../harness/mucd.sh"

if ! /usr/bin/python3 -c 'import slixmpp' 2>/dev/null; then
	echo "slixmpp.sh: SKIP: /usr/bin/python3 has no slixmpp (apt-get install python3-slixmpp)"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mucd-slixmpp.XXXXXX")
cleanup() {
	mucd_stop "$tmp" || true
	prosody_stop "$tmp" || true
	[[ "${KEEP_TMP:-0}" == 1 ]] || rm -rf "$tmp"
}
trap cleanup EXIT

PROSODY_CLIENTS=real PROSODY_LOG_LEVEL=debug prosody_start "$tmp" external
mucd_start "$tmp"
c2s=$(harness_env_get "$tmp/host.env" C2S_PORT)
cert=$(harness_env_get "$tmp/host.env" CERT)

rc=0
timeout 30 /usr/bin/python3 "$here/slixmpp_join.py" alice@localhost mucd \
    127.0.0.1 "$c2s" "$cert" lobby@conference.localhost alice \
    >"$tmp/client.out" 2>&1 || rc=$?
cat "$tmp/client.out"
((rc == 0)) || harness_die "the slixmpp client failed (status $rc)" \
    "$tmp/client.out" "$tmp/prosody.log" "$tmp/mucd.log"
grep -q '^tls TLSv1\.[23]$' "$tmp/client.out" ||
    harness_die "the client did not use TLS 1.2 or 1.3"
grep -q '^sasl SCRAM-SHA-' "$tmp/client.out" ||
    harness_die "the client did not authenticate with SCRAM"
grep -q '^joined lobby@conference.localhost/alice status .*110' \
    "$tmp/client.out" || harness_die "no self-presence with status 110"
echo "slixmpp.sh: ok"
