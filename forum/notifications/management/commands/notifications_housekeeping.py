"""Reader notifications housekeeping (cron, hourly): digests no task sent, an old ledger."""

from django.core.management.base import BaseCommand

from forum.notifications import services, tasks


class Command(BaseCommand):
    help = (
        "Send the follower digests that are due (where the task backend cannot wait an hour, "
        "or a digest's task was lost) and forget notices older than "
        f"{tasks.NEWS_FOR.days} days and the follow form's requests older than a day. Run it "
        "hourly."
    )

    def handle(self, *args, **options):
        articles = tasks.articles_with_news()
        mailed = sum(tasks.send_digests.call(article_id=pk) for pk in articles)
        forgotten = tasks.forget_notices()
        services.forget_requests()
        self.stdout.write(
            f"Digests sent: {mailed:,} (on {len(articles):,} article(s)). "
            f"Notices forgotten: {forgotten:,}."
        )
