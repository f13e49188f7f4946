"""A real SMTP server for Hearth's mail tests (aiosmtpd).

Usage: python3 tests/smtp/sink.py OUT_DIR [PORT]

Every accepted message is written to OUT_DIR as <n>.eml (raw RFC 5322, with
an X-Envelope-To header for each RCPT TO). Prints "SMTP_READY <port>" on
stdout once listening, then serves until killed.
"""

import asyncio
import itertools
import os
import socket
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.counter = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        n = next(self.counter)
        path = os.path.join(self.out_dir, f"{n:06d}.eml")
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            for rcpt in envelope.rcpt_tos:
                f.write(f"X-Envelope-To: {rcpt}\r\n".encode())
            f.write(envelope.original_content or envelope.content)
        os.replace(tmp, path)  # readers never see half a message
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    port = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] != "0" else free_port()
    controller = Controller(Sink(out_dir), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"SMTP_READY {port}", flush=True)
    try:
        asyncio.new_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
