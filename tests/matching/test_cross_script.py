"""Cross-script names: a Latin name against Cyrillic, Arabic, Hebrew, Chinese, katakana and
Hangul spellings, with the costs learned from the open token table (ncb/matching/xscript)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ncb.cli import app
from ncb.matching import NameOnly, PersonRecord, PersonScreening, Screener
from ncb.matching.xscript.costs import Costs, distance
from ncb.matching.xscript.kana import read_kana
from ncb.matching.xscript.learn import fit
from ncb.matching.xscript.readings import read_name
from ncb.matching.xscript.scripts import cross_script, script_of


def _exp(a: str, b: str):  # type: ignore[no-untyped-def]
    return NameOnly().compare_records(PersonRecord("a", full_name=a), PersonRecord("b", full_name=b))


@pytest.mark.parametrize(
    ("other", "latin"),
    [
        ("Мухаммад Аль-Рашид", "Mohammed AL RASHEED"),
        ("김정은", "Kim Jong Un"),
        ("בנימין נתניהו", "Benjamin Netanyahu"),
        ("ウラジーミル・プーチン", "Vladimir Putin"),
        ("도널드 트럼프", "Donald Trump"),
        ("ドナルド・トランプ", "Donald Trump"),
        ("习近平", "Xi Jinping"),
        ("Trump Donald", "ドナルド・トランプ"),  # family name first, sides swapped
    ],
)
def test_names_in_another_script_match(other: str, latin: str) -> None:
    exp = _exp(other, latin)
    assert exp.match, exp.summary


@pytest.mark.parametrize(
    ("other", "latin"),
    [
        ("김정은", "Kim Jong Il"),  # one syllable of the given name differs: another person
        ("ドナルド・トランプ", "Fred Trump"),  # a relative: same family name
        ("Владимир Путин", "Vladimir Pupkin"),
        ("בנימין נתניהו", "Benjamin Franklin"),
    ],
)
def test_a_different_element_is_no_match(other: str, latin: str) -> None:
    exp = _exp(other, latin)
    assert not exp.match, exp.summary


def test_explanation_says_how_the_other_script_was_read() -> None:
    summary = _exp("ドナルド・トランプ", "Donald Trump").summary
    assert "katakana ドナルド read as donarudo ~ donald" in summary
    summary = _exp("김정은", "Kim Jong Il").summary
    assert "Hangul 김 read as gim ~ kim" in summary and "il" in summary.split("[")[1]


def test_latin_pairs_never_take_the_cross_script_path() -> None:
    assert cross_script("Vladimir Putin", "Wladimir Putin") is None
    assert "read as" not in _exp("Vladimir Putin", "Wladimir Putin").summary
    # Two non-Latin scripts: not a pair the comparison knows.
    assert cross_script("Владимир Путин", "ウラジーミル・プーチン") is None


def test_scripts_and_readings() -> None:
    assert script_of("唐纳德·特朗普") == "han"
    assert script_of("ウラジーミル・プーチン") == "kana"
    assert script_of("Ali البصري") == "arabic"  # most letters decide
    assert read_kana("クルーガー") == "kuruugaa"  # long vowel mark
    assert read_kana("ヴィクトル") == "vikutoru"  # small kana change the syllable
    assert read_kana("ゴットヒルフ") == "gottohirufu"  # small tsu doubles
    words = read_name("唐纳德·特朗普", "han")
    assert [w.text for w in words] == ["唐纳德", "特朗普"]
    assert read_name("ג'פרי", "hebrew")[0].units[0][0].startswith("j")


def test_costs_are_learned_from_a_token_table() -> None:
    # Katakana readings add vowels after every consonant: after fitting on a few tokens,
    # dropping the "u" of "ru" costs less than dropping a consonant.
    pairs = [
        ("donald", "ドナルド"), ("gerald", "ジェラルド"), ("ronald", "ロナルド"), ("carl", "カール"),
        ("paul", "ポール"), ("bruno", "ブルーノ"), ("frank", "フランク"),
    ]  # fmt: skip
    costs = fit(pairs, "kana", iterations=3)
    assert costs.d("u") < costs.d("r")
    assert distance("donarudo", "donald", costs) < distance("donarudo", "ronald", costs)


def test_shipped_costs_name_their_source_and_licence() -> None:
    raw = json.loads(resources.files("ncb.matching.data").joinpath("translit_costs.json").read_text("utf-8"))
    assert "Wikidata" in raw["source"] and "CC0" in raw["licence"]
    assert set(raw["scripts"]) == {"arabic", "cyrillic", "hebrew", "han", "kana", "hangul"}
    for script in raw["scripts"].values():
        assert len(Costs.from_dict(script).model) == len(raw["features"])


def test_screening_with_evidence_keeps_the_cross_script_name() -> None:
    a = PersonRecord("q", full_name="Владимир Путин", date_of_birth="1952-10-07")
    b = PersonRecord("w", full_name="Vladimir Putin", date_of_birth="1952-10-07")
    c = PersonRecord("x", full_name="Vladimir Putin", date_of_birth="1980-01-01")
    assert PersonScreening().compare_records(a, b).match
    assert not PersonScreening().compare_records(a, c).match


def test_screener_finds_a_latin_entry_for_a_cyrillic_query() -> None:
    s = Screener()
    s.build([PersonRecord("1", full_name="Vladimir Putin"), PersonRecord("2", full_name="Donald Trump")])
    hits = [h for h in s.screen(PersonRecord("", full_name="Владимир Путин"), top=5) if h.match]
    assert [h.candidate_id for h in hits] == ["1"]


def test_cli_scores_two_names(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["match", "score", "ドナルド・トランプ", "Donald Trump"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("match ") and "read as donarudo ~ donald" in res.output
    res = CliRunner().invoke(app, ["match", "score", "only one"])
    assert res.exit_code == 2
