"""Cross-script names: P/R/F1 per script on the open dev set and on held-out pairs, beside the
consonant-class baseline, rapidfuzz and nomenklatura logic-v2, all in the same run.

Held-out pairs are built the way the dev set was (../shared/bench/README.md) from the tokens
that ncb.matching.xscript.learn held out of learning; nothing was tuned on them.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable

from anyascii import anyascii
from rapidfuzz import fuzz, utils

from bench.matching import data_dir, prf, table
from bench.matching.xscript_baseline import consonant_score
from ncb.matching import NameOnly, PersonRecord
from ncb.matching.xscript.learn import load

KINDS = ("arabic-script", "cyrillic", "hebrew", "chinese", "japanese-katakana", "korean")
SHORT = {"arabic-script": "arabic", "japanese-katakana": "katakana"}
PER_KIND = 860
Pair = tuple[str, str, bool, str]  # name1, name2, is_match, kind


def dev_pairs() -> list[Pair]:
    path = data_dir() / "names" / "cross_script_dev.csv"
    with path.open(encoding="utf-8") as fh:
        return [(r["name1"], r["name2"], r["is_match"] == "true", r["kind"]) for r in csv.DictReader(fh)]


def held_out_pairs(seed: int = 2026) -> list[Pair]:
    """860 pairs per kind from held-out tokens: 40% positive, 20% family-first on the other
    side, middle dots 60% for Chinese and Japanese, 10% Latin in capitals; negatives share the
    family name (relatives) or nothing; sides shuffled."""
    rng = random.Random(seed)
    tokens = load(data_dir() / "names" / "translit_tokens_dev.tsv", held_out=True)
    script_of_kind = {"arabic-script": "arabic", "cyrillic": "cyrillic", "hebrew": "hebrew",
                      "chinese": "han", "japanese-katakana": "kana", "korean": "hangul"}  # fmt: skip
    out: list[Pair] = []
    for kind in KINDS:
        toks = tokens[script_of_kind[kind]]
        for k in range(PER_KIND):
            (gl, gt), (fl, ft) = rng.sample(toks, 2)
            match = k < PER_KIND * 0.4
            if not match:
                g2 = rng.choice([t for t in toks if t[0] not in (gl, fl)])
                if rng.random() < 0.5:
                    gt = g2[1]  # a relative: same family name, another given name
                else:
                    f2 = rng.choice([t for t in toks if t[0] not in (gl, fl, g2[0])])
                    gt, ft = g2[1], f2[1]
            sep = "·" if kind == "chinese" else "・" if kind == "japanese-katakana" else " "
            if sep != " " and rng.random() >= 0.6:
                sep = " "
            other = sep.join([ft, gt] if rng.random() < 0.2 else [gt, ft])
            latin = f"{gl.title()} {fl.title()}"
            if rng.random() < 0.1:
                latin = latin.upper()
            out.append((latin, other, match, kind) if rng.random() < 0.5 else (other, latin, match, kind))
    return out


def _ours() -> Callable[[str, str], float]:
    alg = NameOnly()
    return lambda a, b: (
        alg.compare_records(PersonRecord("a", full_name=a), PersonRecord("b", full_name=b)).score
    )


def _rapidfuzz(a: str, b: str) -> float:
    return fuzz.token_sort_ratio(anyascii(a), anyascii(b), processor=utils.default_process) / 100.0


def _logic_v2() -> Callable[[str, str], float] | None:
    try:
        from followthemoney import model
        from nomenklatura.matching.logic_v2.model import LogicV2
    except ImportError:
        return None
    cfg = LogicV2.default_config()
    counter = iter(range(10**9))

    def entity(name: str):  # type: ignore[no-untyped-def]
        e = model.make_entity("Person")
        e.id = f"e{next(counter)}"  # logic-v2 caches by id: every entity its own
        e.add("name", name)
        return e

    return lambda a, b: LogicV2.compare(entity(a), entity(b), cfg).score


def _prf(
    scores: list[float], pairs: list[Pair], t: float, kind: str | None = None
) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for s, (_a, _b, y, k) in zip(scores, pairs, strict=True):
        if kind and k != kind:
            continue
        tp += s >= t and y
        fp += s >= t and not y
        fn += s < t and y
    return prf(tp, fp, fn)


def _best_threshold(scores: list[float], pairs: list[Pair]) -> float:
    return max((t / 100 for t in range(30, 100)), key=lambda t: _prf(scores, pairs, t)[2])


def run(quick: bool = False) -> str:
    sets = {
        "dev (names/cross_script_dev.csv)": dev_pairs(),
        "held-out (built from unseen tokens)": held_out_pairs(),
    }
    if quick:
        sets = {k: random.Random(3).sample(v, 1200) for k, v in sets.items()}
    methods: list[tuple[str, Callable[[str, str], float], float | None]] = [
        ("ncb.matching NameOnly (learned costs)", _ours(), NameOnly().threshold),
        ("consonant-class baseline (issue 8)", consonant_score, None),
        ("rapidfuzz token_sort_ratio on anyascii", _rapidfuzz, None),
    ]
    lv2 = _logic_v2()
    if lv2 is not None:
        methods.append(("nomenklatura logic-v2 (pip extra bench)", lv2, 0.70))
    scores: dict[tuple[str, str], tuple[list[float], float]] = {}
    out = []
    dev_name = next(iter(sets))
    for label, fn, fixed in methods:
        for sname, pairs in sets.items():
            sc = [fn(a, b) for a, b, _y, _k in pairs]
            # Baselines get their best threshold on dev, then keep it on held-out.
            t = fixed if fixed is not None else scores.get((label, dev_name), ([], 0.0))[1]
            if fixed is None and sname == dev_name:
                t = _best_threshold(sc, pairs)
            scores[(label, sname)] = (sc, t)
    headers = ["method", "threshold", "precision", "recall", "F1", *(SHORT.get(k, k) for k in KINDS)]
    for sname, pairs in sets.items():
        rows: list[list[object]] = []
        for label, _fn, _fixed in methods:
            sc, t = scores[(label, sname)]
            rows.append([label, f"{t:.2f}", *_prf(sc, pairs, t), *(_prf(sc, pairs, t, k)[2] for k in KINDS)])
        ours_sc, ours_t = scores[(methods[0][0], sname)]
        rows.append(["ncb.matching precision per script", "", "", "", "",
                     *(_prf(ours_sc, pairs, ours_t, k)[0] for k in KINDS)])  # fmt: skip
        out.append(f"#### {sname}: {len(pairs):,} pairs\n\n" + table(headers, rows))
    return "### Cross-script names (F1 per script; baselines at their best dev threshold)\n\n" + "\n\n".join(
        out
    )


if __name__ == "__main__":
    import sys

    print(run("--quick" in sys.argv[1:]))
