"""A real SMTP server on 127.0.0.1 for the newsletter's tests and benchmark (aiosmtpd).

`Recorder` keeps what arrives: each message's recipient, Message-ID, subject and headers,
and how many connections brought them (one EHLO per connection, as smtplib sends). It can
refuse chosen recipients (`refuse[address] = "550 ..."`) and run `on_message(recorder)`
after storing a message and before answering it (the worst moment to kill a sender).

Run as a script (`python -m tests.newsletter.smtp PORT`) it is a sink in a process of its
own that only counts, for the benchmark: each line on its input answers "messages
connections CPU-seconds".
"""

import resource
import socket
import sys
import threading
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.policy import default

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    recipient: str
    message_id: str
    subject: str
    headers: dict
    body: bytes


class Recorder:
    """An aiosmtpd handler that stores every message it accepts."""

    def __init__(self, *, keep_bodies: bool = True, pipelining: bool = False):
        self.messages: list[Received] = []
        self.connections = 0
        self.refuse: dict[str, str] = {}
        self.on_message = None
        self.keep_bodies = keep_bodies
        self.pipelining = pipelining
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        session.host_name = hostname
        with self.lock:
            self.connections += 1
        return offer_pipelining(responses) if self.pipelining else responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        headers = BytesHeaderParser(policy=default).parsebytes(envelope.content)
        body = envelope.content if self.keep_bodies else b""
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.messages.append(
                    Received(
                        recipient=recipient,
                        message_id=str(headers["Message-ID"]),
                        subject=str(headers["Subject"]),
                        headers=dict(headers.items()),
                        body=body,
                    )
                )
        if self.on_message is not None:
            self.on_message(self)
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        with self.lock:
            return [message.recipient for message in self.messages]


def offer_pipelining(responses: list[str]) -> list[str]:
    """EHLO's answer offering PIPELINING (RFC 2920), as Postfix and Exim do. aiosmtpd reads
    commands in order from its stream, so it handles them pipelined though it does not say so."""
    return [*responses[:-1], "250-PIPELINING", responses[-1]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(handler) -> Controller:
    """An SMTP server on a free 127.0.0.1 port, in a thread; `.port` says where."""
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller


class Counter:
    """The benchmark's sink: counts messages and connections, keeps nothing, offers
    PIPELINING as production mail servers do."""

    def __init__(self):
        self.messages = 0
        self.connections = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        session.host_name = hostname
        self.connections += 1
        return offer_pipelining(responses)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages += len(envelope.rcpt_tos)
        return "250 OK"


if __name__ == "__main__":
    counter = Counter()
    sink = Controller(counter, hostname="127.0.0.1", port=int(sys.argv[1]))
    sink.start()
    print("ready", flush=True)
    for _line in sys.stdin:  # "count" asks for the figures; end of input stops the sink
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu = usage.ru_utime + usage.ru_stime
        print(counter.messages, counter.connections, f"{cpu:.3f}", flush=True)
    sink.stop()
