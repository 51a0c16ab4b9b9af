"""An independent XMPP client (slixmpp, from Debian) as the other side of a conversation.

Usage: RVI_TEST_CA=ca.pem /usr/bin/python3 slix_peer.py HOST PORT JID PASSWORD [SEND_TO TEXT]
Prints one JSON line per event: {"ready": true}, then {"from":…, "body":…} per chat message.
TCP c2s with STARTTLS, the server's certificate verified against the run's CA (RVI_TEST_CA) for
the JID's domain, as any client checks its server. Ends on stdin EOF or SIGTERM.
"""
import asyncio
import json
import os
import sys

import slixmpp


class Peer(slixmpp.ClientXMPP):
    def __init__(self, jid, password, send_to=None, text=None):
        super().__init__(jid, password)
        self.send_to, self.text = send_to, text
        self.register_plugin("xep_0030")
        self.register_plugin("xep_0184")  # answers receipt requests, as most clients do
        self.add_event_handler("session_start", self.start)
        self.add_event_handler("message", self.on_message)

    async def start(self, _event):
        self.send_presence()
        await self.get_roster()
        print(json.dumps({"ready": True}), flush=True)
        if self.send_to:
            self.send_message(mto=self.send_to, mbody=self.text, mtype="chat")

    def on_message(self, msg):
        if msg["type"] in ("chat", "normal") and msg["body"]:
            print(json.dumps({"from": str(msg["from"]), "body": msg["body"]}), flush=True)


def main():
    host, port, jid, password = sys.argv[1:5]
    send_to, text = (sys.argv[5], sys.argv[6]) if len(sys.argv) > 6 else (None, None)
    ca = os.environ.get("RVI_TEST_CA")
    if not ca:
        sys.exit("RVI_TEST_CA is not set: it names the CA that signed the test server's certificate (jest's global setup sets it)")
    peer = Peer(jid, password, send_to, text)
    peer.ca_certs = ca  # only the run's CA is trusted; the host name checked is the JID's domain
    peer.connect((host, int(port)))
    loop = asyncio.get_event_loop()
    loop.add_reader(sys.stdin, lambda: sys.stdin.read() or peer.disconnect())
    peer.disconnected = asyncio.Future()
    peer.add_event_handler("disconnected", lambda _e: peer.disconnected.done() or peer.disconnected.set_result(True))
    loop.run_until_complete(peer.disconnected)


if __name__ == "__main__":
    main()
