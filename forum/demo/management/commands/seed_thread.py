"""One article with a realistic discussion of N approved comments, for benchmarks and demos."""

import copy
import random
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from forum.articles.models import Article, Author, Category
from forum.comments.models import Comment

OPENINGS = [
    "I had the same experience last spring.",
    "Interesting piece, but I read the test results differently.",
    "Thanks for writing this up so carefully.",
    "This matches what our camera club found.",
    "A small correction, if I may.",
    "I went back and forth on this for months.",
    "Good question, and the answer surprised me too.",
    "My lab says the opposite, for what it is worth.",
]
MIDDLES = [
    "Shooting at dusk, the older lens flared in a way I came to like, soft and warm at the edges.",
    "The weather sealing held up through two wet weeks on the coast without a single fault.",
    "Metering off the grey card gave me negatives that scanned with almost no correction.",
    "The autofocus hunted in low light, but manual focus with the magnifier was quick enough.",
    "I print at A3 and honestly could not see the difference between the two files.",
    "Battery life was the real surprise: three days of street work on one charge.",
    "Stopping down to f/8 fixed the corner softness, which is where I live anyway.",
    "The film came back from the lab a stop under, so I pushed the next roll in development.",
    "A cheap polariser did more for those skies than any amount of editing afterwards.",
    "Our group walked the same route twice, once with primes and once with a zoom.",
    "The menus are better than they were, though the custom buttons still need a manual.",
    "Scanning with a macro lens and a light pad beat the flatbed by a long way.",
]
CLOSINGS = [
    "Curious whether others have seen the same.",
    "Would love a follow-up on this in the spring.",
    "Either way, a good read.",
    "Happy to share sample frames if anyone wants them.",
    "Keep these coming.",
    "I may be the odd one out here.",
]
NAMES = [
    "Priya Anand", "Tomasz Wierzba", "Grace Okafor", "Ewan Lindqvist", "Marisol Duarte",
    "Hamish Reid", "Noor Haddad", "Lena Vogt", "Callum Price", "Aiko Tanaka", "Rosa Bianchi",
    "Femi Adeyemi", "Jonas Berg", "Clara Mendes", "Owen Talbot", "Yusuf Demir",
]  # fmt: skip


def comment_text(rng: random.Random) -> str:
    """300 to 600 characters of plausible reader prose, sometimes in two paragraphs."""
    target = rng.randint(300, 600)
    parts = [rng.choice(OPENINGS)]
    middles = rng.sample(MIDDLES, len(MIDDLES))
    for sentence in middles:
        if len(" ".join(parts)) >= target - 60:
            break
        parts.append(sentence)
    closing = rng.choice(CLOSINGS)
    # A short closing can leave the text under 300 characters: add another sentence.
    unused = [sentence for sentence in middles if sentence not in parts]
    while len(" ".join([*parts, closing])) < 300 and unused:
        parts.append(unused.pop(0))
    parts.append(closing)
    text = " ".join(parts)
    if len(text) > 599:  # the paragraph break below adds a character
        text = text[:597].rsplit(" ", 1)[0] + "…"
    if rng.random() < 0.3 and ". " in text[100:]:
        cut = text.index(". ", 100) + 1
        text = text[:cut] + "\n\n" + text[cut + 1 :]
    return text


def plan_tree(
    count: int, *, depth: int, rng: random.Random, shape: str = "early"
) -> list[tuple[int | None, int]]:
    """(parent index, depth) for each comment, in the order they were written: one comment in
    five starts a thread, the others reply as `shape` says (see SHAPES)."""
    return SHAPES[shape](count, depth=depth, rng=rng)


def plan_early(count: int, *, depth: int, rng: random.Random) -> list[tuple[int | None, int]]:
    """Replies gather on the oldest threads, as they do on real sites.

    A reply picks its level (2 to `depth`, each as likely, among the levels that have a comment
    above them yet), then its parent uniformly among the comments already written one level
    up: a comment is a candidate for as long as it exists, so the first ones draw the most
    replies and the first threads grow far larger than the last. This is the tree the issue
    measures other engines on (about 20% top level, depth 5).
    """
    plan: list[tuple[int | None, int]] = []
    levels: list[list[int]] = [[] for _ in range(depth + 1)]  # comment indices by depth
    for index in range(count):
        open_levels = [level for level in range(2, depth + 1) if levels[level - 1]]
        if index == 0 or not open_levels or rng.random() < 0.2:
            plan.append((None, 1))
            levels[1].append(index)
            continue
        level = rng.choice(open_levels)
        plan.append((rng.choice(levels[level - 1]), level))
        levels[level].append(index)
    return plan


def plan_recent(count: int, *, depth: int, rng: random.Random) -> list[tuple[int | None, int]]:
    """Replies answer one of the last few comments (six back on average), so conversations
    run deep as well as wide and every thread is much like the others."""
    plan: list[tuple[int | None, int]] = []
    for index in range(count):
        if index == 0 or rng.random() < 0.2:
            plan.append((None, 1))
            continue
        for _ in range(8):
            parent = max(0, index - 1 - int(rng.expovariate(1 / 6)))
            if plan[parent][1] < depth:
                break
        else:
            plan.append((None, 1))
            continue
        plan.append((parent, plan[parent][1] + 1))
    return plan


SHAPES = {"early": plan_early, "recent": plan_recent}
# Different texts at most: beyond them comments repeat one (a thread of 50,000 would
# otherwise spend a minute in Markdown and the sanitiser alone).
DISTINCT_TEXTS = 5_000


class Command(BaseCommand):
    help = (
        "Create one article with N approved comments in a realistic tree; prints its path. "
        "The article is marked as test content: its page works, but the home page, sections, "
        "feeds and sitemap leave it out unless --listed is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--comments", type=int, required=True, help="How many comments.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--depth", type=int, default=5, help="Deepest reply level (default 5).")
        parser.add_argument(
            "--shape",
            choices=sorted(SHAPES),
            default="early",
            help="early (default): each reply answers a comment drawn uniformly from those "
            "already written one level up, so the oldest threads draw the most replies, as on "
            "real sites; recent: replies answer the last few comments, so threads are much "
            "alike.",
        )
        parser.add_argument(
            "--listed",
            action="store_true",
            help="Show the article in listings, feeds and the sitemap like a real one "
            "(by default it is marked as test content and left out of them).",
        )

    def handle(
        self, *args, comments: int, seed: int, depth: int, shape: str, listed: bool, **options
    ):
        if comments < 0 or not 1 <= depth <= 10:
            raise CommandError("--comments must be 0 or more and --depth between 1 and 10.")
        rng = random.Random(seed)
        with transaction.atomic():
            article = self._article(comments, seed, listed=listed)
            self._comments(article, comments, depth=depth, shape=shape, rng=rng)
            Comment.objects.refresh_article(article.pk)
        self.stdout.write(f"Seeded {comments} comments in the {shape} shape, up to depth {depth}.")
        self.stdout.write(article.get_absolute_url())

    def _article(self, comments: int, seed: int, *, listed: bool) -> Article:
        slug = f"reader-thread-{comments}-comments-seed-{seed}"
        Article.objects.filter(slug=slug).delete()
        category = Category.objects.order_by("pk").first() or Category.objects.create(
            name="Letters", slug="letters"
        )
        author = Author.objects.order_by("pk").first() or Author.objects.create(
            name="The Editors", slug="the-editors"
        )
        return Article.objects.create(
            title=f"Readers’ thread: {comments:,} comments",
            slug=slug,
            standfirst="A long discussion among readers, seeded for testing and benchmarks.",
            body="Readers trade notes on the season's kit, film and printing.\n\n"
            "Tell us what worked for you, and what did not.",
            category=category,
            author=author,
            status=Article.Status.PUBLISHED,
            published_at=timezone.now() - timedelta(days=2),
            is_test_content=not listed,
        )

    def _comments(
        self, article: Article, count: int, *, depth: int, shape: str, rng: random.Random
    ):
        """Place each comment under its planned parent, as posting would, then store them all
        at once (with their fingerprints, so the duplicate rule sees them).

        The comments are written one after another between the article's publication and a
        minute ago, and take keys in that order, as posted ones would."""
        plan = plan_tree(count, depth=depth, rng=rng, shape=shape)
        start = article.published_at + timedelta(minutes=1)
        step = (timezone.now() - timedelta(minutes=1) - start) / max(count - 1, 1)
        texts: list[Comment] = []  # one rendered comment per text
        comments: list[Comment] = []
        for index, (parent, _level) in enumerate(plan):
            name = rng.choice(NAMES)
            if index < DISTINCT_TEXTS:
                text = Comment(article=article, body=comment_text(rng))
                text.render()
                texts.append(text)
            else:
                text = rng.choice(texts)
            # A copy keeps the text's rendering, so each text is rendered once.
            comment = copy.copy(text)
            comment.name = name
            comment.email = name.lower().replace(" ", ".") + "@example.com"
            if rng.random() < 0.15:
                comment.website = "https://example.com/" + name.split()[0].lower()
            comment.status = Comment.Status.APPROVED
            comment.status_reasons = ["seeded"]
            comment.created = start + step * index
            comment.place(comments[parent] if parent is not None else None)
            comments.append(comment)
        Comment.objects.bulk_create_placed(comments)
