"""One mail path: a template triple is rendered where the mail is asked for, and one task sends
it, a message to each address, over one connection."""

import json
import smtplib

import pytest
from django.core.mail.backends import locmem

from forum.core.mail import send_email, send_email_message


@pytest.fixture
def greeting(settings, tmp_path):
    """A template triple, `emails/greeting/`, in a template folder of the test's own."""
    folder = tmp_path / "templates" / "emails" / "greeting"
    folder.mkdir(parents=True)
    (folder / "subject.txt").write_text(
        "{% autoescape off %}Hello\n  {{ name }} from {{ site_name }}{% endautoescape %}\n"
    )
    (folder / "body.txt").write_text(
        "{% autoescape off %}Dear {{ name }}, see {{ site_url }}/.{% endautoescape %}\n"
    )
    (folder / "body.html").write_text("<p>Dear {{ name }}, see {{ site_url }}/.</p>\n")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}
    ]
    settings.SITE_NAME = "Frame & Grain"
    settings.SITE_URL = "https://frame.example.org"
    return "greeting"


def test_send_email_renders_the_triple_now_and_queues_the_sending(greeting, task_queue, mailoutbox):
    send_email(greeting, to=["a@example.com", "b@example.com"], context={"name": "Mina <3"})

    assert mailoutbox == []
    [queued] = task_queue
    assert queued.task.func is send_email_message.func
    # Plain strings and lists, so the database backend can store them for its worker.
    assert json.loads(json.dumps(queued.kwargs)) == queued.kwargs
    assert queued.kwargs == {
        "subject": "Hello Mina <3 from Frame & Grain",
        "text": "Dear Mina <3, see https://frame.example.org/.\n",
        "html": "<p>Dear Mina &lt;3, see https://frame.example.org/.</p>\n",
        "to": ["a@example.com", "b@example.com"],
    }


def test_the_task_sends_each_address_its_own_message(greeting, mailoutbox):
    send_email(greeting, to=["a@example.com", "b@example.com"], context={"name": "Mina"})

    assert [message.to for message in mailoutbox] == [["a@example.com"], ["b@example.com"]]
    for message in mailoutbox:
        assert message.subject == "Hello Mina from Frame & Grain"
        assert message.body == "Dear Mina, see https://frame.example.org/.\n"
        assert message.alternatives[0].mimetype == "text/html"
        assert message.from_email == "Frame & Grain <editors@frameandgrain.test>"


class CountingEmailBackend(locmem.EmailBackend):
    """The mail server, as far as these tests need one: it counts the connections made to it."""

    connections = 0

    def open(self):
        type(self).connections += 1
        return super().open()


def test_the_task_sends_over_one_connection(greeting, mailoutbox, settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.CountingEmailBackend"}}
    CountingEmailBackend.connections = 0

    send_email(greeting, to=[f"{n}@example.com" for n in range(5)], context={"name": "Mina"})

    assert len(mailoutbox) == 5
    assert CountingEmailBackend.connections == 1


def test_nothing_is_queued_for_nobody(greeting, task_queue):
    send_email(greeting, to=[], context={"name": "Mina"})

    assert task_queue == []


class PickyBackend(locmem.EmailBackend):
    """A mail server that takes mail for some addresses, says "try later" (4xx) for those in
    `LATER`, and refuses those in `NEVER` for good (5xx)."""

    LATER = {"busy@example.com"}
    NEVER = {"gone@example.com"}

    def send_messages(self, messages):
        for message in messages:
            [address] = message.to
            if address in self.LATER:
                raise smtplib.SMTPRecipientsRefused({address: (451, b"Mailbox busy")})
            if address in self.NEVER:
                raise smtplib.SMTPRecipientsRefused({address: (550, b"No such user")})
        return super().send_messages(messages)


def test_a_retry_goes_only_to_the_addresses_that_did_not_get_the_mail(
    settings, task_queue, mailoutbox, caplog
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.PickyBackend"}}
    to = ["ana@example.com", "busy@example.com", "gone@example.com", "bea@example.com"]

    sent = send_email_message.call(subject="News", text="Hello", to=to)

    assert sent == 2
    assert [message.to for message in mailoutbox] == [["ana@example.com"], ["bea@example.com"]]
    [retry] = task_queue
    assert retry.kwargs["to"] == ["busy@example.com"]  # not the ones served, not the refused
    assert retry.kwargs["attempt"] == 2
    assert "gone@example.com refused 'News' for good" in caplog.text
