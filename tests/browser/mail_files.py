"""Reading the mail that the file backend wrote, as a reader of `make run`'s var/mail/ would.

The `mail_folder` fixture (conftest.py) points the site's mail at a fresh folder."""

from email import message_from_bytes, policy
from pathlib import Path


def messages_to(folder: Path, address: str) -> list:
    """The messages in the mail files addressed to `address`, oldest first."""
    found = []
    for path in sorted(folder.glob("*.log"), key=lambda path: path.stat().st_mtime_ns):
        # The file backend separates messages with a line of 79 dashes.
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                message = message_from_bytes(chunk.strip() + b"\n", policy=policy.default)
                if message["To"] == address:
                    found.append(message)
    return found
