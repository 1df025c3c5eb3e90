"""A harder screening set perturbed from the open lists, with a learn and a held-out split.

    python -m bench.matching.screening_hard            # print the table
    python -m bench.matching.screening_hard --quick    # a quarter of the negatives

How the set is made (seeded, from ../shared/bench/screening only):

- The list: the 683 UN persons plus the first 2,317 persons of negatives_global.csv (many
  countries and scripts), 3,000 in all. 8% of the Latin-script entries get a suffix on the list
  ("Jr", "Sr", "II", "III", "IV").
- Queries: every list entry once, perturbed. Each query gets one or two name variations, drawn
  from those that apply to it: a nickname for the formal given name (``nicknames`` package,
  carltonnorthern/nicknames, Apache-2.0; our matcher ships the same table, see below), the given name as an
  initial, one middle name dropped, a middle name added (when it has none), the suffix
  dropped, "Last, First" order. Nicknames, initials and added names only in Latin script.
  Every query also gets a date form: the list's full date as year only, full, or missing; a
  year-only list date as a full date in that year, the year, or missing.
- Negatives: the other persons of negatives_global.csv, perturbed the same way, except exact
  namesakes of a listed person (same given and family name: the file draws names from small
  pools; a flag on a namesake is right, not false). None of them is on the list, so every
  match flag on them is false.
- Split: list entries with an even row number and the first half of the negatives are the learn
  split; the rest is held out. The match threshold of each method is chosen on the learn split
  (the lowest threshold with at most 0.5 false matches per 1,000 learn negatives) and reported
  on the held-out split.

Our matcher ships the same nickname dataset (ncb/matching/data/nicknames.csv), so the plain
figures measure a table that holds every nickname queried. ``--unseen-nicknames`` measures
what it does for nicknames it has not seen: the pairs split in two halves by a hash, the
matcher's table loses one half and the queries' nicknames come only from that half.
"""

from __future__ import annotations

import argparse
import csv
import random
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.matching import data_dir, table
from ncb.matching import PersonRecord, Screener
from ncb.matching.algorithms import PersonScreening

LIST_FROM_NEGATIVES = 2_317
SUFFIXES = ("Jr", "Sr", "II", "III", "IV")
MAX_FP_PER_1000 = 0.5


@dataclass
class Query:
    record: PersonRecord
    want: str  # list id, "" for a negative
    learn: bool
    variations: str


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def unseen(formal: str, nick: str) -> bool:
    """The half of the nickname pairs held out of the matcher's table by --unseen-nicknames."""
    return zlib.crc32(f"{formal},{nick}".encode()) % 2 == 1


def _nicknames(only_unseen: bool = False) -> dict[str, list[str]]:
    from bench.matching.messy import _nicknames as table_

    if not only_unseen:
        return table_()
    out = {f: [n for n in ns if unseen(f, n)] for f, ns in table_().items()}
    return {f: ns for f, ns in out.items() if ns}


def hold_out_nicknames() -> None:
    """Drop the unseen half from the matcher's nickname table; call before any matching."""
    from ncb.matching import data, normalize

    kept = tuple(p for p in data.nickname_pairs() if not unseen(*p))
    data.nickname_pairs = lambda: kept  # type: ignore[assignment]
    data.given_name_groups.cache_clear()
    normalize.token_info.cache_clear()


def _parts(row: dict[str, str]) -> tuple[str, list[str], str]:
    """(given, middles, family) of a list row; UN rows carry only a full name."""
    if row["first_name"] or row["last_name"]:
        mids = row["middle_name"].split()
        return row["first_name"], mids, row["last_name"]
    toks = row["full_name"].split()
    if len(toks) == 1:
        return "", [], toks[0]
    return toks[0], toks[1:-1], toks[-1]


def _record(rid: str, row: dict[str, str], full: str, dob: str) -> PersonRecord:
    return PersonRecord(
        id=rid,
        full_name=full,
        gender=row["gender"],
        date_of_birth=dob,
        place_of_birth=row["place_of_birth"],
        nationality=row["nationality"],
    )


def _date(dob: str, rng: random.Random) -> tuple[str, str]:
    r = rng.random()
    if len(dob) == 10:
        if r < 1 / 3:
            return dob[:4], "year only"
        return (dob, "full date") if r < 2 / 3 else ("", "date missing")
    if len(dob) == 4:
        if r < 1 / 3:
            return f"{dob}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "full date"
        return (dob, "year only") if r < 2 / 3 else ("", "date missing")
    return "", "date missing"


def perturb(
    row: dict[str, str],
    suffix: str,
    rng: random.Random,
    nicks: dict[str, list[str]],
    given_pool: Sequence[str],
) -> tuple[str, str, str]:
    """(query full name, query date of birth, the variations applied)."""
    given, mids, family = _parts(row)
    caps = row["full_name"].isupper()
    latin = row["full_name"].isascii()  # initials, nicknames and added names: Latin script
    options = []
    if latin and given and given.lower() in nicks:
        options.append("nickname")
    if latin and given and len(given) > 1 and given.isalpha():
        options.append("initial")
    if mids:
        options.append("middle dropped")
    elif latin:
        options.append("middle added")
    if suffix:
        options.append("suffix dropped")
    if given and family:
        options.append("last, first")
    chosen = rng.sample(options, k=min(len(options), rng.choice((1, 2))))
    g = given
    if "nickname" in chosen:
        g = rng.choice(nicks[given.lower()]).title()
    if "initial" in chosen:
        g = g[0] + rng.choice(("", "."))
    m = list(mids)
    if "middle dropped" in chosen:
        m.pop(rng.randrange(len(m)))  # one middle name, as a form or a clerk drops it
    if "middle added" in chosen:
        m.append(rng.choice(given_pool))
    suf = "" if "suffix dropped" in chosen else suffix
    if "last, first" in chosen:
        name = f"{family}{' ' + suf if suf else ''}, {' '.join([g, *m])}"
    else:
        name = " ".join(x for x in (g, *m, family, suf) if x)
    if caps:
        name = name.upper()
    dob, dated = _date(row["date_of_birth"], rng)
    return name, dob, " + ".join([*chosen, dated])


def build(
    seed: int = 11, negatives: int | None = None, only_unseen: bool = False
) -> tuple[list[PersonRecord], list[Query]]:
    d = data_dir() / "screening"
    un = _rows(d / "un_watchlist.csv")
    glob = _rows(d / "negatives_global.csv")
    rng = random.Random(seed)
    nicks = _nicknames(only_unseen)
    on_list = un + glob[:LIST_FROM_NEGATIVES]
    # A namesake (same given and family name as a listed person) is not a false match: the
    # name is the same. negatives_global.csv draws from small name pools, so leave them out.
    listed = {(r["first_name"], r["last_name"]) for r in glob[:LIST_FROM_NEGATIVES]}
    rest = [r for r in glob[LIST_FROM_NEGATIVES:] if (r["first_name"], r["last_name"]) not in listed]
    if negatives is not None:
        rest = rest[:negatives]
    pool = sorted({r["first_name"] for r in glob if r["first_name"].isascii() and r["first_name"]})
    watch: list[PersonRecord] = []
    queries: list[Query] = []
    for i, row in enumerate(on_list):
        latin = row["full_name"].isascii()
        suffix = rng.choice(SUFFIXES) if latin and rng.random() < 0.08 else ""
        if suffix and row["full_name"].isupper():
            suffix = suffix.upper()
        full = row["full_name"] + (f" {suffix}" if suffix else "")
        rid = f"L{i}"
        watch.append(_record(rid, row, full, row["date_of_birth"]))
        name, dob, how = perturb(row, suffix, rng, nicks, pool)
        queries.append(Query(_record("", row, name, dob), rid, i % 2 == 0, how))
    for j, row in enumerate(rest):
        name, dob, how = perturb(row, "", rng, nicks, pool)
        queries.append(Query(_record("", row, name, dob), "", j < len(rest) // 2, how))
    return watch, queries


Ranker = Callable[[PersonRecord], list[tuple[str, float]]]  # top 10 (id, score), best first


def evaluate(rank: Ranker, queries: Sequence[Query]) -> list[tuple[Query, list[tuple[str, float]]]]:
    return [(q, rank(q.record)) for q in queries]


def calibrate(results: Sequence[tuple[Query, list[tuple[str, float]]]], grid: Sequence[float]) -> float:
    """The lowest threshold with at most MAX_FP_PER_1000 false matches per 1,000 learn negatives."""
    neg = [hits for q, hits in results if q.learn and not q.want]
    for t in grid:
        fp = sum(any(s >= t for _i, s in hits) for hits in neg)
        if fp * 1000 <= MAX_FP_PER_1000 * len(neg):
            return t
    return grid[-1]


def report(results: Sequence[tuple[Query, list[tuple[str, float]]]], t: float) -> list[float]:
    held = [(q, h) for q, h in results if not q.learn]
    pos = [(q, h) for q, h in held if q.want]
    neg = [h for q, h in held if not q.want]
    r1 = sum(bool(h) and h[0][0] == q.want and h[0][1] >= t for q, h in pos) / len(pos)
    r10 = sum(any(i == q.want and s >= t for i, s in h) for q, h in pos) / len(pos)
    rank10 = sum(any(i == q.want for i, _s in h) for q, h in pos) / len(pos)
    fp = sum(any(s >= t for _i, s in h) for h in neg) * 1000 / len(neg)
    return [r1, r10, rank10, fp]


def _baseline(watch: Sequence[PersonRecord]) -> Ranker:
    from rapidfuzz import fuzz, process, utils

    choices = [utils.default_process(r.full_name) for r in watch]

    def rank(q: PersonRecord) -> list[tuple[str, float]]:
        got = process.extract(
            utils.default_process(q.full_name), choices, scorer=fuzz.token_sort_ratio, limit=10
        )
        return [(watch[i].id, sc / 100) for _n, sc, i in got]

    return rank


def run(quick: bool = False, unseen_nicknames: bool = False) -> str:
    if unseen_nicknames:
        hold_out_nicknames()
    watch, queries = build(negatives=5_000 if quick else None, only_unseen=unseen_nicknames)
    t = time.perf_counter()
    s = Screener()
    s.build(watch)
    build_s = time.perf_counter() - t
    default = PersonScreening().threshold

    def ours(q: PersonRecord) -> list[tuple[str, float]]:
        return [(h.candidate_id, h.score) for h in s.screen(q, top=10)]

    grid = [x / 100 for x in range(50, 101)]
    rows = []
    for label, fn in (
        ("ncb.matching PersonScreening (index + scoring)", ours),
        ("rapidfuzz token_sort over all records, top 10", _baseline(watch)),
    ):
        t = time.perf_counter()
        res = evaluate(fn, queries)
        qps = len(queries) / (time.perf_counter() - t)
        cal = calibrate(res, grid)
        rows.append([label, f"{cal:.2f} (learn split)", *report(res, cal), qps])
        if fn is ours:
            rows.append([f"{label}, shipped threshold", f"{default:.2f}", *report(res, default), qps])
            nick = [(q, h) for q, h in res if "nickname" in q.variations or not q.want]
            for t_ in sorted({cal, default}):
                rows.append([f"{label}, nickname queries only", f"{t_:.2f}", *report(nick, t_), qps])
    held = [q for q in queries if not q.learn]
    npos = sum(bool(q.want) for q in held)
    title = ", nicknames unseen by the table" if unseen_nicknames else ""
    return (
        f"### Harder screening set{title} (bench.matching.screening_hard: {len(watch):,} listed, "
        f"held-out {npos:,} queries and {len(held) - npos:,} negatives; index build "
        f"{build_s:.2f} s)\n\n"
        + table(
            [
                "method",
                "threshold",
                "recall@1",
                "recall@10 (flagged)",
                "recall@10 (by rank)",
                "false matches per 1,000 negatives",
                "queries/s",
            ],
            rows,
        )
    )


def scan(unseen_nicknames: bool = False, thresholds: Sequence[float] = (0.80, 0.85, 0.89, 0.91)) -> str:
    """Ours only, full set, one pass: recall and false matches at each threshold."""
    if unseen_nicknames:
        hold_out_nicknames()
    watch, queries = build(only_unseen=unseen_nicknames)
    s = Screener()
    s.build(watch)
    res = evaluate(lambda q: [(h.candidate_id, h.score) for h in s.screen(q, top=10)], queries)
    rows = [[f"{t:.2f}", *report(res, t)] for t in thresholds]
    heads = ["threshold", "recall@1", "recall@10 (flagged)", "recall@10 (by rank)", "FP per 1,000"]
    return table(heads, rows)


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.matching.screening_hard")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--unseen-nicknames", action="store_true", help=hold_out_nicknames.__doc__)
    ap.add_argument("--scan", action="store_true", help=scan.__doc__)
    args = ap.parse_args()
    print(scan(args.unseen_nicknames) if args.scan else run(args.quick, args.unseen_nicknames))


if __name__ == "__main__":
    main()
