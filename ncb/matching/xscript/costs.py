"""Learned transliteration costs and the weighted edit distance that uses them.

For each script the costs of substituting, dropping and inserting letters between the Latin
reading of a word (readings.py) and its Latin spelling are fitted on a table of name tokens
(learn.py, `make learn-translit`) and shipped as ncb/matching/data/translit_costs.json. A cost
is the negative log of how often that edit happened in the table: Katakana readings drop
their extra vowels cheaply, Hebrew "v" stands for "o" or "u", Arabic "y" for "i" or "e".
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

VOWELS = frozenset("aeiouy")
DATA_FILE = "translit_costs.json"


@dataclass(frozen=True)
class Costs:
    """Edit costs of one script; letters missing from the table get the ``default_*`` costs."""

    sub: dict[str, float]  # "xy": reading letter x written as Latin letter y
    dele: dict[str, float]  # reading letter left out in Latin
    ins: dict[str, float]  # Latin letter with nothing in the reading
    default_sub: float
    default_del: float
    default_ins: float
    model: tuple[float, ...] = ()  # logistic weights of tokenmodel.FEATURES

    def s(self, x: str, y: str) -> float:
        return self.sub.get(x + y, 0.0 if x == y else self.default_sub)

    def d(self, x: str) -> float:
        return self.dele.get(x, self.default_del)

    def i(self, y: str) -> float:
        return self.ins.get(y, self.default_ins)

    def to_dict(self) -> dict[str, object]:
        return {
            "sub": {k: round(v, 4) for k, v in sorted(self.sub.items())},
            "del": {k: round(v, 4) for k, v in sorted(self.dele.items())},
            "ins": {k: round(v, 4) for k, v in sorted(self.ins.items())},
            "default_sub": self.default_sub,
            "default_del": self.default_del,
            "default_ins": self.default_ins,
            "model": [round(w, 5) for w in self.model],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Costs:
        return cls(
            d["sub"],
            d["del"],
            d["ins"],
            d["default_sub"],
            d["default_del"],
            d["default_ins"],
            tuple(d.get("model", ())),
        )


def initial_costs() -> Costs:
    """Costs before learning: vowels cheap to change, drop or add; consonants dear."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    sub = {}
    for x in letters:
        for y in letters:
            if x != y:
                sub[x + y] = (
                    0.6 if x in VOWELS and y in VOWELS else 1.0 if (x in VOWELS) == (y in VOWELS) else 1.4
                )
    dele = {x: 0.5 if x in VOWELS else 1.0 for x in letters}
    return Costs(sub, dele, dict(dele), 1.4, 1.0, 1.0)


@lru_cache(maxsize=1)
def learned() -> dict[str, Costs]:
    """The shipped costs per script (keys: cyrillic, arabic, hebrew, han, kana, hangul)."""
    raw = json.loads(resources.files("ncb.matching.data").joinpath(DATA_FILE).read_text("utf-8"))
    return {k: Costs.from_dict(v) for k, v in raw["scripts"].items()}


def distance(src: str, lat: str, c: Costs) -> float:
    """Least total cost of edits turning the reading ``src`` into the Latin spelling ``lat``."""
    prev = [0.0]
    for y in lat:
        prev.append(prev[-1] + c.i(y))
    for x in src:
        dx = c.d(x)
        cur = [prev[0] + dx]
        for j, y in enumerate(lat):
            cur.append(min(prev[j] + c.s(x, y), prev[j + 1] + dx, cur[j] + c.i(y)))
        prev = cur
    return prev[-1]


def distance_and_worst(
    src: str, lat: str, c: Costs, max_cost: float = math.inf
) -> tuple[float, float] | None:
    """distance() and the dearest single edit on that cheapest path, in one pass; None as
    soon as the distance is sure to exceed ``max_cost``: costs are not negative, every path
    crosses every row of the table, and the reading letters after a row still have to be
    dropped or written somehow (lower_bound), so a row's least cost plus theirs bounds it."""
    cut = max_cost < math.inf and _nonnegative(c)
    tail: list[float] = []
    rest = 0.0
    if cut:
        if sum(_ways(src, lat, c, "lat")) > max_cost:
            return None
        tail = _ways(lat, src, c, "src")
        rest = sum(tail)
        if rest > max_cost:
            return None
    rows, dele = _rows(c), c.dele
    ds, dd, di = c.default_sub, c.default_del, c.default_ins
    icost = [c.ins.get(y, di) for y in lat]
    prev = [0.0]
    prev_w = [0.0]
    for e in icost:
        prev.append(prev[-1] + e)
        prev_w.append(max(prev_w[-1], e))
    for i, x in enumerate(src):
        get = rows.get(x, {x: 0.0}).get
        dx = dele.get(x, dd)
        left, left_w = prev[0] + dx, max(prev_w[0], dx)
        cur, cur_w = [left], [left_w]
        low = left
        for j, y in enumerate(lat):
            e = get(y, ds)
            best, w = prev[j] + e, prev_w[j]
            if e > w:
                w = e
            v = prev[j + 1] + dx
            if v < best:
                best, w = v, prev_w[j + 1]
                if dx > w:
                    w = dx
            e = icost[j]
            v = left + e
            if v < best:
                best, w = v, left_w
                if e > w:
                    w = e
            cur.append(best)
            cur_w.append(w)
            left, left_w = best, w
            if best < low:
                low = best
        if cut:
            rest -= tail[i]
            if low + rest > max_cost:
                return None
        prev, prev_w = cur, cur_w
    if cut and prev[-1] > max_cost:
        return None
    return prev[-1], prev_w[-1]


def lower_bound(src: str, lat: str, c: Costs) -> float:
    """A cheap floor under distance() (costs not negative): each Latin letter is either added
    or written for some reading letter, each reading letter dropped or written as some Latin
    letter, at the least cost of those ways."""
    return max(sum(_ways(src, lat, c, "lat")), sum(_ways(lat, src, c, "src")))


def _ways(have: str, letters: str, c: Costs, side: str) -> list[float]:
    """The cheapest way to account for each of ``letters`` against the word ``have``; kept per
    word and letter, so that a word met against many others pays for its letters once."""
    caches: dict[str, dict[str, dict[str, float]]] = c.__dict__.setdefault("_ways", {})
    cache = caches.setdefault(side, {})
    ways = cache.get(have)
    if ways is None:
        if len(cache) >= MAX_CACHED_WORDS:
            cache.clear()
        ways = cache[have] = {}
    for y in set(letters) - ways.keys():  # letters this word has not met yet
        if side == "lat":  # y is a Latin letter, ``have`` the reading
            ways[y] = min([c.i(y), *(c.s(x, y) for x in set(have))])
        else:  # y is a reading letter, ``have`` the Latin spelling
            ways[y] = min([c.d(y), *(c.s(y, x) for x in set(have))])
    return list(map(ways.__getitem__, letters))


MAX_CACHED_WORDS = 100_000


def _rows(c: Costs) -> dict[str, dict[str, float]]:
    """Substitution costs by reading letter: {x: {y: cost}}, a letter kept as itself free unless
    the table says otherwise (what Costs.s answers, without building "xy" keys in the loop).
    Built once per Costs (its tables are never changed after construction)."""
    got: dict[str, dict[str, float]] | None = c.__dict__.get("_rows")
    if got is None:
        got = {}
        for xy, v in c.sub.items():
            got.setdefault(xy[0], {})[xy[1:]] = v
        for x, row in got.items():
            row.setdefault(x, 0.0)
        object.__setattr__(c, "_rows", got)
    return got


def _nonnegative(c: Costs) -> bool:
    got: bool | None = c.__dict__.get("_nonnegative")
    if got is None:
        values = [c.default_sub, c.default_del, c.default_ins, *c.sub.values()]
        got = min([*values, *c.dele.values(), *c.ins.values()]) >= 0.0
        object.__setattr__(c, "_nonnegative", got)
    return got


def alignment(src: str, lat: str, c: Costs) -> list[tuple[str, str]]:
    """The edits of the cheapest alignment: (x, y) substitution, (x, "") drop, ("", y) insert."""
    n, m = len(src), len(lat)
    inf = float("inf")
    dp = [[inf] * (m + 1) for _ in range(n + 1)]
    dp[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            v = dp[i][j]
            if i < n and j < m:
                dp[i + 1][j + 1] = min(dp[i + 1][j + 1], v + c.s(src[i], lat[j]))
            if i < n:
                dp[i + 1][j] = min(dp[i + 1][j], v + c.d(src[i]))
            if j < m:
                dp[i][j + 1] = min(dp[i][j + 1], v + c.i(lat[j]))
    ops: list[tuple[str, str]] = []
    i, j = n, m
    while i or j:
        if i and j and abs(dp[i][j] - dp[i - 1][j - 1] - c.s(src[i - 1], lat[j - 1])) < 1e-9:
            ops.append((src[i - 1], lat[j - 1]))
            i, j = i - 1, j - 1
        elif i and abs(dp[i][j] - dp[i - 1][j] - c.d(src[i - 1])) < 1e-9:
            ops.append((src[i - 1], ""))
            i -= 1
        else:
            ops.append(("", lat[j - 1]))
            j -= 1
    ops.reverse()
    return ops


def null_cost(src: str, lat: str, c: Costs) -> float:
    """The cost of sharing nothing: every reading letter dropped, every Latin letter added
    (each side's sum kept per word: screening meets the same words again and again)."""
    sums: dict[str, dict[str, float]] = c.__dict__.setdefault("_null", {"src": {}, "lat": {}})
    a, b = sums["src"].get(src), sums["lat"].get(lat)
    if a is None or b is None:
        if len(sums["src"]) + len(sums["lat"]) >= MAX_CACHED_WORDS:
            sums["src"].clear()
            sums["lat"].clear()
        a = sums["src"][src] = sum(c.d(x) for x in src)
        b = sums["lat"][lat] = sum(c.i(y) for y in lat)
    return a + b
