"""An independent XMPP client (slixmpp, from Debian) as the other side of a conversation.

Usage: /usr/bin/python3 slix_peer.py HOST PORT JID PASSWORD [SEND_TO TEXT]
Prints one JSON line per event: {"ready": true}, then {"from":…, "body":…} per chat message.
Plain TCP on loopback only (the test server allows it there). Ends on stdin EOF or SIGTERM.
"""
import asyncio
import json
import sys

import slixmpp


class Peer(slixmpp.ClientXMPP):
    def __init__(self, jid, password, send_to=None, text=None):
        super().__init__(jid, password)
        self.send_to, self.text = send_to, text
        self.register_plugin("xep_0030")
        self.register_plugin("xep_0184")  # answers receipt requests, as most clients do
        self["feature_mechanisms"].unencrypted_plain = True
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
    peer = Peer(jid, password, send_to, text)
    peer.connect((host, int(port)), disable_starttls=True)
    loop = asyncio.get_event_loop()
    loop.add_reader(sys.stdin, lambda: sys.stdin.read() or peer.disconnect())
    peer.disconnected = asyncio.Future()
    peer.add_event_handler("disconnected", lambda _e: peer.disconnected.done() or peer.disconnected.set_result(True))
    loop.run_until_complete(peer.disconnected)


if __name__ == "__main__":
    main()
