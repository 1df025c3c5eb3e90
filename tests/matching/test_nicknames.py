"""Nicknames that are no short form of the formal name ("Bill" for William, "Peggy" for
Margaret) match it; the nickname table (data/nicknames.csv) refuses a malformed row at load."""

from __future__ import annotations

import pytest

from ncb.matching import NameOnly, PersonRecord
from ncb.matching.data import nickname_pairs, parse_nicknames, thresholds
from ncb.matching.given_forms import diminutive


def name_score(a: str, b: str) -> float:
    return NameOnly().compare_records(PersonRecord("a", full_name=a), PersonRecord("b", full_name=b)).score


@pytest.mark.parametrize(
    ("nick", "formal"),
    [
        ("Chick Harris", "Charles Harris"),
        ("Peggy Olson", "Margaret Olson"),
        ("Hank Moody", "Henry Moody"),
        ("Sally Field", "Sarah Field"),
        ("Polly Walker", "Mary Walker"),
        ("Dick Grayson", "Richard Grayson"),
        ("Jack Ryan", "John Ryan"),
    ],
)
def test_nicknames_that_are_not_prefixes_match(nick: str, formal: str) -> None:
    assert name_score(nick, formal) >= thresholds()["screening"]


def test_two_names_sharing_a_nickname_stay_different_names() -> None:
    # "Al" is a nickname of both; Albert is still not Alfred.
    assert name_score("Albert Kowalski", "Alfred Kowalski") < thresholds()["screening"]
    assert name_score("Al Kowalski", "Alfred Kowalski") >= thresholds()["screening"]


def test_shipped_table_loads_with_its_source() -> None:
    pairs = nickname_pairs()
    assert ("william", "bill") in pairs and len(pairs) > 2_000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("formal;nickname\nwilliam;bill\n", "header must be 'formal,nickname'"),
        ("# source\nformal,nickname\nwilliam,bill\ncasey,k.c.\n", "line 4: two lower-case names"),
        ("formal,nickname\nwilliam,bill\nwilliam,bill\n", "line 3: 'bill' repeats"),
        ("formal,nickname\nanna,anna\n", "line 2: 'anna' repeats or equals"),
    ],
)
def test_malformed_nickname_table_is_refused_naming_line_and_rule(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_nicknames(text, "nicknames.csv")


def test_diminutive_rules_unchanged_by_the_cache() -> None:
    assert diminutive("jeff", "jeffrey") and diminutive("jeffrey", "jeff")
    assert not diminutive("lind", "ann")
