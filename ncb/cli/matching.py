"""Matching commands (screen, match score, link, dedupe)."""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ncb.cli.main import app

if TYPE_CHECKING:
    from ncb.matching.io import ReadResult
    from ncb.matching.record import PersonRecord

match_app = typer.Typer(help="Score pairs of names or records.", no_args_is_help=True)
app.add_typer(match_app, name="match")

_err = Console(stderr=True)


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)


def _read(path: Path, label: str) -> ReadResult:
    from ncb.matching.io import InputError, read_persons

    try:
        res = read_persons(path)
    except InputError as exc:
        _fail(f"--{label}: {exc}")
    except (UnicodeDecodeError, csv.Error) as exc:
        _fail(f"--{label}: {path}: not a UTF-8 CSV file ({exc})")
    for line, reason in res.skipped:
        print(f"{path}:{line}: skipped row: {reason}", file=sys.stderr)
    return res


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_err,
        transient=True,
    )


@app.command("screen")
def screen(
    watchlist: Annotated[Path, typer.Option(help="Person CSV of known records.")],
    queries: Annotated[Path, typer.Option(help="Person CSV of persons to screen.")],
    out: Annotated[Path, typer.Option(help="Result CSV to write.")],
    top: Annotated[int, typer.Option(help="At most this many candidates per query (1-1000).")] = 10,
) -> None:
    """Screen persons against a watchlist; writes the best candidates per query."""
    from ncb.matching import Screener

    if not 1 <= top <= 1000:
        _fail(f"--top must be between 1 and 1000, got {top}")
    wl = _read(watchlist, "watchlist")
    qs = _read(queries, "queries")
    screener = Screener()
    with _progress() as prog:
        task = prog.add_task("indexing watchlist", total=len(wl.records))
        for rec in wl.records:
            screener.add(rec)
            prog.advance(task)
        task = prog.add_task("screening", total=len(qs.records))
        with out.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["query_id", "rank", "candidate_id", "score", "match", "explanation"])
            for q in qs.records:
                qid = q.id
                q.id = ""  # a query is never its own candidate
                for rank, hit in enumerate(screener.screen(q, top=top), start=1):
                    w.writerow(
                        [
                            qid,
                            rank,
                            hit.candidate_id,
                            f"{hit.score:.4f}",
                            "true" if hit.match else "false",
                            hit.summary,
                        ]
                    )
                prog.advance(task)


@match_app.command("score")
def match_score(
    names: Annotated[
        list[str] | None, typer.Argument(help="Two names to score against each other.")
    ] = None,
    pairs: Annotated[
        Path | None, typer.Option(help="CSV with name1,name2 (and optional evidence).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="CSV to write: the input plus score and match.")
    ] = None,
) -> None:
    """Score two names given on the command line (prints score and explanation), or pairs of
    names in a CSV (or persons, with date_of_birth1/2, nationality1/2, gender1/2)."""
    from ncb.matching import NameOnly, PersonRecord, PersonScreening
    from ncb.matching.io import InputError, iter_rows

    if names:
        if len(names) != 2 or pairs or out:
            _fail("give exactly two names, or --pairs and --out (not both)")
        exp = NameOnly().compare_records(
            PersonRecord("1", full_name=names[0]), PersonRecord("2", full_name=names[1])
        )
        typer.echo(exp.summary)
        return
    if pairs is None or out is None:
        _fail("give two names, or --pairs CSV and --out CSV")

    try:
        rows = list(iter_rows(pairs))
    except InputError as exc:
        _fail(f"--pairs: {exc}")
    except (UnicodeDecodeError, csv.Error) as exc:
        _fail(f"--pairs: {pairs}: not a UTF-8 CSV file ({exc})")
    if not rows:
        _fail(f"--pairs: {pairs}: no rows")
    cols = list(rows[0].keys())
    if "name1" not in cols or "name2" not in cols:
        _fail(f"--pairs: {pairs}: columns name1 and name2 are required")
    name_only, person = NameOnly(), PersonScreening()
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=[*cols, "score", "match"])
        w.writeheader()
        for i, row in enumerate(rows):

            def rec(n: str, row: dict[str, str] = row, i: int = i) -> PersonRecord:
                return PersonRecord(
                    id=f"{i}-{n}",
                    full_name=row.get(f"name{n}") or "",
                    date_of_birth=row.get(f"date_of_birth{n}") or "",
                    nationality=row.get(f"nationality{n}") or "",
                    gender=row.get(f"gender{n}") or "",
                )

            a, b = rec("1"), rec("2")
            has_evidence = any(
                row.get(f"{f}{n}") for f in ("date_of_birth", "nationality", "gender") for n in "12"
            )
            schema = (row.get("schema") or "Person").strip()
            alg = person if has_evidence and schema in ("Person", "") else name_only
            exp = alg.compare_records(a, b)
            w.writerow({**row, "score": f"{exp.score:.4f}", "match": str(exp.match).lower()})


ENGINES = ("ncb", "splink")
EngineOption = Annotated[
    str,
    typer.Option(
        help="Scoring engine: ncb (default) or splink (optional, for very large jobs; "
        r"needs pip install 'ncb-gateway\[splink]')."
    ),
]


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        _fail(f"--engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if engine == "splink":
        from ncb.matching.splink_backend import SplinkUnavailable, _modules

        try:
            _modules()
        except SplinkUnavailable as exc:
            _fail(str(exc))


def _link_rows(left: list[PersonRecord], right: list[PersonRecord], out: Path, engine: str = "ncb") -> None:
    from ncb.matching import link

    if engine == "splink":
        from ncb.matching import splink_backend

        links = splink_backend.link(left, right)
    else:
        with _progress() as prog:
            task = prog.add_task("linking", total=len(left))
            links = link(left, right, progress=lambda n: prog.advance(task, n))
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["left_id", "right_id", "score", "explanation"])
        for lk in sorted(links, key=lambda x: (-x.score, x.left_id, x.right_id)):
            w.writerow([lk.left_id, lk.right_id, f"{lk.score:.4f}", lk.explanation.summary])


@app.command("link")
def link_cmd(
    left: Annotated[Path, typer.Option(help="Person CSV (left dataset).")],
    right: Annotated[Path, typer.Option(help="Person CSV (right dataset).")],
    out: Annotated[Path, typer.Option(help="Pairs CSV to write.")],
    engine: EngineOption = "ncb",
) -> None:
    """Link two datasets: writes matching pairs with score and explanation."""
    _check_engine(engine)
    a = _read(left, "left")
    b = _read(right, "right")
    _link_rows(a.records, b.records, out, engine)


@app.command("dedupe")
def dedupe_cmd(
    input: Annotated[Path, typer.Option("--input", help="Person CSV to de-duplicate.")],
    out: Annotated[Path, typer.Option(help="Cluster CSV to write (id,cluster_id).")],
    engine: EngineOption = "ncb",
    explain: Annotated[
        Path | None,
        typer.Option(help="Also write every accepted merge and why (features, scores) as CSV."),
    ] = None,
) -> None:
    """De-duplicate one dataset: every row gets a cluster id. Pairs found by blocking are merged
    best first, each only when the records agree with the whole cluster (no chaining)."""
    from ncb.matching.bulk import dedupe_clusters
    from ncb.matching.cluster import Merge, cluster
    from ncb.matching.record import prepare

    _check_engine(engine)
    res = _read(input, "input")
    if engine == "splink":
        from ncb.matching import splink_backend

        pairs = splink_backend.dedupe_pairs(res.records)
        why = {(p.left_id, p.right_id): p.explanation for p in pairs}
        # Splink's probabilities are clustered the same way: its own threshold, no chaining.
        result = cluster(
            [prepare(r) for r in res.records],
            [(p.left_id, p.right_id, p.score) for p in pairs],
            splink_backend.SPLINK_THRESHOLD,
            scorer=lambda a, b: None,
            explain=lambda a, b: why[(a, b)],
        )
    else:
        with _progress() as prog:
            task = prog.add_task("deduplicating", total=len(res.records))
            result = dedupe_clusters(
                res.records,
                progress=lambda n: prog.advance(task, n),
                explain=explain is not None,
            )
    cl = result.assignment
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "cluster_id"])
        for r in res.records:
            w.writerow([r.id, cl[r.id]])
        for rid in res.skipped_ids:  # rows without a name are their own cluster
            w.writerow([rid, rid])
    if explain is not None:
        with explain.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(
                [
                    "left_id",
                    "right_id",
                    "cluster_id",
                    "pair_score",
                    "cluster_agreement",
                    "member_pairs",
                    "explanation",
                ]
            )
            m: Merge
            for m in result.merges:
                w.writerow(
                    [
                        m.left_id,
                        m.right_id,
                        cl[m.left_id],
                        f"{m.score:.4f}",
                        f"{m.linkage:.4f}",
                        m.compared,
                        m.explanation.summary if m.explanation else "",
                    ]
                )
    n_clusters = len(set(cl.values())) + len(res.skipped_ids)
    sizes = Counter(cl.values())
    largest = max(sizes.values(), default=1 if res.skipped_ids else 0)
    _err.print(
        f"{len(res.records) + len(res.skipped_ids)} rows, {n_clusters} clusters "
        f"(largest {largest} rows), "
        f"{len(result.merges)} merges ({result.rejected} refused: disagreement with the cluster), "
        f"{len(res.skipped_ids)} rows without a usable name kept as their own cluster",
        soft_wrap=True,
    )
