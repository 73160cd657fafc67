#!/usr/bin/env bash
#
# slixmpp_mam.sh - a slixmpp client reads a room's archive on mucd with
# slixmpp's own XEP-0313 and XEP-0059 code (slixmpp_mam.py).
#
# usage: slixmpp_mam.sh        (MUCD=... names the binary, as for mucd.sh)
#
# The server is tests/harness/prosody.sh with PROSODY_CLIENTS=real, as for
# slixmpp.sh: STARTTLS with a self-signed certificate, SCRAM.  The client
# must see the archive features, the stanza-ids of its messages, the same
# ids in the archive paged forward and backward, and the metadata.
# Everything started here is stopped by PID at the end.  Exit status 0
# pass, 1 fail, 77 when /usr/bin/python3 has no slixmpp (tests/deps.sh
# installs python3-slixmpp).

set -euo pipefail
HARNESS_NAME=slixmpp_mam.sh
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=tests/harness/prosody.sh
source "$here/../harness/prosody.sh"
# shellcheck source=tests/harness/mucd.sh
source "$here/../harness/mucd.sh"

if ! /usr/bin/python3 -c 'import slixmpp.plugins.xep_0313' 2>/dev/null; then
	echo "slixmpp_mam.sh: SKIP: /usr/bin/python3 has no slixmpp with xep_0313 (apt-get install python3-slixmpp)"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mucd-slixmpp-mam.XXXXXX")
cleanup() {
	mucd_stop "$tmp" || true
	prosody_stop "$tmp" || true
	[[ "${KEEP_TMP:-0}" == 1 ]] || rm -rf "$tmp"
}
trap cleanup EXIT

PROSODY_CLIENTS=real prosody_start "$tmp" external
mucd_start "$tmp"
c2s=$(harness_env_get "$tmp/host.env" C2S_PORT)
cert=$(harness_env_get "$tmp/host.env" CERT)

rc=0
timeout 60 /usr/bin/python3 "$here/slixmpp_mam.py" alice@localhost mucd \
    127.0.0.1 "$c2s" "$cert" history@conference.localhost alice \
    >"$tmp/client.out" 2>&1 || rc=$?
cat "$tmp/client.out"
((rc == 0)) || harness_die "the slixmpp client failed (status $rc)" \
    "$tmp/client.out" "$tmp/prosody.log" "$tmp/mucd.log"
grep -q '^features urn:xmpp:mam:2 urn:xmpp:sid:0$' "$tmp/client.out" ||
    harness_die "the room did not advertise the archive and stanza-ids"
grep -q '^forward line 0 line 1 line 2 line 3 line 4 ids match$' \
    "$tmp/client.out" || harness_die "paging forward went wrong"
grep -q '^backward line 4 line 3 line 2 line 1 line 0 ids match$' \
    "$tmp/client.out" || harness_die "paging backward went wrong"
grep -q '^metadata ' "$tmp/client.out" || harness_die "no metadata"
echo "slixmpp_mam.sh: ok"
