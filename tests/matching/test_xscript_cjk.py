"""Chinese and Korean names across scripts: a Korean name in Hangul against Hanja, and the
candidate index finding the Latin spelling of a name written in Hangul or Chinese characters."""

from __future__ import annotations

import pytest

from ncb.matching import NameOnly, PersonRecord
from ncb.matching.index import CandidateIndex
from ncb.matching.record import prepare
from ncb.matching.xscript.hanja import hangul_readings


def _score(a: str, b: str) -> float:
    return NameOnly().compare_records(PersonRecord("a", full_name=a), PersonRecord("b", full_name=b)).score


@pytest.mark.parametrize(
    ("hangul", "hanja"),
    [
        ("김정은", "金正恩"),
        ("김정은", "金 正恩"),
        ("이명박", "李明博"),
        ("박근혜", "朴槿惠"),
        ("정은 김", "金正恩"),
    ],
)
def test_a_korean_name_in_hangul_matches_it_in_hanja(hangul: str, hanja: str) -> None:
    exp = NameOnly().compare_records(PersonRecord("a", full_name=hangul), PersonRecord("b", full_name=hanja))
    assert exp.match, exp.summary
    assert "read in Korean as" in exp.summary


@pytest.mark.parametrize(
    ("hangul", "hanja"), [("김정일", "金正恩"), ("김 정은", "金正日"), ("김정은", "金正")]
)
def test_another_name_in_hanja_does_not_match(hangul: str, hanja: str) -> None:
    assert _score(hangul, hanja) < NameOnly().threshold


def test_initial_sound_law_gives_both_spellings() -> None:
    # 李 is 리 in North Korean spelling and 이 in South Korean; 林 림 / 임.
    assert {"리", "이"} <= hangul_readings("李")
    assert {"림", "임"} <= hangul_readings("林")


LATIN = ["Donald Trump", "Kim Jong Un", "Moon Jae In", "Xi Jinping", "Donald Tusk", "Kim Yo Jong",
         "Dmitry Medvedev", "Tran Duc Luong", "Dan Turner", "Jong Kim"]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "want"),
    [
        ("唐纳德·特朗普", "Donald Trump"),
        ("김정은", "Kim Jong Un"),
        ("도널드 트럼프", "Donald Trump"),
        ("문재인", "Moon Jae In"),
    ],  # fmt: skip
)
def test_index_finds_the_latin_spelling_of_a_cjk_name(query: str, want: str) -> None:
    ix = CandidateIndex()
    ix.build(prepare(PersonRecord(id=n, full_name=n)) for n in LATIN)
    got = [p.id for p in ix.candidates(prepare(PersonRecord(id="q", full_name=query)), 3)]
    assert want in got, got


@pytest.mark.parametrize(
    ("chinese", "latin"),
    [("唐纳德·特朗普", "Donald Trump"), ("特朗普 唐纳德", "TRUMP, Donald"), ("唐纳德·图斯克", "Donald Tusk")],
)
def test_a_western_name_in_chinese_transcription_matches(chinese: str, latin: str) -> None:
    exp = NameOnly().compare_records(PersonRecord("a", full_name=chinese), PersonRecord("b", full_name=latin))
    assert exp.match, exp.summary
    # 唐纳德 "tang-na-de": the n written as the final of 唐 and the initial of 纳 is Donald's one n.
    assert "唐纳德 read as tanade ~ donald" in exp.summary


@pytest.mark.parametrize(
    ("chinese", "latin"),
    [("唐纳德·特朗普", "Fred Trump"), ("唐纳德·特朗普", "Donald Tusk"), ("強尼 蒙特羅", "Ethan Montero")],
)
def test_a_relative_in_chinese_transcription_does_not_match(chinese: str, latin: str) -> None:
    assert _score(chinese, latin) < NameOnly().threshold
