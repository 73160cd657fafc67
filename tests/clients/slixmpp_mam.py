#!/usr/bin/python3
"""slixmpp_mam.py - a slixmpp client catches up on a room through its
archive (XEP-0313, with slixmpp's xep_0313 and its XEP-0059 paging), as
today's clients do.

usage: slixmpp_mam.py JID PASSWORD HOST PORT CAFILE ROOM NICK

Logs in with slixmpp's default security (CAFILE trusts the test
server's certificate), creates ROOM, makes it persistent with archiving
on, says five things and notes the stanza-id (XEP-0359) of each copy it
gets back, then reads the archive: forward and backward in pages of two
(slixmpp follows RSM's first/last itself), and the archive's metadata.
Prints one line per step:

    features urn:xmpp:mam:2 urn:xmpp:sid:0
    sent 5 ids <id> ...
    forward <body> ... ids match
    backward <body> ... ids match
    metadata <first id> <last id>

and exits 0 when every step saw what it should, 1 otherwise, within 30
seconds.  Run with Debian's /usr/bin/python3 (python3-slixmpp).
"""
import asyncio
import sys
from xml.etree import ElementTree as ET

import slixmpp

TIMEOUT = 30
COUNT = 5
NS_OWNER = "http://jabber.org/protocol/muc#owner"


class Archivist(slixmpp.ClientXMPP):
    def __init__(self, jid, password, cafile, room, nick):
        super().__init__(jid, password)
        self.ca_certs = cafile
        self.room = room
        self.nick = nick
        self.sids = []
        self.done = asyncio.get_event_loop().create_future()
        self.joined = asyncio.get_event_loop().create_future()
        self.echoes = asyncio.Queue()
        for p in ("xep_0030", "xep_0045", "xep_0059", "xep_0313", "xep_0359"):
            self.register_plugin(p)
        self.add_event_handler("session_start", self.on_session)
        self.add_event_handler("muc::%s::self-presence" % room, self.on_self)
        self.add_event_handler("groupchat_message", self.on_groupchat)
        for event in ("failed_auth", "connection_failed", "disconnected"):
            self.add_event_handler(event, self.on_fail(event))

    def on_fail(self, why):
        def handler(event):
            if not self.done.done():
                self.done.set_exception(RuntimeError("%s: %s" % (why, event)))
        return handler

    def on_self(self, presence):
        if not self.joined.done():
            self.joined.set_result(presence)

    def on_groupchat(self, msg):
        if msg["body"]:
            self.echoes.put_nowait(msg)

    async def configure(self):
        iq = self.make_iq_set(ito=self.room)
        query = ET.SubElement(iq.xml, "{%s}query" % NS_OWNER)
        form = ET.SubElement(query, "{jabber:x:data}x", type="submit")
        for var, value in (("FORM_TYPE",
                            "http://jabber.org/protocol/muc#roomconfig"),
                           ("muc#roomconfig_persistentroom", "1"),
                           ("muc#roomconfig_enablearchiving", "1")):
            field = ET.SubElement(form, "{jabber:x:data}field", var=var)
            ET.SubElement(field, "{jabber:x:data}value").text = value
        await iq.send(timeout=10)

    async def talk(self):
        for i in range(COUNT):
            self.send_message(mto=self.room, mbody="line %d" % i,
                              mtype="groupchat")
            echo = await asyncio.wait_for(self.echoes.get(), 10)
            sid = echo["stanza_id"]
            if sid["by"] != self.room or not sid["id"]:
                raise RuntimeError("echo without the room's stanza-id: %s"
                                   % echo)
            self.sids.append(sid["id"])
        print("sent", len(self.sids), "ids", " ".join(self.sids), flush=True)

    async def read(self, reverse):
        bodies, ids = [], []
        async for msg in self.plugin["xep_0313"].iterate(
                jid=self.room, reverse=reverse, rsm={"max": 2}):
            fwd = msg["mam_result"]["forwarded"]["stanza"]
            bodies.append(fwd["body"])
            ids.append(msg["mam_result"]["id"])
        want = list(self.sids)
        if reverse:
            want.reverse()
        print("backward" if reverse else "forward", " ".join(bodies),
              "ids match" if ids == want else "ids DIFFER %s" % ids,
              flush=True)
        if ids != want:
            raise RuntimeError("archive ids are not the live stanza-ids")

    async def on_session(self, _):
        try:
            self.plugin["xep_0045"].join_muc(self.room, self.nick)
            await asyncio.wait_for(self.joined, 10)
            await self.configure()
            info = await self.plugin["xep_0030"].get_info(jid=self.room)
            feats = info["disco_info"]["features"]
            print("features", " ".join(f for f in ("urn:xmpp:mam:2",
                  "urn:xmpp:sid:0") if f in feats), flush=True)
            await self.talk()
            await self.read(False)
            await self.read(True)
            md = await self.plugin["xep_0313"].get_archive_metadata(
                jid=self.room, timeout=10)
            print("metadata", md["mam_metadata"]["start"]["id"],
                  md["mam_metadata"]["end"]["id"], flush=True)
            if not self.done.done():
                self.done.set_result(True)
        except Exception as e:  # the reason, for the test's log
            if not self.done.done():
                self.done.set_exception(e)


async def main(argv):
    jid, password, host, port, cafile, room, nick = argv
    xmpp = Archivist(jid, password, cafile, room, nick)
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
    except Exception as e:
        print("error:", e, flush=True)
        sys.exit(1)
