"""Send an issue from the command line, or every issue whose time has come (cron).

`send_newsletter ISSUE_ID` starts a draft, scheduled or paused issue (freezing its audience
the first time) or carries on one whose sender died, and sends it here, in the foreground,
with a progress bar on stderr. `send_newsletter --due` does the same for every scheduled issue
whose time has come and every sending issue no sender holds: run it from cron every few
minutes when tasks run at once (`make run`) or to pick up after a worker that died.
"""

from contextlib import suppress

from django.core.management.base import BaseCommand, CommandError

from forum.core.progress import ProgressBar
from forum.newsletter import sending
from forum.newsletter.models import Delivery, Issue


class Command(BaseCommand):
    help = (
        "Send an issue (or carry on sending it) in the foreground with a progress bar; "
        "--due sends every issue whose time has come (for cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("issue_id", nargs="?", type=int, help="The issue's number.")
        parser.add_argument(
            "--due",
            action="store_true",
            help="Send every scheduled issue whose time has come, and carry on any issue "
            "whose sender stopped.",
        )

    def handle(self, *args, issue_id=None, due=False, **options):
        if due == (issue_id is not None):
            raise CommandError("Give an issue's number or --due (not both).")
        self.stderr.style_func = None
        if issue_id is not None:
            issue = Issue.objects.filter(pk=issue_id).first()
            if issue is None:
                raise CommandError(f"There is no issue {issue_id}.")
            if issue.status in sending.STARTABLE:
                sending.start(issue)
            elif issue.status != Issue.Status.SENDING:
                raise CommandError(f"Issue {issue_id} is {issue.get_status_display().lower()}.")
            if self.send(issue).busy:
                raise CommandError(f"Another sender is sending issue {issue_id} already.")
            return
        issues = list(sending.due_issues())
        if not issues:
            self.stdout.write("No issue is due.")
        for issue in issues:
            if issue.status == Issue.Status.SCHEDULED:
                # Started (or stopped) by someone else meanwhile: deliver() decides.
                with suppress(sending.NotAllowed):
                    sending.start(issue)
            if self.send(issue).busy:
                self.stdout.write(f"Issue {issue.pk}: another sender is at it; left alone.")

    def send(self, issue: Issue) -> sending.Run:
        before = sending.progress(issue)
        bar = ProgressBar(
            self.stderr,
            label=f"Issue {issue.pk}",
            total=before.total,
            done=before.total - before.queued,
        )
        run = sending.deliver(
            issue.pk, on_result=lambda status: bar.advance(failed=status == Delivery.Status.FAILED)
        )
        if run.busy:
            return run
        bar.close()
        after = sending.progress(issue)
        issue.refresh_from_db(fields=["status"])
        self.stdout.write(
            f"Issue {issue.pk} ({issue.subject}): {run.sent:,} sent and {run.failed:,} failed "
            f"now; {after.sent:,} of {after.total:,} sent in all, {after.queued:,} still "
            f"queued. The issue is {issue.get_status_display().lower()}."
        )
        return run
