"""Sending provider events to the webhook as the providers do, for the donation tests."""

import json

from forum.donations import providers


def post_event(client, event: dict, *, provider: str = "dev", signature: str | None = None):
    """POST `event` to `/support/webhook/<provider>/`, signed as the dev provider signs unless
    `signature` (a whole header value, or "" for none) is given."""
    body = json.dumps(event).encode()
    header = providers.dev_sign(body) if signature is None else signature
    return client.post(
        f"/support/webhook/{provider}/",
        body,
        content_type="application/json",
        headers={providers.DEV_SIGNATURE_HEADER: header} if header else {},
    )


def deliver(client, on_commit, *events: dict) -> list[int]:
    """Post each dev event and run what it queues on commit (the immediate task backend runs
    the processing task and the receipt there); `on_commit` is pytest-django's
    django_capture_on_commit_callbacks. Returns the status codes."""
    codes = []
    for event in events:
        with on_commit(execute=True):
            codes.append(post_event(client, event).status_code)
    return codes
