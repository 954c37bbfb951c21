"""Phrase lists grouped by first character match exactly what the plain join matches."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ledgerdesk.coach.alternation import alternation

# Pieces of phrases as rule files write them: words, optional parts, alternatives,
# apostrophes straight and curly, a class, a word character whose letter is unknown.
PIECES = [
    "is", "isn['’]t", "was", "Kelvin", "kilo", "sent", "ſome", "’s", "'re", "(?:will|shall)",
    "(?:our |the )?", "team", r"\w+", "not", "(?-i:AP)", "(?i:gl)", "[Ss]ap", "(?<!x)by",
    r"\d{2}", "x?", " ", "-",
]  # fmt: skip
phrase = st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join)
TEXT = st.lists(
    st.sampled_from(["is", "Is", "KELVIN", "\u212aelvin", "some", "’s", "'re", "will", "our",
                     "team", "AP", "ap", "GL", "Sap", "by", "42", "not", "sent", " ", ", ", "-"]),
    max_size=30,
).map("".join)  # fmt: skip


def spans(pattern: str, flags: int, text: str) -> list[tuple[tuple[int, int], str]]:
    return [(m.span(), m.group()) for m in re.finditer(pattern, text, flags)]


@settings(max_examples=300, deadline=None)
@given(st.lists(phrase, min_size=1, max_size=12), TEXT, st.booleans())
def test_grouped_phrases_match_what_the_plain_join_matches(phrases, text, ignorecase):
    flags = re.IGNORECASE if ignorecase else 0
    plain = rf"(?<!\w)(?:{'|'.join(phrases)})(?!\w)"
    grouped = rf"(?<!\w)(?:{alternation(phrases, ignorecase)})(?!\w)"
    assert spans(grouped, flags, text) == spans(plain, flags, text)


def test_a_long_list_is_grouped_and_the_first_phrase_that_fits_still_wins():
    phrases = ["is not", "is", "was", "were", "sent by", "sent"]
    grouped = alternation(phrases, True)
    assert grouped != "|".join(phrases)
    assert re.match(grouped, "is not here", re.IGNORECASE).group() == "is not"
    assert re.match(grouped, "Sent by us", re.IGNORECASE).group() == "Sent by"


def test_a_phrase_with_a_capturing_group_keeps_the_plain_join():
    phrases = ["(is) not", "was", "were", "sent"]
    assert alternation(phrases, True) == "|".join(phrases)


def test_first_letters_that_fold_together_keep_the_plain_join():
    # "s" and the long s are one letter to a case-insensitive match, yet two keys.
    phrases = ["some", "\u017fome", "was", "were"]
    assert alternation(phrases, True) == "|".join(phrases)
