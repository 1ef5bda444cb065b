"""A WordPress export (WXR) of an imaginary photography magazine, as big as asked, for `make
bench-import` (bench/import_wp.py) and for trying `manage.py import_wordpress` on a file of a
real magazine's size.

    .venv/bin/python bench/wxr.py OUT.xml --posts 1000 --comments 50000 [--seed 1] [--version 1.2]

The file is what WordPress's Tools › Export writes for a magazine at https://oldmag.example:
the channel with its authors, a two-level category tree and tags, then one <item> per post
with classic-editor content (paragraphs parted by blank lines, no <p>, a heading, a list, some
<strong>, <em> and links), its post meta and its comments. Comments spread unevenly (most posts
20-80, one post in 200 with 500 or more), thread through wp:comment_parent (about a third top
level, some chains far deeper than the site's depth limit), carry WordPress's statuses (about
90% approved "1", 5% held "0", 4% "spam", 1% "trash") and about 2% are pingbacks. All prose is
made up here from word lists.

Writing streams: one post and its comments at a time, so a file of several hundred MB costs no
more memory than a small one. The same (posts, comments, seed, version) writes the same bytes.
Two random streams come from the seed: one decides the shape (which comment answers which, its
status, its date), the other the words, so `contents()` can tell a benchmark what a file holds
by replaying the shape alone, without reading the file.
"""

import argparse
import random
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

FORMAT = 1  # bumped whenever the written bytes change, so a kept file is not reused stale
SITE = "https://oldmag.example"
SITE_TIME = ZoneInfo("Europe/Berlin")  # wp:post_date and wp:comment_date are the site's time
FIRST_POST = datetime(2012, 3, 5, 8, 0, tzinfo=UTC)
YEARS = 12
BUFFER = 1 << 20


@dataclass(slots=True)
class PlannedComment:
    id: int
    parent: int  # 0 for a top-level comment
    approved: str  # "1", "0", "spam" or "trash", as wp:comment_approved
    type: str  # "" or "pingback"
    date: datetime  # UTC


@dataclass(slots=True)
class PlannedPost:
    number: int
    id: int
    date: datetime  # UTC
    comments: list[PlannedComment]


@dataclass
class Contents:
    """What a file holds, for checking an import of it."""

    posts: int
    comments: int  # every wp:comment, pingbacks included
    pingbacks: int = 0
    statuses: Counter = field(default_factory=Counter)  # wp:comment_approved, pingbacks left out
    parents: dict[int, int] = field(default_factory=dict)  # a reply's id -> its parent's id
    depths: dict[int, int] = field(default_factory=dict)  # a comment's id -> 1 for top level
    approved: dict[int, str] = field(default_factory=dict)  # a comment's id -> its status

    @property
    def deepest(self) -> int:
        return max(self.depths.values(), default=0)


# The shape: how many comments each post has, who answers whom, statuses and dates.


def _spread(rng: random.Random, posts: int, comments: int) -> list[int]:
    """Comments per post, exactly `comments` in all: most posts alike (weights 20-80), one in
    200 a long discussion of 500-1,200 when the total leaves room for it."""
    big = posts // 200 if posts >= 200 else 0
    big_counts = [rng.randint(500, 1200) for _ in range(big)]
    if sum(big_counts) > comments // 4:
        big, big_counts = 0, []
    weights = [rng.uniform(20, 80) for _ in range(posts - big)]
    rest = comments - sum(big_counts)
    total = sum(weights) or 1
    exact = [weight * rest / total for weight in weights]
    counts = [int(share) for share in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: counts[i] - exact[i])
    for i in by_remainder[: rest - sum(counts)]:
        counts[i] += 1
    for count in big_counts:
        counts.insert(rng.randrange(len(counts) + 1), count)
    return counts


def _approval(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.90:
        return "1"
    if roll < 0.95:
        return "0"
    return "spam" if roll < 0.99 else "trash"


def _discussion(
    rng: random.Random, count: int, start: datetime, first_id: int
) -> list[PlannedComment]:
    """`count` comments on a post published at `start`, in the order WordPress lists them
    (their ids, which follow their dates). A long discussion holds one back-and-forth of 8-14
    replies, each to the one before, far below the site's depth limit."""
    window = rng.uniform(3, 90) * 86400
    mean_gap = window / max(count, 1)
    when = start + timedelta(seconds=rng.randint(600, 7200))
    chain_at = rng.randrange(count // 2) if count >= 200 else -1
    chain_left = 0
    comments: list[PlannedComment] = []
    answerable: list[int] = []  # ids that may be answered: pingbacks are not
    for index in range(count):
        if index == chain_at:
            chain_left = rng.randint(8, 14)
        approved = _approval(rng)
        kind = ""
        if chain_left and answerable:
            chain_left -= 1
            parent = answerable[-1]
        elif rng.random() < 0.02:
            kind, parent = "pingback", 0
        elif not answerable or rng.random() < 0.35 or (approved == "spam" and rng.random() < 0.8):
            parent = 0
        elif rng.random() < 0.5:
            parent = answerable[-1]
        else:
            parent = rng.choice(answerable)
        comment_id = first_id + index
        comments.append(PlannedComment(comment_id, parent, approved, kind, when))
        if not kind:
            answerable.append(comment_id)
        when += timedelta(seconds=1 + int(rng.expovariate(1 / mean_gap)))
    return comments


def _plan(posts: int, comments: int, seed: int) -> Iterator[PlannedPost]:
    rng = random.Random(seed)
    counts = _spread(rng, posts, comments)
    step = YEARS * 365 * 86400 / max(posts, 1)
    post_id, comment_id = 0, 0
    for number, count in enumerate(counts):
        post_id += rng.randint(1, 6)  # revisions and attachments take ids in between
        date = FIRST_POST + timedelta(seconds=int(step * (number + rng.uniform(0, 0.8))))
        discussion = _discussion(rng, count, date, comment_id + 1)
        comment_id += count
        yield PlannedPost(number, post_id, date, discussion)


def contents(posts: int, comments: int, *, seed: int = 1) -> Contents:
    """What `write_wxr` with these arguments writes, found without writing or reading it."""
    found = Contents(posts=posts, comments=comments)
    for post in _plan(posts, comments, seed):
        for comment in post.comments:
            if comment.type:
                found.pingbacks += 1
                continue
            found.statuses[comment.approved] += 1
            found.approved[comment.id] = comment.approved
            if comment.parent:
                found.parents[comment.id] = comment.parent
                found.depths[comment.id] = found.depths[comment.parent] + 1
            else:
                found.depths[comment.id] = 1
    return found


# The words: original sentences about an imaginary photography magazine, from small lists.

# fmt: off
SUBJECTS = [
    "the harbour at first light", "a roll of slide film three years out of date",
    "the contact sheet", "my grandfather's folding camera", "the north light in the studio",
    "a borrowed fifty", "the last frame on the roll", "the print drying on the line",
    "the fog over the estuary", "a street market in late November", "the old enlarger",
    "a shoebox of uncut negatives", "the selenium toner", "a plastic toy camera",
    "the square format", "a second session in the darkroom", "the sitter's hands",
    "a winter beach", "the row of allotment sheds", "the windows of the night bus",
    "the ferry terminal", "a tripod with one stiff leg", "the cheapest paper in the shop",
    "the light meter app", "a rooftop in August", "the flooded quarry", "the market porters",
    "a hand-held half second", "the orange cast of sodium lamps", "the sea wall",
    "an afternoon of portraits", "the zine we printed", "the slide projector",
    "the cyanotype frame", "the bus depot at midnight", "a borrowed view camera",
]
VERBS = [
    "rewards", "forgives", "exaggerates", "flattens", "hides", "reveals", "softens", "teaches",
    "punishes", "slows down", "complicates", "sharpens", "muddies", "changes", "outlasts",
    "undersells", "brings out", "swallows",
]
OBJECTS = [
    "patience", "a heavy hand with the contrast", "the shadows more than the highlights",
    "every small error of focus", "the grain in an empty sky", "any shake of the hand",
    "the colour of skin", "what the meter promised", "the mood of a grey morning",
    "the lines of a building", "the texture of wet stone", "a face turned half away",
    "the quiet between two people", "the edge of a cloud", "the warmth of tungsten",
    "the deep blacks", "careless composition", "the story in the background",
]
MANNERS = [
    "more than I expected", "in a way no screen does", "if you let it", "on a good day",
    "once you stop fighting it", "for reasons nobody has explained to me",
    "whatever the manual says", "almost every time", "with surprising kindness",
    "only after the third attempt", "when the weather turns", "long after the shoot",
]
OPENERS = [
    "In the end", "Looking back", "Frankly", "To nobody's surprise", "On the second day",
    "Against all advice", "After a long winter", "By the last roll", "For a beginner",
    "Seen from the pier", "Between two showers", "Under the red safelight",
]
FILMS = [
    "Portra 400", "HP5 pushed two stops", "Tri-X", "FP4", "Delta 3200", "Ektar 100",
    "a bulk-loaded roll of XX", "Velvia", "Fomapan 100", "Gold 200", "Pan F",
]
CAMERAS = [
    "an old rangefinder", "a twin-lens reflex", "a battered SLR", "a half-frame compact",
    "a large-format field camera", "a pinhole box", "a mirrorless body", "a folding 6x9",
    "a medium-format reflex", "a point-and-shoot from a charity shop",
]
PLACES = [
    "on the pier", "behind the station", "in the allotments", "along the canal",
    "at the fish market", "in the empty lido", "under the flyover", "on the moor",
    "in the print room", "at the bus garage", "on the night ferry", "in the old mill",
]
TIMES = [
    "an hour before sunset", "just after dawn", "in steady rain", "at the blue hour",
    "in the flat light of noon", "by streetlight", "in the first frost", "on a windless evening",
]
PEOPLE = [
    "Our printer", "The editor", "A reader in Leeds", "My old tutor", "The lab technician",
    "A fisherman on the quay", "The workshop's oldest member", "One of our contributors",
]
SAYINGS = ["said", "insisted", "wrote to us", "likes to say", "warned me", "admitted"]
APERTURES = ["f/2", "f/2.8", "f/4", "f/5.6", "f/8", "f/11", "f/16", "f/22"]
SHUTTERS = ["1/15 s", "1/30 s", "1/60 s", "1/125 s", "1/250 s", "1/500 s", "a full second"]
ISOS = ["100", "200", "400", "800", "1600", "3200"]
THANKS = [
    "Thanks for this piece", "What a lovely set of pictures", "This brought back memories",
    "I read this twice", "Great write-up", "I have been waiting for an article like this",
    "Lovely to see this here", "Bookmarked for the weekend",
]
DOUBTS = [
    "I am not sure I agree about", "I would push back a little on",
    "I had the opposite luck with", "Nobody ever mentions", "Spare a thought for",
]
QUESTIONS = ["Could you say more about", "Has anyone else struggled with", "What do you make of"]
RELATIVES = ["father", "aunt", "neighbour", "first boss", "grandmother", "teacher", "brother"]
ADJECTIVES = [
    "Quiet", "Slow", "Borrowed", "Wet", "Late", "Grey", "Bright", "Cold", "Small", "Long",
    "Second", "Last", "Patient", "Northern", "Empty", "Rough",
]
NOUNS = [
    "Light", "Grain", "Harbours", "Negatives", "Mornings", "Prints", "Shadows", "Tides",
    "Portraits", "Streets", "Winters", "Contact Sheets", "Darkrooms", "Ferries",
]
HEADINGS = [
    "What we used", "How it went", "The prints", "What I would change", "Notes on exposure",
    "In the darkroom", "Where to start", "A word on paper", "The long way round",
]
FIRST_NAMES = [
    "Ada", "Bram", "Carys", "Dev", "Elif", "Femi", "Greta", "Hamid", "Ines", "Jonas", "Kasia",
    "Lior", "Mara", "Nils", "Orla", "Pavel", "Quinn", "Rosa", "Søren", "Tove", "Uma", "Vik",
    "Wren", "Xiu", "Yusuf", "Zoë", "Alba", "Bruno", "Chidi", "Dagny", "Emeka", "Freya",
]
LAST_NAMES = [
    "Lowe", "Hartley", "Okafor", "Nowak", "Brennan", "Demir", "Lindqvist", "Moreau", "Patel",
    "Quayle", "Rossi", "Sato", "Tanaka", "Vance", "Whitlock", "Yilmaz", "Zieliński", "Achebe",
    "Byrne", "Castell", "Duarte", "Eriksen", "Fairweather", "Gallo", "Müller", "Ibarra",
]
DOMAINS = ["example.com", "example.net", "example.org", "mail.example", "post.example"]
AUTHORS = [  # (login, first name, last name, display name)
    ("mara", "Mara", "Lindqvist", "Mara Lindqvist"),
    ("tobias", "Tobias", "Fairweather", "Tobias Fairweather"),
    ("ines", "Ines", "Duarte", "Ines Duarte"),
    ("desk", "", "", "The Picture Desk"),
]
CATEGORIES = [  # four sections of two each: (nicename, name, parent's nicename, description)
    ("film", "Film", "", "Emulsions, cameras and the people who still load them."),
    ("film-stocks", "Film stocks", "film", "One stock a month, shot hard."),
    ("medium-format", "Medium format", "film", "Twelve frames and a lot of patience."),
    ("darkroom", "Darkroom", "", "Printing, developing, toning."),
    ("printing", "Printing", "darkroom", "From test strip to the final print."),
    ("developing", "Developing", "darkroom", "Times, temperatures, agitation."),
    ("gear", "Gear", "", "Cameras and lenses we used until they broke."),
    ("cameras", "Cameras", "gear", ""),
    ("lenses", "Lenses", "gear", ""),
    ("stories", "Stories", "", "Photographers and the places they work."),
    ("interviews", "Interviews", "stories", "Conversations with our readers."),
    ("travel", "Travel", "stories", "Going somewhere with one camera and three rolls."),
]
TAGS = [  # (slug, name)
    ("portra-400", "Portra 400"), ("hp5", "HP5"), ("tri-x", "Tri-X"), ("fp4", "FP4"),
    ("delta-3200", "Delta 3200"), ("ektar", "Ektar"), ("velvia", "Velvia"),
    ("pinhole", "Pinhole"), ("rangefinder", "Rangefinder"), ("tlr", "TLR"),
    ("large-format", "Large format"), ("half-frame", "Half-frame"), ("street", "Street"),
    ("portrait", "Portrait"), ("landscape", "Landscape"), ("seascape", "Seascape"),
    ("night", "Night"), ("fog", "Fog"), ("rain", "Rain"), ("winter", "Winter"),
    ("summer", "Summer"), ("harbour", "Harbour"), ("market", "Market"),
    ("cyanotype", "Cyanotype"), ("lith-printing", "Lith printing"), ("selenium", "Selenium"),
    ("contact-sheets", "Contact sheets"), ("zines", "Zines"), ("exhibitions", "Exhibitions"),
    ("workshops", "Workshops"), ("beginners", "Beginners"),
    ("push-processing", "Push processing"), ("scanning", "Scanning"),
    ("enlargers", "Enlargers"), ("paper", "Paper"), ("light-and-shade", "Light & Shade"),
    ("reader-portfolio", "Reader portfolio"), ("interviews", "Interviews"),
    ("ferries", "Ferries"), ("allotments", "Allotments"),
]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
# fmt: on
CHILD_CATEGORIES = [c for c in CATEGORIES if c[2]]


def cdata(text: str) -> str:
    """`text` as one or more CDATA sections: a "]]>" inside it ends one section and starts the
    next, as WordPress's own exporter writes it."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slugify(text: str) -> str:
    ascii_text = (
        unicodedata.normalize("NFKD", text.replace("ø", "o")).encode("ascii", "ignore").decode()
    )
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower().replace("&", "and")).strip("-")


def _wp_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _rss_time(moment: datetime) -> str:
    return (
        f"{DAYS[moment.weekday()]}, {moment.day:02d} {MONTHS[moment.month - 1]} {moment.year} "
        f"{moment:%H:%M:%S} +0000"
    )


class Words:
    """Sentences, paragraphs, titles and commenters from the word lists, by one seeded stream."""

    def __init__(self, seed: int):
        self.rng = random.Random(f"words-{seed}")
        self.slugs: set[str] = set()

    def sentence(self) -> str:
        r = self.rng
        form = r.randrange(7)
        if form == 0:
            text = f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)} {r.choice(MANNERS)}"
        elif form == 1:
            text = (
                f"we shot {r.choice(FILMS)} at ISO {r.choice(ISOS)} on {r.choice(CAMERAS)} "
                f"{r.choice(PLACES)}, {r.choice(TIMES)}"
            )
        elif form == 2:
            text = (
                f"at {r.choice(APERTURES)} and {r.choice(SHUTTERS)}, {r.choice(SUBJECTS)} "
                f"{r.choice(VERBS)} {r.choice(OBJECTS)}"
            )
        elif form == 3:
            text = (
                f"{r.choice(OPENERS)}, {r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)}"
            )
        elif form == 4:
            text = (
                f"{r.choice(PEOPLE)} {r.choice(SAYINGS)} that {r.choice(SUBJECTS)} "
                f"{r.choice(VERBS)} {r.choice(OBJECTS)}"
            )
        elif form == 5:
            text = (
                f"nobody expected {r.choice(SUBJECTS)} {r.choice(PLACES)} to be worth "
                f"{r.randint(2, 40)} frames, yet it {r.choice(VERBS)} {r.choice(OBJECTS)}"
            )
        else:
            text = f"{r.choice(OPENERS)}, {r.choice(FILMS)} {r.choice(VERBS)} {r.choice(OBJECTS)}"
        return text[0].upper() + text[1:] + "."

    def remark(self) -> str:
        """A sentence as a reader writes one."""
        r = self.rng
        form = r.randrange(6)
        if form == 0:
            return f"{r.choice(THANKS)}."
        if form == 1:
            if r.random() < 0.5:
                return f"{r.choice(QUESTIONS)} {r.choice(SUBJECTS)}?"
            return f"{r.choice(DOUBTS)} {r.choice(SUBJECTS)}."
        if form == 2:
            return (
                f"My {r.choice(RELATIVES)} used {r.choice(CAMERAS)} for {r.randint(3, 45)} years "
                f"and swore {r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)}."
            )
        if form == 3:
            return f"Did you try {r.choice(FILMS)} {r.choice(PLACES)} {r.choice(TIMES)}?"
        if form == 4:
            return f"Same here with {r.choice(CAMERAS)}: it {r.choice(VERBS)} {r.choice(OBJECTS)}."
        return self.sentence()

    def paragraph(self, low: int, high: int, *, reader: bool = False) -> str:
        """Sentences until the paragraph is at least a length between `low` and `high`."""
        target = self.rng.randint(low, high)
        parts, length = [], 0
        while length < target:
            part = self.remark() if reader else self.sentence()
            parts.append(part)
            length += len(part) + 1
        return " ".join(parts)

    def decorate(self, text: str, *, link: bool) -> str:
        """Some <em>/<strong> and perhaps a link, as writers put them in by hand."""
        r = self.rng
        words = text.split(" ")
        if len(words) > 6 and r.random() < 0.5:
            i = r.randrange(len(words) - 2)
            tag = r.choice(("em", "strong"))
            words[i] = f"<{tag}>{words[i]}"
            words[i + 1] = f"{words[i + 1]}</{tag}>"
        if link and len(words) > 8:
            i = r.randrange(len(words) - 3)
            words[i] = f'<a href="{SITE}/tag/{r.choice(TAGS)[0]}/">{words[i]}'
            words[i + 2] = f"{words[i + 2]}</a>"
        return " ".join(words)

    def title(self) -> str:
        r = self.rng
        form = r.randrange(6)
        if form == 0:
            return f"{r.choice(ADJECTIVES)} {r.choice(NOUNS)}: {r.choice(SUBJECTS)}"
        if form == 1:
            return f"{r.choice(NOUNS)} & {r.choice(NOUNS)} {r.choice(PLACES)}"
        if form == 2:
            return f"A week with {r.choice(CAMERAS)}"
        if form == 3:
            name = f"{r.choice(FIRST_NAMES)} {r.choice(LAST_NAMES)}"
            return f"Reader portfolio: {name}’s {r.choice(NOUNS).lower()}"
        if form == 4:
            return f"What {r.choice(FILMS)} taught us about {r.choice(OBJECTS)}"
        return f"{r.choice(HEADINGS)}: {r.choice(SUBJECTS)}"

    def slug(self, title: str) -> str:
        """WordPress's way: the title's slug, with -2, -3... when taken."""
        base = _slugify(title)[:80].strip("-")
        slug, n = base, 1
        while slug in self.slugs:
            n += 1
            slug = f"{base}-{n}"
        self.slugs.add(slug)
        return slug

    def content(self) -> str:
        """Classic-editor content: 3-8 paragraphs parted by blank lines, a heading, a list."""
        r = self.rng
        count = r.randint(3, 8)
        blocks = [
            self.decorate(self.paragraph(200, 700), link=r.random() < 0.3) for _ in range(count)
        ]
        heading = f"<h2>{r.choice(HEADINGS)}</h2>"
        blocks.insert(r.randint(1, len(blocks)), heading)
        items = "\n".join(
            f"<li>{r.choice(FILMS)}, {r.choice(APERTURES)}, {r.choice(SHUTTERS)}</li>"
            for _ in range(r.randint(2, 5))
        )
        blocks.insert(r.randint(1, len(blocks)), f"<ul>\n{items}\n</ul>")
        if r.random() < 0.02:  # a reader's script quoted in a post, with a "]]>" in it
            blocks.append("<code>if frames[rolls[0]]>36: print('bulk roll')</code>")
        return "\n\n".join(blocks)

    def comment_text(self) -> str:
        """One to four paragraphs of 100-600 characters, now and then a link or emphasis."""
        r = self.rng
        count = r.choices((1, 2, 3, 4), weights=(45, 30, 17, 8))[0]
        paragraphs = [self.paragraph(100, 600, reader=True) for _ in range(count)]
        if r.random() < 0.15:
            paragraphs[-1] = self.decorate(paragraphs[-1], link=r.random() < 0.4)
        return "\n\n".join(paragraphs)

    def spam_text(self) -> str:
        r = self.rng
        return (
            f"{r.choice(THANKS)}! Cheap {r.choice(FILMS)} and {r.choice(CAMERAS)} deals at "
            f'<a href="http://deals{r.randint(1, 99)}.example/">our shop</a>, '
            f'<a href="http://deals{r.randint(1, 99)}.example/lenses">lenses</a> and '
            f'<a href="http://deals{r.randint(1, 99)}.example/prints">prints</a>.'
        )

    def commenters(self, count: int) -> list[tuple[str, str, str]]:
        """(name, email, url) of `count` readers; about 40% give a website."""
        people = []
        for n in range(count):
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            handle = _slugify(f"{first}{last}") or "reader"
            email = f"{handle}{n}@{self.rng.choice(DOMAINS)}"
            url = f"https://{handle}{n}.example/" if self.rng.random() < 0.4 else ""
            people.append((f"{first} {last}", email, url))
        return people

    def ip(self) -> str:
        r = self.rng
        if r.random() < 0.15:
            return f"2001:db8:{r.randrange(65536):x}:{r.randrange(65536):x}::{r.randrange(65536):x}"
        return f"{r.choice((31, 62, 81, 86, 92, 109, 151, 188, 212))}.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}"


# Writing the file.


def _channel(out, version: str, words: Words) -> None:
    out.write(
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        "<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your "
        "site. -->\n"
        f'<rss version="2.0"\n'
        f'\txmlns:excerpt="http://wordpress.org/export/{version}/excerpt/"\n'
        '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
        '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
        '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        f'\txmlns:wp="http://wordpress.org/export/{version}/"\n'
        ">\n\n<channel>\n"
        "\t<title>Old Magazine of Light &amp; Grain</title>\n"
        f"\t<link>{SITE}</link>\n"
        "\t<description>Film, darkrooms and the people who still print</description>\n"
        "\t<pubDate>Mon, 01 Jul 2024 09:00:00 +0000</pubDate>\n"
        "\t<language>en-GB</language>\n"
        f"\t<wp:wxr_version>{version}</wp:wxr_version>\n"
        f"\t<wp:base_site_url>{SITE}</wp:base_site_url>\n"
        f"\t<wp:base_blog_url>{SITE}</wp:base_blog_url>\n\n"
    )
    for number, (login, first, last, display) in enumerate(AUTHORS, start=1):
        out.write(
            f"\t<wp:author><wp:author_id>{number}</wp:author_id>"
            f"<wp:author_login>{cdata(login)}</wp:author_login>"
            f"<wp:author_email>{cdata(f'{login}@oldmag.example')}</wp:author_email>"
            f"<wp:author_display_name>{cdata(display)}</wp:author_display_name>"
            f"<wp:author_first_name>{cdata(first)}</wp:author_first_name>"
            f"<wp:author_last_name>{cdata(last)}</wp:author_last_name></wp:author>\n"
        )
    out.write("\n")
    term_id = 1
    for nicename, name, parent, description in CATEGORIES:
        term_id += 1
        out.write(
            f"\t<wp:category>\n\t\t<wp:term_id>{term_id}</wp:term_id>\n"
            f"\t\t<wp:category_nicename>{cdata(nicename)}</wp:category_nicename>\n"
            f"\t\t<wp:category_parent>{cdata(parent)}</wp:category_parent>\n"
            f"\t\t<wp:cat_name>{cdata(name)}</wp:cat_name>\n"
            f"\t\t<wp:category_description>{cdata(description)}</wp:category_description>\n"
            "\t</wp:category>\n"
        )
    for slug, name in TAGS:
        term_id += 1
        out.write(
            f"\t<wp:tag>\n\t\t<wp:term_id>{term_id}</wp:term_id>\n"
            f"\t\t<wp:tag_slug>{cdata(slug)}</wp:tag_slug>\n"
            f"\t\t<wp:tag_name>{cdata(name)}</wp:tag_name>\n\t</wp:tag>\n"
        )
    out.write("\n\t<generator>https://wordpress.org/?v=6.5.2</generator>\n\n")


def _item(out, post: PlannedPost, words: Words, people: list) -> None:
    r = words.rng
    title = words.title()
    slug = words.slug(title)
    local = post.date.astimezone(SITE_TIME)
    author_number = r.randrange(len(AUTHORS))
    login = AUTHORS[author_number][0]
    category = r.choice(CHILD_CATEGORIES if r.random() < 0.85 else CATEGORIES)
    excerpt = words.sentence() if r.random() < 0.4 else ""
    tags = r.sample(TAGS, r.randint(1, 3))
    out.write(
        "\t<item>\n"
        f"\t\t<title>{escape(title)}</title>\n"
        f"\t\t<link>{SITE}/{local:%Y/%m/%d}/{slug}/</link>\n"
        f"\t\t<pubDate>{_rss_time(post.date)}</pubDate>\n"
        f"\t\t<dc:creator>{cdata(login)}</dc:creator>\n"
        f'\t\t<guid isPermaLink="false">{SITE}/?p={post.id}</guid>\n'
        "\t\t<description></description>\n"
        f"\t\t<content:encoded>{cdata(words.content())}</content:encoded>\n"
        f"\t\t<excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>\n"
        f"\t\t<wp:post_id>{post.id}</wp:post_id>\n"
        f"\t\t<wp:post_date>{cdata(_wp_time(local))}</wp:post_date>\n"
        f"\t\t<wp:post_date_gmt>{cdata(_wp_time(post.date))}</wp:post_date_gmt>\n"
        f"\t\t<wp:comment_status>{cdata('open')}</wp:comment_status>\n"
        f"\t\t<wp:ping_status>{cdata('open')}</wp:ping_status>\n"
        f"\t\t<wp:post_name>{cdata(slug)}</wp:post_name>\n"
        f"\t\t<wp:status>{cdata('publish')}</wp:status>\n"
        "\t\t<wp:post_parent>0</wp:post_parent>\n"
        "\t\t<wp:menu_order>0</wp:menu_order>\n"
        f"\t\t<wp:post_type>{cdata('post')}</wp:post_type>\n"
        f"\t\t<wp:post_password>{cdata('')}</wp:post_password>\n"
        "\t\t<wp:is_sticky>0</wp:is_sticky>\n"
        f'\t\t<category domain="category" nicename="{category[0]}">{cdata(category[1])}</category>\n'
    )
    for slug, name in tags:
        out.write(f'\t\t<category domain="post_tag" nicename="{slug}">{cdata(name)}</category>\n')
    out.write(
        f"\t\t<wp:postmeta>\n\t\t\t<wp:meta_key>{cdata('_edit_last')}</wp:meta_key>\n"
        f"\t\t\t<wp:meta_value>{cdata(str(author_number + 1))}</wp:meta_value>\n"
        "\t\t</wp:postmeta>\n"
    )
    if r.random() < 0.5:
        lock = int(post.date.timestamp()) + r.randint(60, 86400)
        out.write(
            f"\t\t<wp:postmeta>\n\t\t\t<wp:meta_key>{cdata('_edit_lock')}</wp:meta_key>\n"
            f"\t\t\t<wp:meta_value>{cdata(f'{lock}:{author_number + 1}')}</wp:meta_value>\n"
            "\t\t</wp:postmeta>\n"
        )
    for comment in post.comments:
        _comment(out, comment, words, people)
    out.write("\t</item>\n")


def _comment(out, comment: PlannedComment, words: Words, people: list) -> None:
    r = words.rng
    if comment.type == "pingback":
        title = words.title()
        name = f"{title} | {r.choice(LAST_NAMES)}’s photo diary"
        email, url = "", f"https://{r.choice(LAST_NAMES).lower()}.example/{_slugify(title)}/"
        text = f"[&#8230;] {words.sentence()} [&#8230;]"
    else:
        # Regulars (the first few) write much of it; the long tail once or twice.
        name, email, url = people[int(len(people) * r.random() ** 3)]
        text = words.spam_text() if comment.approved == "spam" else words.comment_text()
    local = comment.date.astimezone(SITE_TIME)
    out.write(
        "\t\t<wp:comment>\n"
        f"\t\t\t<wp:comment_id>{comment.id}</wp:comment_id>\n"
        f"\t\t\t<wp:comment_author>{cdata(name)}</wp:comment_author>\n"
        f"\t\t\t<wp:comment_author_email>{cdata(email)}</wp:comment_author_email>\n"
        f"\t\t\t<wp:comment_author_url>{escape(url)}</wp:comment_author_url>\n"
        f"\t\t\t<wp:comment_author_IP>{cdata(words.ip())}</wp:comment_author_IP>\n"
        f"\t\t\t<wp:comment_date>{cdata(_wp_time(local))}</wp:comment_date>\n"
        f"\t\t\t<wp:comment_date_gmt>{cdata(_wp_time(comment.date))}</wp:comment_date_gmt>\n"
        f"\t\t\t<wp:comment_content>{cdata(text)}</wp:comment_content>\n"
        f"\t\t\t<wp:comment_approved>{cdata(comment.approved)}</wp:comment_approved>\n"
        f"\t\t\t<wp:comment_type>{cdata(comment.type)}</wp:comment_type>\n"
        f"\t\t\t<wp:comment_parent>{comment.parent}</wp:comment_parent>\n"
        "\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n"
        "\t\t</wp:comment>\n"
    )


def write_wxr(path, *, posts: int, comments: int, seed: int = 1, version: str = "1.2") -> None:
    """Write a WordPress export of `posts` posts and exactly `comments` comments to `path`."""
    if version not in ("1.1", "1.2"):
        raise ValueError(f"WXR version {version!r}: 1.1 or 1.2")
    words = Words(seed)
    people = words.commenters(max(50, min(20000, comments // 6)))
    with Path(path).open("w", encoding="utf-8", buffering=BUFFER) as out:
        _channel(out, version, words)
        for post in _plan(posts, comments, seed):
            _item(out, post, words, people)
        out.write("</channel>\n</rss>\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the file to write")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=50000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--version", choices=("1.1", "1.2"), default="1.2")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    write_wxr(
        args.out, posts=args.posts, comments=args.comments, seed=args.seed, version=args.version
    )
    size = args.out.stat().st_size / 1e6
    print(
        f"{args.out}: {args.posts:,} posts, {args.comments:,} comments, {size:,.1f} MB "
        f"in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
