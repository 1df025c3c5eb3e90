"""Fit the per-script transliteration costs (costs.py) on a table of name tokens.

    python -m ncb.matching.xscript.learn ../shared/bench/names/translit_tokens_dev.tsv

The table (kind, latin, target) holds name tokens with their usual spelling in another script.
Hard EM: align every token with the current costs, count the edits, turn counts into costs
(negative log of the smoothed relative frequency), repeat. One token in five (by a hash of its
Latin spelling) is held out and never seen here, so that a benchmark built from held-out tokens
measures names the costs have never met.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import math
import random
import zlib
from collections import Counter
from pathlib import Path

import numpy as np

from ncb.matching.xscript.alphabets import ascii_letters
from ncb.matching.xscript.costs import DATA_FILE, Costs, alignment, distance, initial_costs
from ncb.matching.xscript.readings import read_name, spellings
from ncb.matching.xscript.tokenmodel import AGAINST, FEATURES, features

# The benchmark's kinds -> our script tags (scripts.py).
KINDS = {"arabic-script": "arabic", "cyrillic": "cyrillic", "hebrew": "hebrew",
         "chinese": "han", "japanese-katakana": "kana", "korean": "hangul"}  # fmt: skip
SMOOTHING = 0.5
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def is_held_out(latin: str) -> bool:
    """One Latin token in five is held out of learning (the same tokens for every script)."""
    return zlib.crc32(ascii_letters(latin).encode()) % 5 == 0


def load(path: Path, held_out: bool) -> dict[str, list[tuple[str, str]]]:
    """(Latin token, target token) per script, from the learning or the held-out part."""
    out: dict[str, list[tuple[str, str]]] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            script = KINDS.get(row["kind"])
            if script and is_held_out(row["latin"]) == held_out:
                out.setdefault(script, []).append((row["latin"], row["target"]))
    return out


def _readings(target: str, script: str) -> list[str]:
    out: list[str] = []
    for w in read_name(target, script):
        out = [a + b for a in (out or [""]) for b, _rare in spellings(w.units)][:24]
    return out


def fit(pairs: list[tuple[str, str]], script: str, iterations: int = 6) -> Costs:
    costs = initial_costs()
    data = [(ascii_letters(lat), _readings(tgt, script)) for lat, tgt in pairs]
    data = [(lat, rs) for lat, rs in data if lat and rs]
    for _ in range(iterations):
        sub: Counter[str] = Counter()
        dele: Counter[str] = Counter()
        ins: Counter[str] = Counter()
        src_count: Counter[str] = Counter()
        for lat, readings in data:
            src = min(readings, key=lambda r: distance(r, lat, costs))
            for x, y in alignment(src, lat, costs):
                if x and y:
                    sub[x + y] += 1
                    src_count[x] += 1
                elif x:
                    dele[x] += 1
                    src_count[x] += 1
                else:
                    ins[y] += 1
        costs = _to_costs(sub, dele, ins, src_count)
    return costs


def fit_model(pairs: list[tuple[str, str]], script: str, costs: Costs, seed: int = 5) -> Costs:
    """Fit tokenmodel's logistic weights: each token against its own spelling (match), three
    random other tokens and the two closest of forty more (no match), classes weighted
    equally. Weights of evidence against a match are kept at or below zero, so that a model
    fitted on names of ordinary length does not reward cost on short ones."""
    rng = random.Random(seed)
    data = [(ascii_letters(lat), _readings(tgt, script)) for lat, tgt in pairs]
    data = [(lat, rs) for lat, rs in data if lat and rs]
    lats = [lat for lat, _rs in data]
    xs: list[list[float]] = []
    ys: list[float] = []

    def best(rs: list[str], lat: str) -> str:
        return min(rs, key=lambda r: distance(r, lat, costs))

    for lat, rs in data:
        xs.append(features(best(rs, lat), lat, costs, fold_doubles=False))
        ys.append(1.0)
        others = [o for o in rng.sample(lats, 44) if o != lat]
        hard = sorted(others[3:], key=lambda o: distance(rs[0], o, costs))[:2]
        for o in [*others[:3], *hard]:
            xs.append(features(best(rs, o), o, costs, fold_doubles=False))
            ys.append(0.0)
    x, y = np.array(xs), np.array(ys)
    sw = np.where(y == 1.0, 0.5 / y.mean(), 0.5 / (1.0 - y.mean()))
    free = np.ones(x.shape[1], dtype=bool)
    while True:  # active set: a feature whose weight comes out of sign is fixed at zero
        w = _newton(x[:, free], y, sw)
        full = np.zeros(x.shape[1])
        full[free] = w
        wrong = [i for i in AGAINST if free[i] and full[i] > 0]
        if not wrong:
            break
        free[wrong] = False
    w = full
    return dataclasses.replace(costs, model=tuple(float(v) for v in w))


def _newton(x: np.ndarray, y: np.ndarray, sw: np.ndarray) -> np.ndarray:
    """Weighted logistic regression by Newton steps with a little L2."""
    w = np.zeros(x.shape[1])
    for _ in range(30):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (sw * (p - y)) + 1e-3 * w
        hess = (x * (sw * p * (1 - p))[:, None]).T @ x + 1e-3 * np.eye(x.shape[1])
        w = w - np.linalg.solve(hess, grad)
    return w


def _to_costs(sub: Counter[str], dele: Counter[str], ins: Counter[str], src: Counter[str]) -> Costs:
    """Counts -> costs: -log P(Latin letter or nothing | reading letter); an insertion costs
    -log P(an insertion at a position) - log P(that letter | insertion)."""
    v = len(LETTERS) + 1
    cs: dict[str, float] = {}
    cd: dict[str, float] = {}
    for x in LETTERS:
        total = src[x] + SMOOTHING * v
        for y in LETTERS:
            cs[x + y] = -math.log((sub[x + y] + SMOOTHING) / total)
        cd[x] = -math.log((dele[x] + SMOOTHING) / total)
    n_ins = sum(ins.values())
    positions = sum(src.values()) + n_ins
    rate = -math.log((n_ins + 1) / (positions + 2))
    ci = {y: rate - math.log((ins[y] + SMOOTHING) / (n_ins + SMOOTHING * len(LETTERS))) for y in LETTERS}
    worst = max(max(cs.values()), max(cd.values()), max(ci.values()))
    return Costs(cs, cd, ci, round(worst, 4), round(worst, 4), round(worst, 4))


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m ncb.matching.xscript.learn")
    ap.add_argument("tokens", type=Path, help="translit_tokens_dev.tsv (kind, latin, target)")
    ap.add_argument("--out", type=Path, default=Path(__file__).parents[1] / "data" / DATA_FILE)
    args = ap.parse_args()
    table = load(args.tokens, held_out=False)
    counts = {k: len(v) for k, v in sorted(table.items())}
    doc: dict[str, object] = {
        "source": "Name tokens from Wikidata person-name labels (CC0 1.0), table "
        f"{args.tokens.name}; tokens whose Latin spelling hashes to 0 mod 5 held out.",
        "licence": "CC0-1.0 (data source); the fitted costs are released with the project.",
        "made_by": "python -m ncb.matching.xscript.learn (make learn-translit)",
        "tokens": counts,
        "features": list(FEATURES),
        "scripts": {k: fit_model(v, k, fit(v, k)).to_dict() for k, v in sorted(table.items())},
    }
    args.out.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: " + ", ".join(f"{k} {n}" for k, n in counts.items()))


if __name__ == "__main__":
    main()
