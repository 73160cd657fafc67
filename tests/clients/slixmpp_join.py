#!/usr/bin/python3
"""slixmpp_join.py - log in as a slixmpp-based client (poezio's library)
does by default, join a room on mucd, and report what happened.

usage: slixmpp_join.py JID PASSWORD HOST PORT CAFILE ROOM NICK

slixmpp keeps its default security settings: it refuses PLAIN without
TLS, verifies the server's certificate and its name.  The only setting is
CAFILE, the certificate to trust, as a user who accepts the self-signed
certificate of play.sh's server does.  Prints one line per step:

    tls <protocol version>
    sasl <mechanism>
    joined <room>/<nick> status 110

and exits 0 once the self-presence came, 1 on any failure, both within
20 seconds.  Run with Debian's /usr/bin/python3 (python3-slixmpp).
"""
import asyncio
import sys

import slixmpp

TIMEOUT = 20


class Joiner(slixmpp.ClientXMPP):
    def __init__(self, jid, password, cafile, room, nick):
        super().__init__(jid, password)
        self.ca_certs = cafile
        self.room = room
        self.nick = nick
        self.done = asyncio.get_event_loop().create_future()
        self.register_plugin("xep_0045")
        self.add_event_handler("session_start", self.on_session)
        self.add_event_handler("auth_success", self.on_auth)
        self.add_event_handler("failed_auth", self.on_fail("authentication failed"))
        self.add_event_handler("ssl_invalid_cert", self.on_fail("invalid certificate"))
        self.add_event_handler("connection_failed", self.on_fail("connection failed"))
        self.add_event_handler("disconnected", self.on_fail("disconnected"))
        self.add_event_handler("muc::%s::self-presence" % room, self.on_self)

    def on_fail(self, why):
        def handler(event):
            if not self.done.done():
                self.done.set_exception(RuntimeError("%s: %s" % (why, event)))
        return handler

    def on_auth(self, _):
        # TLS came before SASL; the stream's transport is the TLS one now.
        ssl = self.transport.get_extra_info("ssl_object")
        print("tls", ssl.version() if ssl else "none", flush=True)
        mech = self.plugin["feature_mechanisms"].mech
        print("sasl", mech.name if mech else "?", flush=True)

    async def on_session(self, _):
        self.plugin["xep_0045"].join_muc(self.room, self.nick)

    def on_self(self, presence):
        codes = presence["muc"]["status_codes"]
        print("joined %s status %s" % (presence["from"],
              " ".join(str(c) for c in sorted(codes))), flush=True)
        if 110 in codes and not self.done.done():
            self.done.set_result(True)


async def main(argv):
    jid, password, host, port, cafile, room, nick = argv
    xmpp = Joiner(jid, password, cafile, room, nick)
    xmpp.connect((host, int(port)))
    try:
        await asyncio.wait_for(xmpp.done, TIMEOUT)
    finally:
        xmpp.del_event_handler("disconnected", None)
        xmpp.disconnect()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 8:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        sys.exit(2)
    try:
        sys.exit(asyncio.get_event_loop().run_until_complete(main(sys.argv[1:])))
    except Exception as e:  # the reason, on one line, for the test's log
        print("error:", e, flush=True)
        sys.exit(1)
