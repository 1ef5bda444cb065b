"""The moderation rules at post time: each rule with the reason it records or the message the
reader sees, the settings that tune them, and the order they run in."""

import time
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains

from forum.comments import moderation
from forum.comments.forms import new_token, read_token
from forum.comments.models import Comment
from forum.comments.moderation import CommentRefused
from forum.comments.services import submit_comment
from tests import factories

from .pages import form_errors, guest_data, input_value, member_data, post, textarea

APPROVED, PENDING, SPAM = Comment.Status.APPROVED, Comment.Status.PENDING, Comment.Status.SPAM
JO = {"name": "Jo Bloggs", "email": "jo@example.com"}
TWO_LINKS = "Compare https://grain.org/a with https://grain.org/b before buying."


def submit(article, **fields) -> Comment:
    """A guest's comment through the posting service, sent from a form opened a minute ago."""
    fields = {
        **JO,
        "body": "The light meter disagreed with me all week.",
        "ip": "203.0.113.7",
        "form_issued": time.time() - 60,
        **fields,
    }
    return submit_comment(article=article, **fields)


def refusal(article, **fields) -> CommentRefused:
    """The rule's refusal of a comment that must not be stored."""
    before = Comment.objects.count()
    with pytest.raises(CommentRefused) as caught:
        submit(article, **fields)
    assert Comment.objects.count() == before
    return caught.value


def known_guest(article, **fields) -> Comment:
    """An earlier approved comment by Jo, so the unknown-commenter rule lets Jo through."""
    return factories.create_comment(article=article, **{**JO, "ip": "198.51.100.0", **fields})


def token_issued(article, *, seconds_ago: float) -> str:
    """The form's key, for a page opened `seconds_ago`."""
    return new_token(article.pk, issued=time.time() - seconds_ago)


def refused_page(response, body: str) -> str:
    """The message above the re-rendered form, after checking the reader's text is kept."""
    assert response.status_code == 200
    assert textarea(response) == body
    html = response.content.decode()
    assert html.index('class="errorlist nonfield"') < html.index('<textarea name="body"')
    return form_errors(response)


@pytest.fixture
def later(monkeypatch):
    """Move the form timer's clock on, as if the reader waited (the one seam mocked)."""

    def wait(seconds: float) -> None:
        clock = SimpleNamespace(time=lambda: time.time() + seconds)
        monkeypatch.setattr(moderation, "time", clock)

    return wait


@pytest.fixture
def frozen_now(monkeypatch) -> float:
    """The form timer's clock stopped at the instant returned, so that a form's age is exact
    however slow the machine is between building the form and posting it."""
    now = time.time()
    monkeypatch.setattr(moderation, "time", SimpleNamespace(time=lambda: now))
    return now


@pytest.fixture
def stopped_clock(monkeypatch):
    """The rules' clock stopped at the datetime returned: the seconds a refusal asks the
    commenter to wait are then exact, however long the request takes."""
    now = timezone.now()
    monkeypatch.setattr(moderation, "timezone", SimpleNamespace(now=lambda: now))
    return now


# Bans


def test_a_banned_email_is_refused_with_the_text_kept(article, client):
    factories.create_ban(email="Jo@Example.com")
    data = guest_data(article, email="JO@example.com")

    response = post(client, article, data)

    message = refused_page(response, data["body"])
    assert "this email address is banned from commenting." in message
    assert "please write to the editors" in message
    assert not Comment.objects.exists()


def test_a_banned_account_is_refused(article, reader, member_client):
    factories.create_ban(user=reader)
    data = member_data(article)

    response = post(member_client, article, data)

    assert "your account is banned from commenting." in refused_page(response, data["body"])
    assert not Comment.objects.exists()


def test_a_ban_records_which_kind_of_ban_refused_the_comment(article, reader):
    factories.create_ban(user=reader)
    factories.create_ban(email="jo@example.com")

    assert refusal(article, user=reader).reason == "banned account"
    assert refusal(article).reason == "banned email"


@pytest.mark.parametrize(
    ("ban", "address"),
    [
        ("203.0.113.0/24", "203.0.113.200"),
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1::/48", "2001:db8:1:ff::5"),
    ],
)
def test_a_banned_network_stops_every_address_in_it(article, client, ban, address):
    factories.create_ban(ip_range=ban)
    data = guest_data(article)

    response = post(client, article, data, REMOTE_ADDR=address)

    assert "your network address is banned" in refused_page(response, data["body"])
    assert refusal(article, ip=address).reason == "banned network"


@pytest.mark.parametrize("address", ["203.0.113.8", "198.51.100.7", "2001:db8:2::1", None])
def test_a_network_ban_does_not_stop_addresses_outside_it(article, address):
    factories.create_ban(ip_range="203.0.113.7")
    factories.create_ban(ip_range="2001:db8:1::/48")

    assert submit(article, ip=address).status == PENDING


def test_a_ban_that_has_ended_lets_the_commenter_post_again(article, reader):
    ended = timezone.now() - timedelta(minutes=1)
    factories.create_ban(email="jo@example.com", expires=ended)
    factories.create_ban(user=reader, expires=ended)
    factories.create_ban(ip_range="203.0.113.0/24", expires=ended)

    assert submit(article).status == PENDING
    assert submit(article, user=reader, body="Another view.").status == PENDING


@pytest.mark.parametrize(
    ("ends", "shown"),
    [
        (datetime(2099, 3, 5, 14, 30, tzinfo=UTC), "until 5 March 2099, 14:30."),
        # Shown in the site's time zone: London is an hour ahead of UTC in summer.
        (datetime(2099, 7, 15, 8, 5, tzinfo=UTC), "until 15 July 2099, 09:05."),
    ],
)
def test_a_ban_with_an_end_date_still_stops_the_commenter_and_says_until_when(
    article, client, ends, shown
):
    factories.create_ban(email="jo@example.com", expires=ends)
    data = guest_data(article)

    response = post(client, article, data)

    message = refused_page(response, data["body"])
    assert f"this email address is banned from commenting {shown}" in message


def test_a_ban_without_end_does_not_mention_a_date(article):
    factories.create_ban(email="jo@example.com")

    assert " until " not in str(refusal(article))


def test_a_ban_without_end_is_told_as_such_beside_one_that_ends(article):
    factories.create_ban(email="jo@example.com", expires=timezone.now() + timedelta(days=3))
    factories.create_ban(email="jo@example.com")
    factories.create_ban(ip_range="203.0.113.0/24", expires=timezone.now() + timedelta(days=1))

    assert " until " not in str(refusal(article))


# Rate and flood limits


def test_a_sixth_comment_in_a_minute_from_one_network_is_refused(article, client, configure):
    configure(flood_seconds=0)
    for n in range(5):
        submit(article, email=f"guest{n}@example.com", body=f"Comment {n}", ip=f"203.0.113.{n}")
    data = guest_data(article, email="sixth@example.com")

    response = post(client, article, data, REMOTE_ADDR="203.0.113.99")

    message = refused_page(response, data["body"])
    assert "Only 5 comments a minute can be posted from one account or network." in message
    assert "Please wait a minute" in message
    assert Comment.objects.count() == 5
    assert refusal(article, email="seventh@example.com", ip="203.0.113.1").reason == "rate limit"


def test_the_rate_limit_of_one_network_does_not_touch_another(article, configure):
    configure(flood_seconds=0)
    for n in range(5):
        submit(article, email=f"guest{n}@example.com", body=f"Comment {n}")

    assert submit(article, email="elsewhere@example.com", ip="198.51.100.7").status == PENDING


def test_a_sixth_comment_in_a_minute_from_one_account_is_refused_on_any_network(
    article, reader, configure
):
    configure(flood_seconds=0)
    for n in range(5):
        submit(article, user=reader, body=f"Comment {n}", ip=f"198.51.{n}.1")

    assert refusal(article, user=reader, body="Sixth", ip="192.0.2.1").reason == "rate limit"
    assert submit(article, body="Not the same reader", ip="192.0.2.1").status == PENDING


def test_comments_older_than_a_minute_do_not_count_toward_the_rate(article, configure):
    configure(flood_seconds=0)
    for _ in range(5):
        factories.create_comment(
            article=article, ip="203.0.113.0", created=timezone.now() - timedelta(seconds=61)
        )

    assert submit(article).status == PENDING


def test_the_rate_limit_follows_the_setting(article, configure):
    configure(flood_seconds=0, rate_limit=2)
    submit(article, email="one@example.com", body="One")
    submit(article, email="two@example.com", body="Two")

    refused = refusal(article, email="three@example.com", body="Three")

    assert str(refused).startswith("Only 2 comments a minute can be posted")


def test_a_rate_limit_of_zero_turns_the_limit_off(article, configure):
    configure(flood_seconds=0, rate_limit=0)
    for n in range(8):
        submit(article, email=f"guest{n}@example.com", body=f"Comment {n}")

    assert Comment.objects.count() == 8


def test_a_second_comment_within_fifteen_seconds_is_refused_with_the_wait_in_seconds(
    article, client, stopped_clock
):
    known_guest(article, created=stopped_clock - timedelta(seconds=5))
    data = guest_data(article, body="And another thing.")

    response = post(client, article, data)

    message = refused_page(response, "And another thing.")
    assert "You posted a comment a moment ago. Please wait 10 more seconds" in message
    assert "your text is kept below" in message
    assert Comment.objects.count() == 1
    assert refusal(article).reason == "too soon after the last comment"


def test_a_member_is_told_to_wait_one_more_second(article, reader, stopped_clock):
    factories.create_comment(
        article=article, user=reader, created=stopped_clock - timedelta(seconds=14)
    )

    assert "Please wait 1 more second and" in str(refusal(article, user=reader))


def test_the_flood_limit_is_per_commenter_not_per_network(article):
    factories.create_comment(
        article=article, email="other@example.com", ip="203.0.113.0", created=timezone.now()
    )

    assert submit(article).status == PENDING


def test_after_the_flood_interval_the_commenter_may_post_again(article):
    known_guest(article, created=timezone.now() - timedelta(seconds=16))

    assert submit(article).status == APPROVED


def test_the_flood_interval_follows_the_setting(article, configure, stopped_clock):
    known_guest(article, created=stopped_clock - timedelta(seconds=16))
    configure(flood_seconds=60)

    assert "Please wait 44 more seconds" in str(refusal(article))


def test_a_flood_interval_of_zero_turns_the_limit_off(article, configure):
    configure(flood_seconds=0)
    known_guest(article, created=timezone.now())

    assert submit(article).status == APPROVED


# The robot trap and the form timer


def test_a_filled_in_robot_trap_refuses_the_comment(article, client):
    data = guest_data(article, homepage="https://spam.example.com")

    response = post(client, article, data)

    message = refused_page(response, data["body"])
    assert "a field meant to catch robots was filled in" in message
    assert "Please post again." in message
    assert input_value(response, "homepage") == ""
    assert not Comment.objects.exists()
    assert refusal(article, honeypot="x").reason == "honeypot"


def test_a_blank_robot_trap_is_fine(article, client):
    post(client, article, guest_data(article, homepage="  "))

    assert Comment.objects.count() == 1


def test_a_form_sent_the_moment_it_opened_is_refused_with_a_request_to_post_again(article, client):
    data = guest_data(article, token=token_issued(article, seconds_ago=0))

    response = post(client, article, data)

    message = refused_page(response, data["body"])
    assert "Please check your comment and post it again." in message
    assert "take a few seconds" in message
    assert not Comment.objects.exists()
    # The same form comes back: posting it again later must not start the wait over.
    assert input_value(response, "token") == data["token"]


def test_posting_the_same_form_again_after_a_few_seconds_works(article, client, later):
    data = guest_data(article, token=token_issued(article, seconds_ago=0))
    first = post(client, article, data)
    again = {**data, "token": input_value(first, "token")}

    later(4)
    response = post(client, article, again)

    assert response.status_code == 302
    assert Comment.objects.get().body == data["body"]


@pytest.mark.parametrize(("seconds_ago", "posted"), [(1, False), (2.5, False), (3.5, True)])
def test_the_form_must_be_open_three_seconds_by_default(article, seconds_ago, posted, frozen_now):
    issued = frozen_now - seconds_ago
    if posted:
        assert submit(article, form_issued=issued).status == PENDING
    else:
        assert refusal(article, form_issued=issued).reason == "form sent too fast"


def test_the_form_timer_follows_the_setting_and_zero_turns_it_off(article, configure, frozen_now):
    configure(min_seconds_to_post=10)
    assert refusal(article, form_issued=frozen_now - 8).reason == "form sent too fast"

    configure(min_seconds_to_post=0)
    assert submit(article, form_issued=frozen_now).status == PENDING


def test_a_form_open_for_more_than_two_days_is_refused_and_renewed(article, client, later):
    stale = token_issued(article, seconds_ago=2 * 86400 + 60)
    data = guest_data(article, token=stale)

    response = post(client, article, data)

    message = refused_page(response, data["body"])
    assert "This page was open for more than two days" in message
    assert "please post it again" in message
    fresh = input_value(response, "token")
    assert fresh != stale
    assert read_token(fresh, article_id=article.pk) is not None
    assert not Comment.objects.exists()

    later(5)
    assert post(client, article, {**data, "token": fresh}).status_code == 302
    assert Comment.objects.count() == 1


def test_a_form_renewed_after_a_broken_key_must_still_wait_out_the_timer(
    article, client, configure, later
):
    configure(min_seconds_to_post=3)
    data = guest_data(article, token="not-a-token")
    broken = post(client, article, data)
    renewed = {**data, "token": input_value(broken, "token")}

    at_once = post(client, article, renewed)

    assert "take a few seconds" in refused_page(at_once, data["body"])
    assert not Comment.objects.exists()
    later(4)
    assert post(client, article, renewed).status_code == 302
    assert Comment.objects.count() == 1


def test_a_form_renewed_after_two_days_can_be_posted_again_at_once(article, client, configure):
    configure(min_seconds_to_post=3)
    data = guest_data(article, token=token_issued(article, seconds_ago=3 * 86400))
    expired = post(client, article, data)

    response = post(client, article, {**data, "token": input_value(expired, "token")})

    assert response.status_code == 302
    assert Comment.objects.get().body == data["body"]


def test_a_form_open_for_almost_two_days_is_fine(article):
    assert submit(article, form_issued=time.time() - 2 * 86400 + 60).status == PENDING


# Duplicates


def test_the_same_text_again_is_refused_as_a_duplicate(article, client, configure):
    configure(flood_seconds=0)
    post(client, article, guest_data(article, body="What a lovely grain."))
    data = guest_data(article, body="  what a LOVELY\n\ngrain. ")

    response = post(client, article, data)

    message = refused_page(response, data["body"])
    assert "This comment has already been posted." in message
    assert "to see yours, reload the article" in message
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "who",
    [
        {"email": "jo@example.com", "ip": "192.0.2.1", "elsewhere": True},
        {"email": "someone@example.com", "ip": "203.0.113.9", "elsewhere": True},
        {"email": "someone@example.com", "ip": "192.0.2.1", "elsewhere": False},
    ],
    ids=["same commenter", "same network", "same article"],
)
def test_a_duplicate_is_caught_by_commenter_network_or_article(article, subcategory, who):
    factories.create_comment(
        article=article, body="What a lovely grain.", email="jo@example.com", ip="203.0.113.0"
    )
    target = factories.create_article(category=subcategory) if who["elsewhere"] else article

    refused = refusal(target, body="WHAT a lovely grain.", email=who["email"], ip=who["ip"])

    assert refused.reason == "duplicate"


def test_a_members_duplicate_is_caught_on_another_article_and_network(article, subcategory, reader):
    factories.create_comment(article=article, user=reader, body="What a lovely grain.")
    elsewhere = factories.create_article(category=subcategory)

    refused = refusal(elsewhere, user=reader, body="What a lovely grain.", ip="192.0.2.1")

    assert refused.reason == "duplicate"


def test_the_same_text_a_day_later_is_fine(article):
    known_guest(article, body="What a lovely grain.", created=timezone.now() - timedelta(hours=25))

    assert submit(article, body="What a lovely grain.").status == APPROVED


def test_the_same_text_by_someone_else_on_another_article_is_fine(article, subcategory):
    factories.create_comment(
        article=article, body="Thank you!", email="other@example.com", ip="198.51.100.0"
    )
    elsewhere = factories.create_article(category=subcategory)

    assert submit(elsewhere, body="Thank you!").status == PENDING


# Blocked words: spam


@pytest.mark.parametrize(
    "where",
    [
        {"body": "Feeling lucky? Visit my CASINO tonight."},
        {"name": "Casino King"},
        {"email": "casino@example.com"},
        {"website": "https://best-casino.example.com"},
    ],
    ids=["text", "name", "email", "website"],
)
def test_a_blocked_word_marks_the_comment_as_spam(article, configure, where):
    configure(blocked_words="casino")

    comment = submit(article, **where)

    assert (comment.status, comment.status_reasons) == (SPAM, ["blocked word: casino"])


def test_a_spam_comment_looks_held_to_its_writer_and_is_hidden_from_everyone_else(
    article, client, configure
):
    configure(blocked_words="casino")

    response = post(client, article, guest_data(article, body="Casino bonus"), follow=True)

    assertContains(response, "Your comment is awaiting moderation")
    assert Comment.objects.get().status == SPAM
    article.refresh_from_db()
    assert article.comment_count == 0


def test_every_blocked_word_used_is_named(article, configure):
    configure(blocked_words="casino\npoker\nroulette")

    comment = submit(article, body="Poker, then the casino.")

    assert comment.status_reasons == ["blocked word: casino", "blocked word: poker"]


def test_a_blocked_word_catches_a_known_commenter_too(article, configure):
    known_guest(article)
    configure(blocked_words="casino")

    assert submit(article, body="My casino").status == SPAM


def test_a_word_that_merely_contains_a_blocked_word_is_fine(article, configure):
    known_guest(article)
    configure(blocked_words="casino")

    assert submit(article, body="Two casinos and a scasino.").status == APPROVED


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("Try &#99;asino tonight", id="decimal entity"),
        pytest.param("Try &#x63;asino tonight", id="hex entity"),
        pytest.param("Try c&#x430;sino tonight", id="cyrillic letter as an entity"),
        pytest.param("Try ca&shy;sino tonight", id="soft hyphen entity"),
        pytest.param("Try ca&#8203;sino tonight", id="zero-width space entity"),
        pytest.param("Try ca&zwj;sino tonight", id="zero-width joiner entity"),
        pytest.param("Try ca\u200dsino tonight", id="zero-width joiner"),
        pytest.param("Try ca**s**ino tonight", id="strong"),
        pytest.param("Try ca*s*ino tonight", id="emphasis"),
        pytest.param("Try ca`s`ino tonight", id="code"),
        pytest.param("Try [ca](https://grain.org/)sino tonight", id="link text"),
        pytest.param("Try c**a**&shy;s`i`no tonight", id="all at once"),
        pytest.param("Get a payday&nbsp;loan", id="no-break space entity in a phrase"),
        pytest.param("Get a payday\u00a0loan", id="no-break space in a phrase"),
    ],
)
def test_a_blocked_word_hidden_by_entities_or_markdown_marks_the_comment_as_spam(
    article, client, configure, body
):
    configure(blocked_words="casino\npayday loan")

    response = post(client, article, guest_data(article, body=body))

    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.body == body
    assert comment.status == SPAM
    assert comment.status_reasons in (["blocked word: casino"], ["blocked word: payday loan"])


def test_a_blocked_word_is_still_found_in_the_text_as_written(article, configure):
    # The address is a link on the page, but its words are read where they were written.
    configure(blocked_words="casino")

    comment = submit(article, body="My [photos](https://casino.example/roll-4)")

    assert (comment.status, comment.status_reasons) == (SPAM, ["blocked word: casino"])


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("I nearly said casi\n\nno, then yes", id="paragraphs"),
        pytest.param("I nearly said casi\nno, then yes", id="line break"),
        pytest.param("- casi\n- no", id="list items"),
        pytest.param("> casi\n\nno", id="quote then paragraph"),
    ],
)
def test_words_at_the_end_of_one_paragraph_and_the_start_of_the_next_do_not_make_a_word(
    article, configure, body
):
    known_guest(article)
    configure(blocked_words="casino")

    assert submit(article, body=body).status == APPROVED


# Links: held


def test_two_links_hold_the_comment_and_say_how_many(article):
    known_guest(article)

    comment = submit(article, body=TWO_LINKS)

    assert (comment.status, comment.status_reasons) == (PENDING, ["2 links"])


def test_one_link_passes(article):
    known_guest(article)

    comment = submit(article, body="My scans: [roll 4](https://grain.org/roll-4).")

    assert (comment.status, comment.status_reasons) == (APPROVED, ["1 approved comment before"])


def test_addresses_left_as_text_count_as_links(article):
    known_guest(article)

    comment = submit(article, body="Cheap https://pills.shop and `https://more-pills.xyz`")

    assert comment.status_reasons == ["2 links"]


def test_the_link_limit_follows_the_setting(article, configure):
    known_guest(article)
    configure(link_limit=3, flood_seconds=0)

    assert submit(article, body=TWO_LINKS).status == APPROVED
    three = submit(article, body=f"{TWO_LINKS} And https://grain.org/c")
    assert three.status_reasons == ["3 links"]


def test_a_link_limit_of_zero_turns_the_rule_off(article, configure):
    known_guest(article)
    configure(link_limit=0)

    body = " ".join(f"https://grain.org/{n}" for n in range(6))
    assert submit(article, body=body).status == APPROVED


# Watched words: held


def test_a_watched_word_holds_the_comment_and_names_the_word(article, configure):
    known_guest(article)
    configure(watched_words="casino\nlottery")

    comment = submit(article, body="I won the cаsino lottery!")

    assert (comment.status, comment.status_reasons) == (
        PENDING,
        ["watched word: casino", "watched word: lottery"],
    )


def test_a_watched_word_in_the_website_holds_the_comment(article, configure):
    known_guest(article)
    configure(watched_words="casino")

    comment = submit(article, website="https://casino.example.com")

    assert comment.status_reasons == ["watched word: casino"]


def test_a_watched_word_hidden_by_markdown_holds_the_comment_and_links_still_count(
    article, configure
):
    known_guest(article)
    configure(watched_words="casino\npayday loan")

    comment = submit(
        article, body="[ca**s**ino](https://grain.org/a), payday&nbsp;loan: https://grain.org/b"
    )

    assert (comment.status, comment.status_reasons) == (
        PENDING,
        ["2 links", "watched word: casino", "watched word: payday loan"],
    )


# Unknown commenters: held


def test_a_first_time_guest_is_held(article):
    comment = submit(article)

    assert (comment.status, comment.status_reasons) == (
        PENDING,
        ["first comment from this email"],
    )


def test_a_members_first_comment_is_held(article, reader):
    comment = submit(article, user=reader)

    assert (comment.status, comment.status_reasons) == (
        PENDING,
        ["first comment from this account"],
    )


@pytest.mark.parametrize(
    ("approved", "status", "reason"),
    [
        (0, PENDING, "first comment from this email"),
        (1, PENDING, "1 of 3 approved comments needed from this email"),
        (2, PENDING, "2 of 3 approved comments needed from this email"),
        (3, APPROVED, "3 approved comments before"),
        (5, APPROVED, "3 approved comments before"),
    ],
)
def test_a_guest_needs_as_many_approved_comments_as_the_setting_asks(
    article, configure, approved, status, reason
):
    configure(trusted_after=3)
    for _ in range(approved):
        known_guest(article)
    known_guest(article, status=PENDING)
    known_guest(article, status=SPAM)

    comment = submit(article)

    assert (comment.status, comment.status_reasons) == (status, [reason])


def test_a_member_needs_as_many_approved_comments_as_the_setting_asks(article, reader, configure):
    configure(trusted_after=2)
    factories.create_comment(article=article, user=reader)

    comment = submit(article, user=reader)

    assert comment.status_reasons == ["1 of 2 approved comments needed from this account"]


def test_a_trusted_guest_is_published_at_once(article):
    factories.create_trusted_commenter(email="jo@example.com")

    comment = submit(article)

    assert (comment.status, comment.status_reasons) == (APPROVED, ["trusted by a moderator"])


def test_a_trusted_member_is_published_at_once(article, reader):
    factories.create_trusted_commenter(user=reader)

    assert submit(article, user=reader).status_reasons == ["trusted by a moderator"]


def test_trust_in_one_commenter_does_not_pass_another(article, reader):
    factories.create_trusted_commenter(email="someone@example.com")
    factories.create_trusted_commenter(user=factories.create_user())

    assert submit(article).status == PENDING
    assert submit(article, user=reader, body="Another.").status == PENDING


# Moderation modes


def test_holding_every_comment_holds_even_a_trusted_commenter(article, configure):
    configure(moderation_mode="hold_all")
    factories.create_trusted_commenter(email="jo@example.com")
    known_guest(article)

    comment = submit(article)

    assert (comment.status, comment.status_reasons) == (
        PENDING,
        ["every comment is held for a moderator"],
    )


def test_publishing_every_comment_publishes_an_unknown_commenter(article, configure):
    configure(moderation_mode="publish_all")

    comment = submit(article)

    assert (comment.status, comment.status_reasons) == (
        APPROVED,
        ["comments are published without waiting"],
    )


def test_publishing_every_comment_still_applies_blocked_words_and_links(article, configure):
    configure(moderation_mode="publish_all", blocked_words="casino", flood_seconds=0)

    spam = submit(article, body="Casino night")
    linked = submit(article, body=TWO_LINKS)

    assert (spam.status, spam.status_reasons) == (SPAM, ["blocked word: casino"])
    assert (linked.status, linked.status_reasons) == (PENDING, ["2 links"])


# The order of the rules


def test_a_banned_commenter_who_also_floods_is_told_about_the_ban(article, client):
    known_guest(article, created=timezone.now())
    factories.create_ban(email="jo@example.com")
    data = guest_data(article)

    message = refused_page(post(client, article, data), data["body"])

    assert "banned from commenting" in message
    assert "Please wait" not in message


def test_a_flooding_commenter_is_told_to_wait_before_the_form_timer_is_checked(article):
    known_guest(article, created=timezone.now())

    assert refusal(article, form_issued=time.time()).reason == "too soon after the last comment"


def test_a_robot_trap_and_a_duplicate_get_the_robot_trap_message(article, client):
    known_guest(article, body="What a lovely grain.", ip="127.0.0.0")
    data = guest_data(article, body="What a lovely grain.", homepage="filled")

    message = refused_page(post(client, article, data), data["body"])

    assert "a field meant to catch robots was filled in" in message
    assert "already been posted" not in message


def test_a_blocked_word_with_many_links_is_spam_not_held(article, configure):
    configure(blocked_words="casino", watched_words="bonus")

    comment = submit(article, body=f"Casino bonus! {TWO_LINKS} https://grain.org/c")

    assert (comment.status, comment.status_reasons) == (SPAM, ["blocked word: casino"])


def test_links_a_watched_word_and_an_unknown_commenter_give_every_reason(article, configure):
    configure(watched_words="casino")

    comment = submit(article, body=f"Casino? {TWO_LINKS}")

    assert (comment.status, comment.status_reasons) == (
        PENDING,
        ["2 links", "watched word: casino", "first comment from this email"],
    )


def test_staff_skip_every_rule(article, editor, configure):
    configure(blocked_words="casino", watched_words="poker", rate_limit=1)
    factories.create_comment(article=article, user=editor, created=timezone.now())
    body = f"Casino and poker. {TWO_LINKS}"

    comment = submit(article, user=editor, body=body, form_issued=time.time(), honeypot="x")

    assert (comment.status, comment.status_reasons) == (APPROVED, ["staff"])


def test_the_articles_author_skips_every_rule(subcategory, configure, client):
    writer = factories.create_user(display_name="Ada Writer")
    article = factories.create_article(
        category=subcategory, author=factories.create_author(user=writer)
    )
    configure(blocked_words="casino", rate_limit=1)
    factories.create_comment(article=article, user=writer, created=timezone.now())
    client.force_login(writer)

    response = post(client, article, member_data(article, body=f"Casino! {TWO_LINKS}"))

    assert response.status_code == 302
    newest = Comment.objects.latest("pk")
    assert (newest.status, newest.status_reasons) == (APPROVED, ["the article's author"])


def test_the_author_of_another_article_gets_no_pass(article, subcategory, configure):
    writer = factories.create_user()
    factories.create_author(user=writer)
    configure(blocked_words="casino")

    assert submit(article, user=writer, body="Casino!").status == SPAM


def test_a_form_posted_twice_at_once_lands_on_the_stored_comment_not_on_a_refusal(
    article, monkeypatch
):
    """The second request passes the token check just before the first one commits; the
    flood and duplicate rules then see the first comment."""
    from forum.comments import services

    token = uuid.uuid4()
    real_moderate = services.moderate

    def first_request_commits_meanwhile(comment, **kwargs):
        factories.create_comment(
            article=article, body=comment.body, name=comment.name, email=comment.email,
            token=token, created=timezone.now(),
        )  # fmt: skip
        return real_moderate(comment, **kwargs)

    monkeypatch.setattr(services, "moderate", first_request_commits_meanwhile)

    stored = submit_comment(
        article=article, body="Twice at once", name="Jo", email="jo@example.com", token=token
    )

    assert stored.token == token
    assert Comment.objects.filter(token=token).count() == 1
