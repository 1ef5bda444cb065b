"""A mail that fails to send is logged and tried again later, with back-off, where the task
backend can wait; after the last try, or where it cannot wait, the task fails, logged."""

import logging
from datetime import timedelta
from smtplib import SMTPException

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.tasks import TaskResultStatus
from django.utils import timezone

from forum.core.mail import RETRY_AFTER, send_email_message, unsubscribe_headers

pytestmark = pytest.mark.django_db

MAIL = {
    "subject": "Bea replied to your comment",
    "text": "Try the bottom plate first.",
    "html": "<p>Try the bottom plate first.</p>",
    "to": ["ana@example.com"],
    "headers": unsubscribe_headers("https://mag.example/notifications/unsubscribe/t/replies/"),
}


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise SMTPException("421 Service not available, try again later")


@pytest.fixture
def mail_server_down(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}


def retries(queue):
    return [result for result in queue if result.task.name == "send_email_message"]


@pytest.mark.parametrize("attempt", range(1, len(RETRY_AFTER) + 1))
def test_a_failed_send_is_logged_and_queued_again_after_a_longer_wait(
    attempt, mail_server_down, task_queue, caplog
):
    caplog.set_level(logging.WARNING, logger="forum.core.mail")
    assert send_email_message.call(**MAIL, attempt=attempt) == 0
    [retry] = retries(task_queue)
    assert retry.kwargs == {**MAIL, "from_email": "", "attempt": attempt + 1}
    wait = RETRY_AFTER[attempt - 1]
    assert timezone.now() + wait - timedelta(seconds=5) < retry.task.run_after
    assert retry.task.run_after <= timezone.now() + wait
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert f"failed (attempt {attempt})" in record.getMessage()
    assert "421 Service not available" in record.getMessage()
    assert "trying again later" in record.getMessage()


def test_each_wait_is_longer_than_the_last():
    assert all(a < b for a, b in zip(RETRY_AFTER, RETRY_AFTER[1:], strict=False))


def test_after_the_last_try_the_send_fails_and_says_it_gives_up(
    mail_server_down, task_queue, caplog
):
    caplog.set_level(logging.WARNING, logger="forum.core.mail")
    with pytest.raises(SMTPException):
        send_email_message.call(**MAIL, attempt=len(RETRY_AFTER) + 1)
    assert retries(task_queue) == []
    assert "giving up" in caplog.records[-1].getMessage()


def test_a_retried_mail_goes_out_whole_once_the_server_is_back(
    mail_server_down, task_queue, settings, mailoutbox
):
    send_email_message.call(**MAIL)
    [retry] = retries(task_queue)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert retry.task.call(**retry.kwargs) == 1
    [mail] = mailoutbox
    assert (mail.subject, mail.body, mail.to) == (MAIL["subject"], MAIL["text"], MAIL["to"])
    assert mail.alternatives[0][0] == MAIL["html"]
    assert mail.extra_headers == MAIL["headers"]


def test_where_the_backend_cannot_wait_the_task_fails_and_is_logged(
    mail_server_down, caplog, mailoutbox
):
    caplog.set_level(logging.WARNING)
    result = send_email_message.enqueue(**MAIL)  # the immediate backend runs it now
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path == "smtplib.SMTPException"
    mine = [r for r in caplog.records if r.name == "forum.core.mail"]
    assert "giving up" in mine[0].getMessage()
    failed = [r for r in caplog.records if r.name == "django.tasks" and r.levelno == logging.ERROR]
    assert failed and failed[0].exc_info is not None  # the worker's log has the traceback
    assert mailoutbox == []
