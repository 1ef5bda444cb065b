"""Matching words from the moderators' lists in what commenters write.

Text and list entries are both reduced to a plain "skeleton" before they are compared: Unicode
compatibility forms folded (fullwidth and mathematical letters become plain ones), accents
dropped, case folded, and letters of other alphabets that look like Latin ones read as the
Latin letter they imitate, so "Cаsino" written with a Cyrillic "а" is still "casino". Invisible
characters (soft hyphens, zero-width spaces and joiners, variation selectors, Hangul fillers) are
dropped, so they cannot split a word; no-break spaces are spaces, so a phrase matches across
them. Matching is by whole words of letters and digits: "casino" finds "Casino!",
"best-casino.example" and "casino_king@example.com" but not "casinos".

The same skeleton says whether a name shows anything at all (`has_letter_or_digit`).
"""

import re
import unicodedata

# Cyrillic and Greek letters that pass for Latin ones (lower case; upper case is folded first).
LOOKALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a",
        "в": "b",
        "е": "e",
        "ё": "e",
        "һ": "h",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "ѕ": "s",
        "ԁ": "d",
        "ԛ": "q",
        "ԝ": "w",
        "ɡ": "g",
        # Greek
        "α": "a",
        "β": "b",
        "ε": "e",
        "η": "n",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        "ω": "w",
        "ϲ": "c",
        # Latin letters that are not plain ASCII and have no decomposition
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ß": "ss",
    }
)
# Capitals whose small letters look like another Latin letter: Greek "Η" passes for "H", but
# its small "η" for "n". Read these before case is folded.
CAPITAL_LOOKALIKES = str.maketrans(
    {
        "Η": "H",
        "Ν": "N",
        "Μ": "M",
        "Ζ": "Z",
        "Υ": "Y",
    }
)
# Besides accents (combining marks): enclosing marks and invisible format characters (soft
# hyphens, zero-width spaces and joiners, direction controls), which would otherwise split a
# word in two.
DROPPED = {"Me", "Cf"}
# Characters that show as nothing but are neither format characters nor accents, so the
# categories above miss them: the rest of Unicode's "default ignorable" characters. The
# combining grapheme joiner, Khmer inherent vowels and Mongolian free variation selectors;
# variation selectors; the Hangul fillers, which are letters that have no shape.
INVISIBLE = frozenset(
    "\u034f\u17b4\u17b5\u180b\u180c\u180d\u180f"
    "\u115f\u1160\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)
# Runs of letters and digits: "_" separates words as "-" and "." do.
WORD = re.compile(r"[^\W_]+")


def skeleton(text: str) -> str:
    """`text` as lower-case words of plain letters, separated by single spaces."""
    # Compatibility forms first: mathematical and fullwidth capitals become plain capitals,
    # which the case folding after them then lowers.
    text = unicodedata.normalize("NFKD", text).translate(CAPITAL_LOOKALIKES)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(
        char
        for char in text
        if not unicodedata.combining(char)
        and unicodedata.category(char) not in DROPPED
        and char not in INVISIBLE
    )
    # No-break spaces have become plain spaces above (their compatibility form).
    return " ".join(WORD.findall(text.translate(LOOKALIKES)))


def has_letter_or_digit(text: str) -> bool:
    """Whether `text` shows readers at least one letter or digit, so that a name made only
    of invisible characters, spaces, accents or punctuation can be refused."""
    return bool(skeleton(text))


def word_list(text: str) -> list[str]:
    """A moderator's list (one word or phrase per line, commas also accepted), as skeletons."""
    terms = (skeleton(line) for line in re.split(r"[\n,]", text))
    return list(dict.fromkeys(term for term in terms if term))


def find_words(terms: list[str], *texts: str) -> list[str]:
    """The terms (skeletons from `word_list`) that occur as whole words in any of `texts`."""
    if not terms:
        return []
    # " | " keeps a phrase from running from the end of one text into the next.
    haystack = f" {' | '.join(skeleton(text) for text in texts)} "
    return [term for term in terms if f" {term} " in haystack]
