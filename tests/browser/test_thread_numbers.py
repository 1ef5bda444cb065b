"""Thread numbers in Chromium: a reader who cites "#3" finds the same comment after an
earlier thread is taken down (the held comment's writer is tested in
tests/comments/test_long_discussions.py)."""

from playwright.sync_api import expect

from forum.comments.models import Comment
from tests import factories


def test_numbers_stay_when_an_earlier_thread_is_taken_down(page, live_server, article):
    first, second, third = [
        factories.create_comment(article=article, name=f"Reader {n}") for n in range(1, 4)
    ]
    page.goto(live_server.url + article.get_absolute_url())
    expect(page.locator(f"#comment-{third.pk} .comment__number")).to_have_text("#3")

    first.set_status(Comment.Status.REMOVED)
    page.reload()

    expect(page.locator(f"#comment-{first.pk}")).to_have_count(0)
    expect(page.locator(f"#comment-{second.pk} .comment__number")).to_have_text("#2")
    expect(page.locator(f"#comment-{third.pk} .comment__number")).to_have_text("#3")
