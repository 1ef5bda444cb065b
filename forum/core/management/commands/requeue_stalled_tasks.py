"""Put back in the queue the tasks a worker began and never finished (it was killed).

django-tasks-db marks a task RUNNING when a worker takes it and never looks at it again, so a
worker killed mid-task (SIGKILL, a lost machine) leaves it RUNNING for ever and its effect
missing. Every task of this site can run twice without doing anything twice (each keeps a
ledger: newsletter deliveries, notices, receipts, events), so running it again is the cure.

    python manage.py requeue_stalled_tasks --worker worker1   # before starting worker1 again
    python manage.py requeue_stalled_tasks                    # cron: RUNNING for over 30 minutes

A worker that is starting has nothing running, so its own RUNNING rows are orphans at once;
other rows are taken as abandoned only after --stalled-after minutes (no task here runs that
long: a newsletter issue to 50,000 readers takes under two minutes).
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


class Command(BaseCommand):
    help = "Queue again the tasks that a killed worker left running."

    def add_arguments(self, parser):
        parser.add_argument("--worker", help="the id of a worker about to start again")
        parser.add_argument(
            "--stalled-after",
            type=int,
            default=30,
            metavar="MINUTES",
            help="tasks running for longer are taken as abandoned (default 30)",
        )

    def handle(self, *args, worker=None, stalled_after=30, **options):
        with transaction.atomic():
            running = DBTaskResult.objects.select_for_update().filter(
                status=TaskResultStatus.RUNNING
            )
            stalled = [
                row.pk
                for row in running.only("pk", "started_at", "worker_ids")
                if (worker and row.worker_ids and row.worker_ids[-1] == worker)
                or (
                    row.started_at
                    and row.started_at < timezone.now() - timedelta(minutes=stalled_after)
                )
            ]
            count = DBTaskResult.objects.filter(pk__in=stalled).update(
                status=TaskResultStatus.READY, started_at=None
            )
        if count or options["verbosity"] > 1:
            self.stdout.write(f"Queued again: {count} task{'s' if count != 1 else ''}")
