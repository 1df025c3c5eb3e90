"""The command-line contract: screen, match score, link, dedupe."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from ncb.cli import app

runner = CliRunner()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_screen_writes_ranked_candidates_and_reports_rows_without_name(tmp_path: Path) -> None:
    wl = write(
        tmp_path / "wl.csv",
        "id,full_name,date_of_birth,nationality,extra_col\n"
        "w1,Vladimir Putin,1952-10-07,Russia,x\n"
        "w2,Osama bin Laden,1957,SA,y\n"
        "w3,,1980,,z\n"
        "w4,Vladimir Putilin,1960,RU,\n",
    )
    q = write(
        tmp_path / "q.csv",
        "first_name,last_name,date_of_birth\nВладимир,Путин,1952\nJane,Doe,1990\n",
    )
    out = tmp_path / "r.csv"
    res = runner.invoke(
        app,
        ["screen", "--watchlist", str(wl), "--queries", str(q), "--out", str(out), "--top", "2"],
    )
    assert res.exit_code == 0, res.output
    assert "wl.csv:4" in res.output and "no usable name" in res.output
    got = rows(out)
    assert list(got[0]) == ["query_id", "rank", "candidate_id", "score", "match", "explanation"]
    assert got[0]["query_id"] == "0" and got[0]["rank"] == "1" and got[0]["candidate_id"] == "w1"
    assert got[0]["match"] == "true" and 0 <= float(got[0]["score"]) <= 1
    assert "name" in got[0]["explanation"]
    assert all(r["query_id"] != "1" for r in got)  # Jane Doe: no candidate above the floor
    assert len([r for r in got if r["query_id"] == "0"]) <= 2


def test_screen_bad_input_exits_2(tmp_path: Path) -> None:
    good = write(tmp_path / "good.csv", "full_name\nJohn Smith\n")
    noname = write(tmp_path / "noname.csv", "id,date_of_birth\n1,1970\n")
    out = tmp_path / "r.csv"
    res = runner.invoke(
        app,
        [
            "screen",
            "--watchlist",
            str(tmp_path / "missing.csv"),
            "--queries",
            str(good),
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 2 and "file not found" in res.output
    res = runner.invoke(
        app, ["screen", "--watchlist", str(noname), "--queries", str(good), "--out", str(out)]
    )
    assert res.exit_code == 2 and "no name column" in res.output
    res = runner.invoke(
        app,
        [
            "screen",
            "--watchlist",
            str(good),
            "--queries",
            str(good),
            "--out",
            str(out),
            "--top",
            "0",
        ],
    )
    assert res.exit_code == 2 and "--top" in res.output


def test_match_score_keeps_columns(tmp_path: Path) -> None:
    p = write(
        tmp_path / "p.csv",
        "name1,name2,schema,date_of_birth1,date_of_birth2,note\n"
        "Bob Smith,Robert Smith,Person,,,a\n"
        "Ahmed Hassan,Ahmed Hassan,Person,1950-01-01,1990-05-05,b\n"
        "Barack Obama,Michelle Obama,Person,,,c\n",
    )
    out = tmp_path / "s.csv"
    res = runner.invoke(app, ["match", "score", "--pairs", str(p), "--out", str(out)])
    assert res.exit_code == 0, res.output
    got = rows(out)
    assert list(got[0])[-2:] == ["score", "match"] and got[0]["note"] == "a"
    assert [r["match"] for r in got] == ["true", "false", "false"]
    bad = write(tmp_path / "bad.csv", "a,b\nx,y\n")
    res = runner.invoke(app, ["match", "score", "--pairs", str(bad), "--out", str(out)])
    assert res.exit_code == 2 and "name1" in res.output


FEBRL_HEADER = (
    "rec_id, given_name, surname, street_number, address_1, address_2, suburb, "
    "postcode, state, date_of_birth, soc_sec_id\n"
)


def test_link_and_dedupe_accept_febrl_columns(tmp_path: Path) -> None:
    left = write(
        tmp_path / "a.csv",
        FEBRL_HEADER + "rec-1-org, mitchell, green, 7, wallaby place, delmar, cleveland, 2119, sa, "
        "19560409, 1804974\n"
        "rec-2-org, madeline, mason, 54, hoseason street, , granville, 4881, nsw, "
        "19081128, 2185997\n",
    )
    right = write(
        tmp_path / "b.csv",
        FEBRL_HEADER + "rec-1-dup-0, mitchell, gren, 7, wallaby pl, delmar, cleveland, 2119, sa, "
        "19560409, 1804974\n"
        "rec-3-org, harley, mccarthy, 177, pridham street, milton, marsden, 3165, nsw, "
        "19080419, 6089216\n",
    )
    out = tmp_path / "pairs.csv"
    res = runner.invoke(
        app, ["link", "--left", str(left), "--right", str(right), "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    got = rows(out)
    assert list(got[0]) == ["left_id", "right_id", "score", "explanation"]
    assert [(r["left_id"], r["right_id"]) for r in got] == [("rec-1-org", "rec-1-dup-0")]
    both = write(
        tmp_path / "both.csv",
        FEBRL_HEADER
        + "".join(
            left.read_text().splitlines(keepends=True)[1:]
            + right.read_text().splitlines(keepends=True)[1:]
        ),
    )
    out2 = tmp_path / "clusters.csv"
    res = runner.invoke(app, ["dedupe", "--input", str(both), "--out", str(out2)])
    assert res.exit_code == 0, res.output
    cl = {r["id"]: r["cluster_id"] for r in rows(out2)}
    assert len(cl) == 4 and len(rows(out2)) == 4
    assert cl["rec-1-org"] == cl["rec-1-dup-0"] and cl["rec-2-org"] != cl["rec-3-org"]


def test_dedupe_keeps_every_row(tmp_path: Path) -> None:
    inp = write(
        tmp_path / "in.csv",
        "full_name,date_of_birth\nJohn Smith,1970-01-02\n"
        "Jon Smith,1970-01-02\n,1980\nMaria Garcia,1990\n",
    )
    out = tmp_path / "c.csv"
    res = runner.invoke(app, ["dedupe", "--input", str(inp), "--out", str(out)])
    assert res.exit_code == 0, res.output
    got = rows(out)
    assert sorted(r["id"] for r in got) == ["0", "1", "2", "3"]
    cl = {r["id"]: r["cluster_id"] for r in got}
    assert cl["0"] == cl["1"] != cl["3"]
