"""What the newsletter shows on a fresh `make run`: the magazine's authors, subscribed from
their accounts; two readers who signed up and have not confirmed yet (their confirmation mail
is in var/mail/); and three issues sent to the authors, in the archive. Placed by `seed_demo`;
made through the same services as readers' own sign-ups and editors' sending, and safe to run
again."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from forum.articles.models import Article
from forum.newsletter import sending, services
from forum.newsletter.models import Issue, Newsletter, Subscriber

# (days ago it was sent, subject, the editor's letter in Markdown, slugs of its articles)
ISSUES = [
    (
        15,
        "A camera that refuses to be forgotten",
        "This week's post bag was heavier than usual, and most of it was about one camera. "
        "Our look back at the first X100 brought letters from readers who bought one at launch, "
        "sold it, missed it and bought it again. One of you sent a photograph of a fishmonger's "
        "scales taken on the day the camera arrived in 2011; it is pinned above the editor's "
        "desk.\n\n"
        "Also in the comments: a long and generous thread on whether the leaf shutter still "
        "matters. It does, according to everyone who photographs weddings in churches.\n\n"
        "Thank you for reading, and for writing back.\n\n"
        "*The editors*",
        ["fujifilm-x100-a-decade-on"],
    ),
    (
        8,
        "Mist, peat and a very heavy bag",
        "Dev carried a Pentax 67 across Kinder Scout so that you would not have to. His report "
        "is below, with the frames that survived the fog. Several of you asked what film he "
        "loaded: Portra 160 for the colour, HP5 for the rest, and a spare roll that stayed "
        "in the bag all day.\n\n"
        "A note on last week's reader photograph: the swans at Slimbridge were shot on a "
        "secondhand 200 mm lens that cost less than the train fare there. Send us yours by "
        "replying to this email.\n\n"
        "*The editors*",
        ["pentax-67-on-the-dark-peak"],
    ),
    (
        2,
        "Ten years with one camera",
        "Nell has used the same Leica M6 for a decade and has twice come close to selling it. "
        "Her essay on why she did not is the kind of piece we started the magazine to publish: "
        "unhurried, specific and honest about the doubts.\n\n"
        "The discussion under it is already one of our longest. If you have kept a camera "
        "longer than you meant to, tell us which one and why.\n\n"
        "See you on Wednesday.\n\n"
        "*The editors*",
        ["living-with-a-leica-m6"],
    ),
]

# Readers who filled in the form and have a confirmation mail waiting.
WAITING = [
    ("marta.kowalczyk@example.org", "Marta Kowalczyk"),
    ("oisin.byrne@example.net", ""),
]


def seed_newsletter(authors) -> tuple[int, int]:
    """A few subscribers, then sent issues for the archive. Returns how many of each are new."""
    newsletter = Newsletter.default()
    if newsletter is None:
        return 0, 0
    before = Subscriber.objects.count()
    for author in authors:
        if author.user is not None:
            services.subscribe_member(user=author.user, newsletter=newsletter)
    for email, name in WAITING:
        if not Subscriber.objects.with_email(email).exists():
            services.request_subscription(email=email, name=name, newsletters=[newsletter])
    subscribers = Subscriber.objects.count() - before
    issues = sum(seed_issue(newsletter, *data) for data in ISSUES)
    return issues, subscribers


def seed_issue(newsletter, days_ago: int, subject: str, intro: str, slugs: list[str]) -> bool:
    """One issue, sent the way an editor sends one (its mail goes where the site's mail goes:
    var/mail/ under `make run`), then dated to the morning it went out in the story."""
    issue, created = Issue.objects.get_or_create(
        newsletter=newsletter, subject=subject, defaults={"intro": intro}
    )
    if not created:
        return False
    issue.articles.add(*Article.objects.filter(slug__in=slugs))
    sending.start(issue)
    sending.deliver(issue.pk)
    day = timezone.localdate() - timedelta(days=days_ago)
    sent_at = timezone.make_aware(datetime.combine(day, time(7, 0)))
    Issue.objects.filter(pk=issue.pk).update(send_at=sent_at, started_at=sent_at, sent_at=sent_at)
    issue.deliveries.update(sent_at=sent_at)
    return True
