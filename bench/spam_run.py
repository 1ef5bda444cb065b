"""A seeded-random mix of comments, honest and not, posted through gunicorn: what the
moderation rules make of each kind, how long a post takes, and whether anything that should
have been stopped shows on an article page.

    .venv/bin/python bench/spam_run.py        # or: make bench-spam

It migrates a fresh SQLite database in var/bench-spam (deleted first; DATABASE_URL, when
set, names another database instead), seeds four articles with `seed_thread --comments 40`
and an older one where the trusted commenters (guests with one approved comment, days old,
under the same name and email) wrote before, and pins the site settings the run is about:
the defaults for the rules (rate limit 5 a minute per network or account, 15 s between two
comments of one commenter, forms at least 3 s old, hold at 2 links, trusted after 1 approved
comment) plus lists of blocked and watched words. Then it starts gunicorn as `make serve`
does (3 sync workers, DEBUG off, a free 127.0.0.1 port) with DJANGO_PROXY_HOPS=1, so each
simulated reader's address is read from the X-Forwarded-For header it sends (only data:
every connection is to and from 127.0.0.1), and posts BENCH_SPAM_POSTS (1,000) comments
in a seeded-random schedule over about BENCH_SPAM_SPAN (75) seconds, one at a time:

- honest comments from trusted commenters, each reader on a network of their own (a few
  over IPv6), some of them twice (20 s or more apart), some as replies;
- honest comments from first-time commenters (held until a moderator approves one);
- link spam (3 to 6 links), watched-word spam, blocked words in the text, in look-alike
  letters (Cyrillic, Greek, fullwidth, accents), in the name, email or website, and
  disguised with invisible characters; some of it from trusted commenters' identities, so
  the rules themselves and not only the "unknown commenter" hold have to stop it;
- robots that fill the honeypot field, and robots that post the moment the page loads;
- floods: one commenter posting several times within a few seconds from one address
  (their first comment is an honest one and counted as such), and one address posting 20
  comments in a minute under changing names;
- duplicates: a commenter posting the same text again (on the same or another article,
  after the flood interval, so the duplicate rule is what stops it; the first copy is an
  honest comment and counted as such), and one network posting one text on every article
  under different names.

Every post is what a browser does: GET the article page from the reader's address (CSRF
cookie, form), then POST the form. The form's hidden `token` is minted in this process
with `forum.comments.forms.new_token(article_id, issued=now - reading time)` as if the
page had been open for the reading time (20 to 120 s for honest readers, 5 to 60 s for
patient robots), which the server cannot tell from the real thing; only the instant robots
post the page's own token at once. Only the POST is timed, client-side, from connecting to
the last byte.

Afterwards it reads each accepted comment's status from the database, fetches every page
of every article as a new anonymous reader, and checks (each a reason to exit 1):

- honest comments from trusted commenters: all published (none held, spam or refused);
- no spam, robot, flood or duplicate comment visible on an article page (by comment id, and
  by its text, which may show only as often as honest published comments carry it), while
  the same search finds every published honest comment (or it could not see a leak);
- honest comments from first-time commenters: all held;
- refused posts stored nothing and accepted ones exactly one comment each;
- every post answered with a redirect (302) or a refusal (200 with the rule's message), no
  other status, no form errors, and nothing alarming in the server's log.

The table and the checks are printed and written to bench/results.md as the section
"## Spam run" (bench/run.py keeps that section when it rewrites the file).

Knobs (environment): BENCH_SPAM_POSTS (1000, at least 300), BENCH_SPAM_SEED (1),
BENCH_SPAM_SPAN (75 s), WORKERS (3). Loopback only.
"""

import contextlib
import heapq
import html
import os
import random
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import (  # noqa: E402
    HOST,
    RESULTS,
    CookieJar,
    Gunicorn,
    form_errors,
    hidden_field,
    machine,
    request,
    save_section,
    serve_env,
    summary,
)

TOTAL = int(os.environ.get("BENCH_SPAM_POSTS") or 1000)
SEED = int(os.environ.get("BENCH_SPAM_SEED") or 1)
SPAN = float(os.environ.get("BENCH_SPAM_SPAN") or 75)
VAR_DIR = ROOT / "var" / "bench-spam"
SECTION = "## Spam run"
LOG_PROBLEMS = ("database is locked", "Traceback", "Internal Server Error", "WORKER TIMEOUT")

BLOCKED_WORDS = ["casino", "viagra", "payday loan", "replica watches", "crypto giveaway"]
WATCHED_WORDS = ["discount", "promo code", "whatsapp", "wholesale"]
RULES = {  # the defaults, pinned so that a changed default shows up as a changed setting here
    "moderation_mode": "hold_new",
    "trusted_after": 1,
    "rate_limit": 5,
    "flood_seconds": 15,
    "min_seconds_to_post": 3,
    "link_limit": 2,
}
ARTICLES = 4
SEEDED_COMMENTS = 40


def prepare_environment() -> dict:
    env = serve_env(VAR_DIR, DJANGO_PROXY_HOPS="1")
    if not env.get("DATABASE_URL"):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            (VAR_DIR / f"db.sqlite3{suffix}").unlink(missing_ok=True)
    os.environ.update(env)  # this process seeds, mints tokens and checks with the same keys
    return env


ENV = prepare_environment()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import F  # noqa: E402
from django.utils import timezone  # noqa: E402

from forum.articles.models import Article  # noqa: E402
from forum.comments.forms import new_token  # noqa: E402
from forum.comments.models import Comment  # noqa: E402
from forum.core.html import render_comment  # noqa: E402
from forum.site_settings.models import SiteSettings  # noqa: E402

# --- Who posts -----------------------------------------------------------------------------

FIRST_NAMES = [
    "Amara", "Ben", "Chloe", "Dev", "Elif", "Finn", "Greta", "Hugo", "Ines", "Jack", "Kemi",
    "Luca", "Maya", "Niall", "Olga", "Pavel", "Quinn", "Ruth", "Sami", "Tess", "Umar",
    "Vera", "Wes", "Xiu", "Yara", "Zoë", "Łukasz", "Søren", "José", "Aoife", "Bram", "Carys",
    "Dmitri", "Esme", "Farah", "Gwen", "Hiro", "Isla", "Jonah", "Kirsty",
]  # fmt: skip
LAST_NAMES = [
    "Abbott", "Brennan", "Castillo", "Dunmore", "Eriksen", "Fairley", "Gallagher", "Holm",
    "Iqbal", "Jensen", "Kowalski", "Lindgren", "Mbeki", "Novak", "O'Hara", "Petrov", "Quayle",
    "Rossi", "Sato", "Thorne", "Underwood", "Varga", "Whitfield", "Yilmaz", "Zielinski",
    "Ní Bhriain", "Madsen", "Ortega", "de Vries", "Achterberg", "Bell", "Carmichael",
    "Drummond", "Ellison", "Forsyth", "Grant", "Hale", "Ives", "Jakobsen", "Kerr",
]  # fmt: skip
MAIL_DOMAINS = ["example.com", "example.net", "example.org", "mail.example.com"]
BROWSERS = [
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
]
ROBOTS = [
    "python-requests/2.32.3",
    "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0)",
    "curl/8.5.0",
    "Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/49.0 Safari/537",
]
SPAM_NAMES = [
    "Mike Johnson", "Best Lens Deals", "Anna Smith", "SEO Expert", "David Brown", "Camera Shop",
    "Linda Moore", "Photo Gear Outlet", "John Williams", "Print Studio Offers", "Kate Wilson",
    "Tripod Warehouse",
]  # fmt: skip


@dataclass
class Actor:
    """One simulated reader (or robot): who they say they are and where they post from."""

    name: str
    email: str
    ip: str
    agent: str
    website: str = ""
    trusted: bool = False
    jar: CookieJar = field(default_factory=CookieJar)


class People:
    """Unique names, emails and networks (a /24 or /48 of their own unless shared on purpose)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.names: set[str] = set()
        self.networks = 0

    def name(self) -> str:
        while True:
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
            if name not in self.names:
                self.names.add(name)
                return name
            if len(self.names) > 0.8 * len(FIRST_NAMES) * len(LAST_NAMES):
                raise SystemExit("ran out of reader names: lower BENCH_SPAM_POSTS")

    def email_for(self, name: str) -> str:
        plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        local = re.sub(r"[^a-z]+", ".", plain.lower()).strip(".")
        return f"{local}.{self.rng.randint(1, 999)}@{self.rng.choice(MAIL_DOMAINS)}"

    def reader_address(self) -> str:
        """A home or office network of its own: 10.x.y.0/24, or 2001:db8:n::/48."""
        self.networks += 1
        n = self.networks
        if self.rng.random() < 0.1:
            return f"2001:db8:{n:x}::{self.rng.randint(1, 0xFFFF):x}"
        return f"10.{(n >> 8) & 255}.{n & 255}.{self.rng.randint(2, 254)}"

    def robot_network(self) -> str:
        """The first three octets of a network of its own in 198.18.0.0/15."""
        self.networks += 1
        n = self.networks
        return f"198.{18 + ((n >> 8) & 1)}.{n & 255}"

    def robot_address(self) -> str:
        return f"{self.robot_network()}.{self.rng.randint(2, 254)}"

    def reader(self, *, trusted: bool) -> Actor:
        name = self.name()
        website = ""
        if self.rng.random() < 0.15:
            website = f"https://{name.split()[0].lower()}-photos.example.org/"
            website = unicodedata.normalize("NFKD", website).encode("ascii", "ignore").decode()
        return Actor(
            name=name,
            email=self.email_for(name),
            ip=self.reader_address(),
            agent=self.rng.choice(BROWSERS),
            website=website,
            trusted=trusted,
        )

    def robot(self, *, ip: str | None = None, name: str | None = None) -> Actor:
        name = name or f"{self.rng.choice(SPAM_NAMES)}"
        handle = re.sub(r"[^a-z]+", "", name.lower())
        return Actor(
            name=name,
            email=f"{handle}{self.rng.randint(10, 99999)}@{self.rng.choice(MAIL_DOMAINS)}",
            ip=ip or self.robot_address(),
            agent=self.rng.choice(ROBOTS + BROWSERS),
        )


# --- What they write -------------------------------------------------------------------------

PLACES = [
    "harbour wall", "north pier", "canal towpath", "old market hall", "moorland road",
    "estuary mudflats", "cathedral close", "railway viaduct", "allotments",
    "botanic garden glasshouse", "shingle beach", "quarry rim", "tram depot", "river meadows",
    "covered arcade", "lighthouse steps", "fish market", "disused mill",
]  # fmt: skip
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
TOPICS = [
    "metering for slide film", "zone focusing", "harsh midday light", "scanning negatives",
    "printing at home", "long exposures by the sea", "street portraits", "light meter apps",
    "stand development", "choosing a first prime", "filters for black and white",
    "backing up raw files", "colour for print", "photographing birds from a hide",
    "shooting in the rain", "framing with foreground", "exposing for snow", "night buses",
]  # fmt: skip
FILMS = [
    "HP5", "Tri-X", "Portra 400", "Ektar 100", "FP4", "Delta 3200", "Gold 200", "Pan F",
    "Fomapan 100", "CineStill 800T", "Acros 100", "Ilford XP2",
]  # fmt: skip
LENSES = [
    "35mm Summicron", "50mm f/1.8", "28mm Elmarit", "85mm portrait lens", "old Helios 44",
    "24-70 zoom", "40mm pancake", "90mm macro", "Jupiter 8", "21mm Voigtländer",
]  # fmt: skip
APERTURES = ["f/2", "f/2.8", "f/4", "f/5.6", "f/8", "f/11", "f/16"]
SHUTTERS = ["1/30", "1/60", "1/125", "1/250", "1/500", "1/1000", "two seconds", "half a second"]
ISOS = ["100", "200", "400", "800", "1600", "3200"]

OPENINGS = [
    "I tried this along the {place} last {month}.",
    "Thank you for the careful piece on {topic}.",
    "This is the first article on {topic} that made sense to me.",
    "Our camera club argued about {topic} for a whole evening in {month}.",
    "I have shot {film} for {years} years and still learned something here.",
    "My experience with the {lens} was a little different.",
    "A useful reminder about {topic}, which I keep forgetting.",
    "I printed a few frames from the {place} after reading this.",
    "One small addition on {topic}, if I may.",
    "Lovely pictures, especially the one from the {place}.",
    "I went out with the {lens} the morning after reading this.",
    "Reading this brought back a week I spent near the {place}.",
    "I teach a beginners' course and will point them to this piece on {topic}.",
    "Agreed on most of this, though I see {topic} a bit differently.",
    "It took me years to understand {topic}, and this says it in a page.",
    "We had fog at the {place} for most of {month}, so this came at the right time.",
    "Good to see {topic} taken seriously here.",
    "I was sceptical about {topic} until I read this.",
]
FIRST_OPENINGS = [
    "First time commenting, long-time reader.",
    "I found this through a friend and had to say something.",
    "New here, and new to {topic}, so forgive the basic question.",
    "I have read this site for a year without commenting.",
]
MIDDLES = [
    "At {aperture} and {shutter} the {lens} was sharp right into the corners.",
    "{film} pushed one stop still held detail in the shadows of the {place}.",
    "The light at the {place} changes fast, so I metered for the highlights and hoped.",
    "I bracketed every frame by a third of a stop and kept the middle one every time.",
    "My scans of {film} needed far less dust removal once I cleaned the carrier glass.",
    "A tripod at ISO {iso} made more difference than the new body ever did.",
    "The {lens} focuses close enough for the lichen on the walls of the {place}.",
    "I rated {film} at ISO {iso} and developed for a minute less, which tamed the sky.",
    "Working at {shutter} by hand was only possible with my elbows braced on the rail.",
    "The {lens} flares when the sun is low, and I have grown to like it.",
    "I spent {month} photographing the {place} at the same hour every day.",
    "Stopping down to {aperture} fixed the soft corners, which is where I live anyway.",
    "My lab returned the {film} a stop under, so I pushed the next roll in development.",
    "A cheap polariser did more for those skies than an hour of editing afterwards.",
    "The histogram lies on a bright screen, so I check it with the brightness turned down.",
    "Zone focusing at {aperture} let me keep the camera at my waist and the people relaxed.",
    "I now carry one lens, the {lens}, and think more about where I stand.",
    "Printing on matt paper took the shine off the {place} pictures in a good way.",
    "Slide film at the {place} taught me more about exposure than ten years of digital.",
    "Half a stop of overexposure on {film} gave the skin tones I was after.",
    "My light meter and my phone app disagree by a third of a stop, consistently.",
    "The weather sealing held up through two wet weeks near the {place}.",
    "A yellow filter on {film} darkened the sky just enough over the {place}.",
    "Shooting at {shutter} froze the gulls over the {place} but not the spray.",
]
CLOSINGS = [
    "Curious whether others have seen the same.",
    "Would love a follow-up on this.",
    "Either way, a good read.",
    "Happy to share sample frames if anyone wants them.",
    "Keep these coming.",
    "I may be the odd one out here.",
    "Thanks again to the writer.",
    "Off to try it again this weekend.",
]
FOLLOW_UPS = [
    "Also, I forgot to say the {lens} was on a tripod for frames 1 to {n}.",
    "One more thing: the {film} was a fresh roll, number {n} this year.",
    "And the {place} pictures were all before eight in the morning, {n} of them.",
    "Sorry, I meant {aperture}, not wide open, for roll {n}.",
    "PS the shutter speed was {shutter} for most of them, frame {n} excepted.",
    "Edit: it was ISO {iso}, I checked notebook page {n}.",
    "Forgot to add that I metered off the grass near the {place} for roll {n}.",
    "Last thing, promise: the prints were on matt paper, roll {n}.",
]
COMPANIES = ["Northgate", "Brightline", "Kestrel", "Orbis", "Meridian", "Pinnacle", "Harbour"]
PRODUCTS = [
    "lens cleaning kits", "camera straps", "memory cards", "tripod heads", "photo books",
    "studio lights", "filters", "camera bags", "editing presets", "backdrops",
]  # fmt: skip
SPAM_LEADS = [
    "Great article about {topic}, I shared it with my team at {company} {n}.",
    "Very informative post, I have read it {n} times over and over.",
    "Nice blog, I found it while searching for {product} reviews number {n}.",
    "Amazing pictures, my cousin at {company} {n} loves photography too.",
    "I read every post here and this one on {topic} is number {n} for me.",
    "Hello admin, we offer {product} for photographers like your {n} readers.",
    "Thanks for this post, it helped me choose {product} for studio {n}.",
    "Wonderful site, bookmarked it and sent it to {n} colleagues at {company}.",
    "Such a helpful guide to {topic}, my students in class {n} loved it.",
    "Keep up the good work on {topic}, greetings from {company} office {n}.",
]
LINK_HOSTS = [
    "cheap-lens-outlet.example.com", "camera-bargains.example.net", "best-tripods.example.org",
    "photo-gear-sale.example.com", "lens-rental-deals.example.net", "filters-online.example.org",
    "sd-cards-cheap.example.com", "print-studio-offer.example.net",
]  # fmt: skip
BLOCKED_SENTENCES = [
    "Play at the best online {w:casino} tonight and double your first deposit.",
    "Cheap {w:viagra} shipped overnight in plain packaging.",
    "Short of cash before the weekend? A {w:payday loan} is approved in minutes.",
    "Luxury {w:replica watches} for every photographer, free shipping.",
    "Join our {w:crypto giveaway} and win a new camera body today.",
    "New {w:casino} players get two hundred free spins on signup.",
    "Our {w:payday loan} service never checks your credit score.",
]
WATCHED_SENTENCES = [
    "Use promo code SNAP{n} at checkout for a discount on {product}.",
    "Message us on WhatsApp for wholesale prices on {product}.",
    "We sell {product} wholesale, ask for a discount on orders over {n}.",
    "A promo code for {product} is waiting for you, just reply.",
]
# Letters of other alphabets, fullwidth forms and accents that pass for the Latin ones.
CYRILLIC = str.maketrans("aceiopxy", "асеіорху")
GREEK = str.maketrans("aiko", "αικο")
INVISIBLE = ["\u200b", "\u00ad", "\u200d", "\ufeff"]  # zero-width space, soft hyphen, ...


def fill(template: str, rng: random.Random, **fixed) -> str:
    values = {
        "place": rng.choice(PLACES),
        "month": rng.choice(MONTHS),
        "topic": rng.choice(TOPICS),
        "film": rng.choice(FILMS),
        "lens": rng.choice(LENSES),
        "aperture": rng.choice(APERTURES),
        "shutter": rng.choice(SHUTTERS),
        "iso": rng.choice(ISOS),
        "years": rng.randint(2, 40),
        "company": rng.choice(COMPANIES),
        "product": rng.choice(PRODUCTS),
        "n": rng.randint(2, 9999),
        **fixed,
    }
    return template.format(**values)


def words(text: str) -> str:
    """`text` as its words only, case-folded: how a body is looked for in a page's text."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def lookalike(word: str, rng: random.Random) -> str:
    """`word` spelt so that it looks the same (or nearly) but is not plain ASCII."""
    style = rng.choice(["cyrillic", "greek", "fullwidth", "accent", "shout"])
    if style == "cyrillic":
        spelt = word.translate(CYRILLIC)
    elif style == "greek":
        spelt = word.translate(GREEK)
    elif style == "fullwidth":
        spelt = "".join(chr(ord(c) + 0xFEE0) if c.isalpha() else c for c in word)
    elif style == "accent":
        spelt = word.replace("a", "á", 1).replace("i", "ï", 1).replace("o", "ô", 1)
    else:
        spelt = word.upper().translate(str.maketrans("AOE", "АОЕ"))
    return spelt if spelt != word else word.translate(CYRILLIC)


def disguised(word: str, rng: random.Random) -> str:
    """`word` with an invisible character inside: it looks the same on the page."""
    cut = rng.randint(1, len(word.split()[0]) - 1)
    return word[:cut] + rng.choice(INVISIBLE) + word[cut:]


class Writer:
    """Texts for each kind of post; every body and every first sentence is used once."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.bodies: set[str] = set()
        self.leads: set[str] = set()

    def _unique(self, make, *, unique_lead: bool = True) -> tuple[str, str]:
        """(body, lead) from `make`, a body not written before (the duplicate rule would refuse
        it) and, for the posts that must not show, a first sentence not written before."""
        for _ in range(1000):
            lead, rest = make()
            body = f"{lead} {rest}".strip() if rest and not rest.startswith("\n") else lead + rest
            key = words(body)
            if key not in self.bodies and not (unique_lead and words(lead) in self.leads):
                self.bodies.add(key)
                self.leads.add(words(lead))
                return body, lead
        raise SystemExit("could not write a new text: lower BENCH_SPAM_POSTS")

    def honest(self, *, first_time: bool = False) -> tuple[str, str]:
        rng = self.rng

        def make():
            openings = FIRST_OPENINGS + OPENINGS if first_time else OPENINGS
            lead = fill(rng.choice(openings), rng)
            middles = [fill(m, rng) for m in rng.sample(MIDDLES, rng.randint(1, 3))]
            if rng.random() < 0.6:
                middles.append(rng.choice(CLOSINGS))
            if len(middles) > 2 and rng.random() < 0.3:
                rest = " ".join(middles[:1]) + "\n\n" + " ".join(middles[1:])
            else:
                rest = " ".join(middles)
            if rng.random() < (0.2 if first_time else 0.1):  # one link is fine
                rest += f" My frames are at https://photos.example.org/{rng.randint(100, 99999)}"
            return lead, rest

        return self._unique(make, unique_lead=False)

    def follow_up(self) -> tuple[str, str]:
        return self._unique(lambda: (fill(self.rng.choice(FOLLOW_UPS), self.rng), ""))

    def spam_lead(self) -> str:
        return fill(self.rng.choice(SPAM_LEADS), self.rng)

    def link_spam(self) -> tuple[str, str]:
        rng = self.rng

        def make():
            links = []
            for _ in range(rng.randint(3, 6)):
                url = f"https://{rng.choice(LINK_HOSTS)}/{rng.choice(PRODUCTS).replace(' ', '-')}"
                url += f"-{rng.randint(1, 999)}"
                if rng.random() < 0.5:
                    links.append(f"[{rng.choice(PRODUCTS)} on sale]({url})")
                else:
                    links.append(url)
            layout = rng.choice(["list", "inline"])
            if layout == "list":
                rest = "\n\n" + "\n".join(f"- {link}" for link in links)
            else:
                rest = "See " + ", ".join(links) + " for more."
            return self.spam_lead(), rest

        return self._unique(make)

    def watched(self) -> tuple[str, str]:
        rng = self.rng

        def make():
            rest = fill(rng.choice(WATCHED_SENTENCES), rng)
            if rng.random() < 0.5:
                rest += f" https://{rng.choice(LINK_HOSTS)}/offer-{rng.randint(1, 999)}"
            return self.spam_lead(), rest

        return self._unique(make)

    def blocked(self, spell=lambda word: word) -> tuple[str, str]:
        rng = self.rng

        def make():
            sentence = rng.choice(BLOCKED_SENTENCES)
            word = re.search(r"\{w:([^}]+)\}", sentence).group(1)
            rest = re.sub(r"\{w:[^}]+\}", lambda _: spell(word), sentence)
            if rng.random() < 0.4:
                rest += f" https://{rng.choice(LINK_HOSTS)}/go-{rng.randint(1, 999)}"
            return self.spam_lead(), rest

        return self._unique(make)

    def plain_spam(self) -> tuple[str, str]:
        """A robot's comment with nothing in it a word list would catch."""
        return self._unique(lambda: (self.spam_lead(), ""))


# --- The plan: every post, its kind and its moment --------------------------------------------

HONEST_TRUSTED = "honest, trusted commenter"
HONEST_NEW = "honest, first-time commenter"
KINDS = [
    HONEST_TRUSTED,
    HONEST_NEW,
    "link spam (3-6 links)",
    "watched-word spam",
    "blocked word in the text",
    "blocked word in look-alike letters",
    "blocked word in name, email or website",
    "blocked word with an invisible character",
    "robot: honeypot filled",
    "robot: posts as the page loads",
    "flood: one commenter, seconds apart",
    "flood: one network, 20 a minute",
    "duplicate: same commenter again",
    "duplicate: one network, every article",
]
HONEST = {HONEST_TRUSTED, HONEST_NEW}


@dataclass
class Post:
    kind: str
    actor: Actor
    article: int  # index into the seeded articles
    body: str
    lead: str  # the first sentence: what is looked for on the pages
    at: float  # seconds after the start
    read: float | None = 30.0  # seconds the form was open; None: the page's own token
    honeypot: str = ""
    parent: int | None = None
    min_gap: float = 0.0  # at least this long after the actor's previous accepted post
    # Filled in by the run:
    status: int | str | None = None
    post_ms: float | None = None
    pk: int | None = None
    refusal: str = ""
    outcome: str = ""  # published, held, spam, refused, or what went wrong
    reasons: list = field(default_factory=list)


def plan(rng: random.Random, people: People, writer: Writer, replies: list[list[int]]):
    """All the posts in schedule order, and the trusted commenters to seed."""

    def share(fraction: float) -> int:
        return max(1, round(TOTAL * fraction))

    posts: list[Post] = []
    trusted: list[Actor] = []
    gap = RULES["flood_seconds"] + 5

    def trusted_reader() -> Actor:
        actor = people.reader(trusted=True)
        trusted.append(actor)
        return actor

    def article() -> int:
        return rng.randrange(ARTICLES)

    def parent_for(index: int) -> int | None:
        return rng.choice(replies[index]) if replies[index] and rng.random() < 0.3 else None

    def honest(actor: Actor, at: float, **extra) -> Post:
        body, lead = writer.honest(first_time=not actor.trusted)
        index = extra.pop("article", None)
        index = article() if index is None else index
        return Post(
            HONEST_TRUSTED if actor.trusted else HONEST_NEW,
            actor,
            index,
            body,
            lead,
            at,
            read=rng.uniform(20, 120),
            parent=extra.pop("parent", parent_for(index)),
            **extra,
        )

    def spam(kind: str, text, *, hijack: float = 0.0, **extra) -> Post:
        body, lead = text
        actor = trusted_reader() if rng.random() < hijack else people.robot()
        if actor.trusted:
            actor.agent = rng.choice(ROBOTS)
            actor.ip = people.robot_address()  # someone else, using a regular's name
        return Post(kind, actor, article(), body, lead, rng.uniform(0, SPAN), **extra)

    # Floods: one commenter, a honest comment and then several more within seconds.
    bursts = max(2, round(TOTAL * 0.008))
    for burst in range(bursts):
        actor = trusted_reader() if burst % 2 == 0 else people.reader(trusted=False)
        start = rng.uniform(2, SPAN - 8)
        opening = honest(actor, start, parent=None)
        posts.append(opening)
        at = start
        for _ in range(6):
            at += rng.uniform(0.3, 0.9)
            body, lead = writer.follow_up()
            posts.append(
                Post(
                    "flood: one commenter, seconds apart",
                    actor,
                    opening.article,
                    body,
                    lead,
                    at,
                    read=rng.uniform(20, 60),
                )
            )
    # Floods: one network, 20 comments in a minute under changing names.
    for _ in range(max(1, round(TOTAL * 0.002))):
        network = people.robot_network()
        interval = min(3.0, (SPAN - 5) / 20)
        start = rng.uniform(0, max(0.0, SPAN - 20 * interval))
        for n in range(20):
            body, lead = writer.plain_spam()
            actor = people.robot(ip=f"{network}.{rng.randint(2, 254)}", name=people.name())
            posts.append(
                Post(
                    "flood: one network, 20 a minute",
                    actor,
                    article(),
                    body,
                    lead,
                    start + n * interval,
                    read=rng.uniform(5, 60),
                )
            )
    # Duplicates: the same commenter posts the same text again, after the flood interval.
    for n in range(share(0.03)):
        actor = trusted_reader() if n % 3 else people.reader(trusted=False)
        start = rng.uniform(0, SPAN - gap - 15)
        original = honest(actor, start, parent=None)
        posts.append(original)
        again = original.article if rng.random() < 0.5 else article()
        posts.append(
            Post(
                "duplicate: same commenter again",
                actor,
                again,
                original.body,
                original.lead,
                start + rng.uniform(gap, gap + 15),
                read=rng.uniform(20, 60),
                min_gap=gap,
            )
        )
    # Duplicates: one text on every article from one network, under changing names.
    for _ in range(max(1, round(TOTAL * 0.006))):
        network = people.robot_network()
        body, lead = writer.plain_spam()
        at = rng.uniform(0, SPAN - 4 * ARTICLES)
        for index in rng.sample(range(ARTICLES), ARTICLES):
            actor = people.robot(ip=f"{network}.{rng.randint(2, 254)}", name=people.name())
            posts.append(
                Post(
                    "duplicate: one network, every article",
                    actor,
                    index,
                    body,
                    lead,
                    at,
                    read=rng.uniform(5, 60),
                )
            )
            at += rng.uniform(1.5, 4)
    # Spam caught by the words and links rules; some under trusted commenters' names.
    for _ in range(share(0.07)):
        posts.append(spam("link spam (3-6 links)", writer.link_spam(), hijack=0.4))
    for _ in range(share(0.03)):
        posts.append(spam("watched-word spam", writer.watched(), hijack=0.4))
    for _ in range(share(0.04)):
        posts.append(spam("blocked word in the text", writer.blocked(), hijack=0.4))
    for _ in range(share(0.04)):
        text = writer.blocked(lambda word: lookalike(word, rng))
        posts.append(spam("blocked word in look-alike letters", text, hijack=0.4))
    for n in range(share(0.03)):
        post = spam("blocked word in name, email or website", writer.plain_spam(), hijack=0.0)
        word = rng.choice(BLOCKED_WORDS)
        slug = word.replace(" ", "-")
        where = n % 3
        if where == 0:
            post.actor.name = rng.choice([f"{word.title()} Bonus Team", f"Best {word} deals"])
            if rng.random() < 0.5:
                post.actor.name = lookalike(post.actor.name, rng)
        elif where == 1:
            post.actor.email = f"{slug.replace('-', '.')}.{rng.randint(1, 999)}@example.net"
        else:
            post.actor.website = f"https://best-{slug}-{rng.randint(1, 99)}.example.com/"
        posts.append(post)
    for _ in range(share(0.02)):
        text = writer.blocked(lambda word: disguised(word, rng))
        posts.append(spam("blocked word with an invisible character", text))
    # Robots refused by the form checks.
    for _ in range(share(0.05)):
        post = spam("robot: honeypot filled", writer.plain_spam(), hijack=0.25)
        post.read = rng.uniform(5, 60)
        post.honeypot = rng.choice(["https://seo-tools.example.com/", "yes", post.actor.name])
        posts.append(post)
    for _ in range(share(0.05)):
        post = spam("robot: posts as the page loads", writer.plain_spam(), hijack=0.25)
        post.read = None  # the page's own token, at once
        posts.append(post)
    # Honest comments: first-time commenters, then trusted ones (what is left), some twice.
    for _ in range(max(1, share(0.15) - bursts // 2 - share(0.03) // 3)):
        posts.append(honest(people.reader(trusted=False), rng.uniform(0, SPAN)))
    left = TOTAL - len(posts)
    if left < 50:
        raise SystemExit(f"BENCH_SPAM_POSTS={TOTAL} leaves too few honest posts; use 300 or more")
    while left > 0:
        actor = trusted_reader()
        first = rng.uniform(0, SPAN)
        posts.append(honest(actor, first))
        left -= 1
        if left and rng.random() < 0.3:
            second = first + rng.uniform(gap, gap + 20) if first < SPAN - gap - 5 else first
            if second > first:
                posts.append(honest(actor, second, min_gap=gap))
                left -= 1
    posts.sort(key=lambda post: post.at)
    return posts, trusted


# --- Seeding -------------------------------------------------------------------------------


def seed(rng: random.Random, people: People, writer: Writer):
    from io import StringIO

    def thread(comments: int, seed: int) -> Article:
        out = StringIO()
        call_command("seed_thread", comments=comments, seed=seed, stdout=out)
        path = out.getvalue().strip().splitlines()[-1]
        return Article.objects.get(slug=path.rstrip("/").rsplit("/", 1)[-1])

    articles = [thread(SEEDED_COMMENTS, seed=SEED * 10 + n) for n in range(ARTICLES)]
    archive = thread(3, seed=SEED * 10 + ARTICLES)  # where the trusted commenters wrote before
    replies = [
        list(
            Comment.objects.filter(article=a, status=Comment.Status.APPROVED, depth__lt=4)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for a in articles
    ]
    posts, trusted = plan(rng, people, writer, replies)
    now = timezone.now()
    earlier = []
    for actor in trusted:
        body = "An earlier comment. " + fill(rng.choice(MIDDLES), rng)
        earlier.append(
            Comment(
                article=archive,
                name=actor.name,
                email=actor.email,
                website=actor.website,
                body=body,
                body_html=render_comment(body),
                status=Comment.Status.APPROVED,
                status_reasons=["bench: approved before"],
                created=now - timedelta(days=rng.uniform(3, 90)),
            )
        )
    Comment.objects.bulk_create(earlier, batch_size=500)
    Comment.objects.filter(article=archive, parent=None).update(thread_id=F("pk"))
    Comment.objects.refresh_article(archive.pk)
    settings = SiteSettings.current()
    for name, value in RULES.items():
        setattr(settings, name, value)
    settings.blocked_words = "\n".join(BLOCKED_WORDS)
    settings.watched_words = "\n".join(WATCHED_WORDS)
    settings.save()  # before gunicorn starts: its workers cache the settings for 5 minutes
    return articles, posts, trusted


# --- Posting -------------------------------------------------------------------------------

REFUSALS = {  # the rule, by the words of the message the reader sees
    "a moment ago": "flood interval",
    "a minute can be posted": "rate limit",
    "meant to catch robots": "honeypot",
    "That was very quick": "form too fast",
    "has already been posted": "duplicate",
    "form has expired": "form expired",
    "banned from commenting": "ban",
}


def refusal_of(page: str) -> str:
    """The rule named by the message above the form, or the form errors themselves."""
    errors = form_errors(page)
    for error in errors:
        for words_, rule in REFUSALS.items():
            if words_ in error:
                return rule
    return "form error: " + (" | ".join(errors)[:200] or "no message")


def send(port: int, post: Post, paths: list[str], article_ids: list[int]) -> None:
    actor = post.actor
    path = paths[post.article]
    headers = {"X-Forwarded-For": actor.ip, "User-Agent": actor.agent}
    status, message, body = request(port, "GET", path, headers={**headers, **actor.jar.header()})
    actor.jar.update(message)
    page = body.decode()
    csrf = hidden_field(page, "csrfmiddlewaretoken")
    token = hidden_field(page, "token")
    found = re.search(r'<form\b[^>]*\baction="(/comments/post/\d+/)"', page)
    if status != 200 or not (csrf and token and found):
        post.status, post.outcome = f"GET {status}", f"GET {path} answered {status}, no form"
        return
    if post.read is not None:  # the reader opened the page `read` seconds ago
        token = new_token(article_ids[post.article], issued=time.time() - post.read)
    fields = {
        "body": post.body,
        "name": actor.name,
        "email": actor.email,
        "website": actor.website,
        "parent": post.parent or "",
        "token": token,
        "csrfmiddlewaretoken": csrf,
        "homepage": post.honeypot,
    }
    start = time.perf_counter()
    status, message, body = request(
        port,
        "POST",
        found.group(1),
        body=urlencode(fields).encode(),
        headers={
            **headers,
            **actor.jar.header(),
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"http://{HOST}:{port}",
            "Referer": f"http://{HOST}:{port}{path}",
        },
    )
    post.post_ms = (time.perf_counter() - start) * 1000
    actor.jar.update(message)
    post.status = status
    if status == 302 and (pk := re.search(r"#comment-(\d+)$", message.get("Location", ""))):
        post.pk = int(pk.group(1))
    elif status == 200:
        post.refusal = refusal_of(body.decode())
        post.outcome = "refused" if not post.refusal.startswith("form error") else post.refusal
    else:
        post.outcome = f"POST answered {status}"


def run(port: int, posts: list[Post], paths: list[str], article_ids: list[int]) -> float:
    """Send the posts at their moments (later if the server is behind); the wall time."""
    queue = [(post.at, n) for n, post in enumerate(posts)]
    heapq.heapify(queue)
    start = time.monotonic()
    last_accepted: dict[str, float] = {}  # email: seconds after the start
    done = 0
    while queue:
        at, n = heapq.heappop(queue)
        post = posts[n]
        previous = last_accepted.get(post.actor.email)
        if post.min_gap and previous is not None and at < previous + post.min_gap:
            heapq.heappush(queue, (previous + post.min_gap, n))
            continue
        wait = at - (time.monotonic() - start)
        if wait > 0:
            time.sleep(wait)
        try:
            send(port, post, paths, article_ids)
        except OSError as error:
            post.status, post.outcome = "error", f"connection: {error!r}"
        if post.status == 302:
            last_accepted[post.actor.email] = time.monotonic() - start
        done += 1
        if done % 100 == 0:
            print(f"  {done} posts, {time.monotonic() - start:.0f} s", flush=True)
    return time.monotonic() - start


def read_statuses(posts: list[Post]) -> None:
    accepted = {post.pk: post for post in posts if post.pk}
    rows = Comment.objects.filter(pk__in=list(accepted)).values_list(
        "pk", "status", "status_reasons"
    )
    found = {pk: (status, reasons) for pk, status, reasons in rows}
    for pk, post in accepted.items():
        if pk not in found:
            post.outcome = "redirected, but not stored"
            continue
        status, post.reasons = found[pk]
        post.outcome = {"approved": "published", "pending": "held"}.get(status, status)


def fetch_pages(port: int, paths: list[str]) -> list[str]:
    """Every page of threads of every article, as a new reader with no cookies sees it."""
    pages = []
    for path in paths:
        url = path
        for _ in range(100):
            status, _, body = request(port, "GET", url)
            if status != 200:
                raise SystemExit(f"GET {url} answered {status}")
            page = body.decode()
            pages.append(page)
            more = re.search(r'id="show-more" href="([^"#]+)', page)
            if not more:
                break
            url = html.unescape(more.group(1))
    return pages


# --- Checks and the table ------------------------------------------------------------------


def decided_by(post: Post) -> str:
    """A short name for the rule that gave the post its fate."""
    if post.outcome == "refused":
        return post.refusal
    labels = []
    for reason in post.reasons:
        if reason.startswith("blocked word"):
            labels.append("blocked word")
        elif reason.startswith("watched word"):
            labels.append("watched word")
        elif re.match(r"\d+ links?$", reason):
            labels.append("links")
        elif reason.startswith("first comment") or "approved comments needed" in reason:
            labels.append("unknown commenter")
        elif "approved comment" in reason or reason.startswith("trusted"):
            labels.append("trusted")
        else:
            labels.append(reason)
    return " + ".join(dict.fromkeys(labels)) or post.outcome


def checks(posts: list[Post], pages: list[str], log_text: str, run_start) -> list[tuple]:
    """(passed, text) for each check."""
    results = []
    trusted = [p for p in posts if p.kind == HONEST_TRUSTED]
    bad = [p for p in trusted if p.outcome != "published"]
    results.append(
        (
            not bad,
            f"honest comments from trusted commenters published, none held, spam or refused: "
            f"{len(trusted) - len(bad)} of {len(trusted)}"
            + "".join(f"\n    - {p.actor.name}: {p.outcome} ({decided_by(p)})" for p in bad[:10]),
        )
    )

    shown_ids = {int(pk) for page in pages for pk in re.findall(r'id="comment-(\d+)"', page)}
    text = " " + " ".join(words(html.unescape(re.sub(r"<[^>]+>", " ", page))) for page in pages)
    text += " "
    allowed = Counter(words(p.lead) for p in posts if p.kind in HONEST and p.outcome == "published")
    stopped = [p for p in posts if p.kind not in HONEST]
    leaks = []
    for post in stopped:
        lead = words(post.lead)
        if post.outcome == "published" or (post.pk and post.pk in shown_ids):
            leaks.append(f"{post.kind}: comment {post.pk} is {post.outcome} and shown")
        elif (seen := text.count(f" {lead} ")) > allowed[lead]:
            leaks.append(f"{post.kind}: its text shows {seen} times ({post.lead[:60]!r})")
    # The control: the same search finds every published honest comment, or it sees nothing.
    published = [p for p in posts if p.kind in HONEST and p.outcome == "published"]
    for post in published:
        if post.pk not in shown_ids or f" {words(post.lead)} " not in text:
            leaks.append(f"not found on the pages, though published: comment {post.pk}")
    results.append(
        (
            not leaks,
            f"no spam, robot, flood or duplicate comment visible: {len(stopped)} posts looked "
            f"for by comment id and by text on {len(pages)} pages of {ARTICLES} articles, "
            f"where the same search finds all {len(published)} published honest ones"
            + "".join(f"\n    - {leak}" for leak in leaks[:10]),
        )
    )

    first = [p for p in posts if p.kind == HONEST_NEW]
    not_held = [p for p in first if p.outcome != "held"]
    results.append(
        (
            not not_held,
            f"honest comments from first-time commenters held for a moderator: "
            f"{len(first) - len(not_held)} of {len(first)}"
            + "".join(f"\n    - {p.actor.name}: {p.outcome}" for p in not_held[:10]),
        )
    )

    redirects = [p.pk for p in posts if p.status == 302]
    stored = Comment.objects.filter(created__gte=run_start).count()
    stored_ok = stored == len(redirects) == len(set(redirects)) and None not in redirects
    results.append(
        (
            stored_ok,
            f"refused posts stored nothing, accepted ones one comment each: {stored} comments "
            f"stored for {len(redirects)} redirects ({len(set(redirects))} distinct)",
        )
    )

    odd = [p for p in posts if p.outcome not in {"published", "held", "spam", "refused"}]
    log = [f"{log_text.count(w)} × {w!r}" for w in LOG_PROBLEMS if w in log_text]
    results.append(
        (
            not odd and not log,
            "every post answered with a redirect or a refusal, server log clean: "
            f"{len(posts) - len(odd)} of {len(posts)}"
            + (f"; server log: {', '.join(log)}" if log else "")
            + "".join(f"\n    - {p.kind}: {p.outcome}" for p in odd[:10]),
        )
    )
    return results


def table(posts: list[Post]) -> list[str]:
    lines = [
        "| kind | posts | published | held | spam | refused | POST median ms | POST p95 ms "
        "| decided by |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    by_kind = defaultdict(list)
    for post in posts:
        by_kind[post.kind].append(post)
    for kind in [*KINDS, "all"]:
        group = posts if kind == "all" else by_kind.get(kind, [])
        if not group:
            continue
        outcomes = Counter(p.outcome for p in group)
        times = [p.post_ms for p in group if p.post_ms is not None]
        median, p95 = summary(times) if times else (float("nan"), float("nan"))
        rules = Counter(decided_by(p) for p in group)
        why = ", ".join(f"{rule} {n}" for rule, n in rules.most_common(4))
        if len(rules) > 4:
            why += ", …"
        other = len(group) - sum(outcomes[o] for o in ("published", "held", "spam", "refused"))
        name = f"**{kind}**" if kind == "all" else kind
        refused = f"{outcomes['refused']}" + (f" (+{other} other)" if other else "")
        lines.append(
            f"| {name} | {len(group)} | {outcomes['published']} | {outcomes['held']} | "
            f"{outcomes['spam']} | {refused} | {median:.1f} | {p95:.1f} | "
            f"{'' if kind == 'all' else why} |"
        )
    return lines


def database_label() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("select 'PostgreSQL ' || current_setting('server_version')")
        else:
            cursor.execute("select 'SQLite ' || sqlite_version()")
        name = cursor.fetchone()[0]
    where = connection.settings_dict["HOST"] or connection.settings_dict["NAME"]
    with contextlib.suppress(ValueError):
        where = str(Path(where).relative_to(ROOT))
    return f"{name} at {where}"


def main() -> int:
    started = time.strftime("%Y-%m-%d %H:%M")
    load = os.getloadavg()[0]
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    rng = random.Random(SEED)
    people, writer = People(rng), Writer(rng)
    articles, posts, trusted = seed(rng, people, writer)
    paths = [a.get_absolute_url() for a in articles]
    article_ids = [a.pk for a in articles]
    db = database_label()
    connection.close()
    kinds = Counter(p.kind for p in posts)
    print(
        f"{db}; {ARTICLES} articles with {SEEDED_COMMENTS} comments each, {len(trusted)} "
        f"trusted commenters; {len(posts)} posts of {len(kinds)} kinds over about {SPAN:.0f} s "
        f"(seed {SEED})"
    )
    log = VAR_DIR / "gunicorn-spam.log"
    run_start = timezone.now()
    with Gunicorn(ENV, log) as server:
        print(f"gunicorn: {server.workers} workers on {HOST}:{server.port}, log {log}")
        wall = run(server.port, posts, paths, article_ids)
        read_statuses(posts)
        pages = fetch_pages(server.port, paths)
        time.sleep(0.5)  # let the workers write their last log lines
        log_text = server.log_text()
        workers = server.workers
    results = checks(posts, pages, log_text, run_start)
    ok = all(passed for passed, _ in results)
    all_ms = [p.post_ms for p in posts if p.post_ms is not None]
    cpu = machine()
    lines = [
        SECTION,
        "",
        f"Measured {started} by bench/spam_run.py (seed {SEED}) on {os.cpu_count()} cores"
        f"{f' ({cpu})' if cpu else ''}, load average {load:.2f}: gunicorn as `make serve` "
        f"starts it ({workers} sync workers, DEBUG off, 127.0.0.1) with DJANGO_PROXY_HOPS=1, "
        f"on {db}. {ARTICLES} articles with {SEEDED_COMMENTS} seeded comments each; "
        f"{len(trusted)} trusted commenters (a guest name and email with one approved comment). "
        f"Rules as the defaults: {RULES['rate_limit']} comments a minute per network (/24, /48) "
        f"or account, {RULES['flood_seconds']} s between a commenter's comments, forms at least "
        f"{RULES['min_seconds_to_post']} s old, held at {RULES['link_limit']} links, trusted "
        f"after {RULES['trusted_after']} approved comment; blocked words: "
        f"{', '.join(BLOCKED_WORDS)}; watched words: {', '.join(WATCHED_WORDS)}.",
        "",
        f"{len(posts)} posts in {wall:.0f} s, one at a time in a seeded-random schedule, each "
        "after a GET of the article page from the poster's own address (X-Forwarded-For). "
        "Form tokens are minted in-process with `new_token(issued=…)` as if the page had been "
        "open 20-120 s (honest readers) or 5-60 s (patient robots); the robots that post as "
        "the page loads send the page's own token at once. The first comment of a flooding "
        "commenter and the original of a same-commenter duplicate are honest and counted "
        "in the honest rows. Times: the POST alone, client-side, connect to last byte; "
        f"all posts {statistics.median(all_ms):.1f} ms median.",
        "",
        *table(posts),
        "",
        *(f"- {'PASS' if passed else '**FAIL**'} {text}" for passed, text in results),
    ]
    section = "\n".join(lines)
    print()
    print(section.replace("**FAIL**", "FAIL"))
    save_section(SECTION, section)
    print(f"\nWritten to {RESULTS.relative_to(ROOT)} ({SECTION!r}).")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
