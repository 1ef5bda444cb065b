"""Finding the moderators' blocked and watched words in what commenters write: whole words,
whatever the case, the accents or the alphabet the letters were borrowed from."""

import pytest

from forum.core.words import find_words, has_letter_or_digit, word_list


def found(entries: str, *texts: str) -> list[str]:
    """The entries of a moderator's list that occur in `texts`."""
    return find_words(word_list(entries), *texts)


@pytest.mark.parametrize(
    "text",
    [
        "casino",
        "CASINO",
        "Try the CaSiNo tonight.",
        "Casino!",
        "(casino)",
        "«casino»",
        "best-casino.example.com",
        "casino_king@example.com",
        "https://example.com/casino?ref=1",
        "line one\ncasino\nline three",
    ],
)
def test_a_listed_word_is_found_whatever_its_case_and_the_punctuation_around_it(text):
    assert found("casino", text) == ["casino"]


@pytest.mark.parametrize("text", ["CASÍNO", "càsìnò", "Cäsino", "ĉaŝino"])
def test_accents_do_not_hide_a_listed_word(text):
    assert found("casino", text) == ["casino"]


def test_an_entry_written_with_accents_and_capitals_finds_the_plain_word():
    assert found("CASÍNO", "a casino nearby") == ["casino"]


@pytest.mark.parametrize(
    "text", ["casinos", "scasino", "casino2", "mycasinoplace", "cas ino", "c-asino"]
)
def test_only_whole_words_match(text):
    assert found("casino", text) == []


def test_a_phrase_matches_whatever_the_spacing_and_punctuation_between_its_words():
    entries = "cheap pills"

    assert found(entries, "Get  CHEAP\tPills today") == ["cheap pills"]
    assert found(entries, "https://cheap-pills.example.com") == ["cheap pills"]
    assert found(entries, "cheap vitamins and pills") == []
    assert found(entries, "cheap") == []


def test_a_phrase_does_not_run_from_one_field_into_the_next():
    assert found("cheap pills", "A remark that ends with cheap", "Pills Person") == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("C\u0430sino", id="cyrillic a"),
        pytest.param("\u0441\u0430sin\u043e", id="cyrillic c, a and o"),
        pytest.param("CA\u0405INO", id="cyrillic capital dze"),
        pytest.param("casin\u03bf", id="greek omicron"),
        pytest.param("CASIN\u039f", id="greek capital omicron"),
        pytest.param("ＣＡＳＩＮＯ", id="fullwidth"),
        pytest.param("ｃａｓｉｎｏ", id="fullwidth small"),
        pytest.param("𝐂𝐀𝐒𝐈𝐍𝐎", id="mathematical bold capitals"),
        pytest.param("𝐜𝐚𝐬𝐢𝐧𝐨", id="mathematical bold"),
        pytest.param("ℂ𝔸𝕊𝕀ℕ𝕆", id="double-struck capitals"),
        pytest.param("Ⓒⓐⓢⓘⓝⓞ", id="circled"),
    ],
)
def test_lookalike_letters_count_as_the_letters_they_imitate(text):
    assert found("casino", text) == ["casino"]


def test_cyrillic_e_and_r_count_as_latin_ones():
    assert found("poker", "\u0440\u043ek\u0435r night") == ["poker"]


def test_greek_capitals_read_as_the_latin_capitals_they_look_like():
    # Greek capital eta and nu look like H and N, though their small letters look like n and v.
    assert found("hotel\nnike", "\u0397\u039f\u03a4\u0395L shoes by \u039d\u0399\u039a\u0395") == [
        "hotel",
        "nike",
    ]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("cas\u00adino", id="soft hyphen"),
        pytest.param("ca\u200bsino", id="zero-width space"),
        pytest.param("c\u200dasino", id="zero-width joiner"),
        pytest.param("casi\u2060no", id="word joiner"),
    ],
)
def test_invisible_characters_do_not_split_a_word(text):
    assert found("casino", text) == ["casino"]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("ca\u034fsino", id="combining grapheme joiner"),
        pytest.param("cas\ufe0fino", id="variation selector"),
        pytest.param("casi\U000e0100no", id="variation selector supplement"),
        pytest.param("ca\u180bsino", id="mongolian variation selector"),
        pytest.param("ca\u3164sino", id="hangul filler"),
        pytest.param("ca\uffa0sino", id="halfwidth hangul filler"),
    ],
)
def test_invisible_marks_and_fillers_do_not_split_a_word_either(text):
    # Not format characters, but they show as nothing all the same.
    assert found("casino", text) == ["casino"]


@pytest.mark.parametrize(
    "space",
    [
        pytest.param("\u00a0", id="no-break space"),
        pytest.param("\u202f", id="narrow no-break space"),
        pytest.param("\u2007", id="figure space"),
        pytest.param("\u3000", id="ideographic space"),
        pytest.param("\u00a0\u00ad ", id="no-break space, soft hyphen and space"),
    ],
)
def test_a_phrase_matches_across_a_no_break_space(space):
    assert found("payday loan", f"Quick payday{space}loan here") == ["payday loan"]


def test_the_list_takes_one_entry_a_line_or_commas_and_skips_blank_lines():
    entries = "Casino\n\n  , poker ,\r\ncheap   pills\n\n!!!\n"

    assert word_list(entries) == ["casino", "poker", "cheap pills"]


def test_an_entry_listed_twice_in_different_spellings_is_kept_once():
    assert word_list("casino\nCASINO\ncasíno, Cаsino") == ["casino"]


def test_every_entry_found_is_named_once_in_the_order_of_the_list():
    entries = "poker\ncasino\nroulette"

    assert found(entries, "Casino and casino", "poker@example.com") == ["poker", "casino"]


@pytest.mark.parametrize("entries", ["", "\n\n", " , ,\n", "---"])
def test_an_empty_list_finds_nothing(entries):
    assert found(entries, "casino poker anything at all", "") == []


@pytest.mark.parametrize(
    "name",
    [
        "Jo",
        "42",
        "Zoë",
        "李小龙",
        "Ольга",
        "(ツ)",
        "abc\u202edef",
        "\u200b Jo \u200b",
        "📷 Mina",
    ],
)
def test_a_name_with_a_letter_or_digit_has_one(name):
    assert has_letter_or_digit(name)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("", id="empty"),
        pytest.param("   ", id="spaces"),
        pytest.param("\u200b\u200c\u200d", id="zero-width space, non-joiner and joiner"),
        pytest.param("\u2060\ufeff", id="word joiner and byte order mark"),
        pytest.param("\u202e", id="right-to-left override"),
        pytest.param("\u00ad\u00ad", id="soft hyphens"),
        pytest.param("\u034f\ufe0f", id="grapheme joiner and variation selector"),
        pytest.param("\u3164\u3164", id="hangul fillers"),
        pytest.param("\u2800", id="braille blank"),
        pytest.param("\u00a0\u3000", id="no-break and ideographic spaces"),
        pytest.param("\u0301\u0308", id="accents alone"),
        pytest.param("\U000e0041\U000e0042", id="tag characters"),
        pytest.param("--- !!!", id="punctuation"),
        pytest.param("📷", id="emoji"),
    ],
)
def test_a_name_of_invisible_characters_or_marks_alone_has_no_letter_or_digit(name):
    assert not has_letter_or_digit(name)
