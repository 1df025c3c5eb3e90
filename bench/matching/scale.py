"""Scale: a synthetic watchlist of many scripts; build time, memory, latency, throughput.

Run in its own process (``python -m bench.matching.scale --n 1000000``) so that peak memory is
the matcher's. Faker makes name pools per locale once; records combine them at random.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import statistics
import time

from ncb.matching import PersonRecord, Screener

LOCALES = [
    "en_US",
    "en_GB",
    "de_DE",
    "fr_FR",
    "es_ES",
    "it_IT",
    "pt_BR",
    "pl_PL",
    "tr_TR",
    "ru_RU",
    "uk_UA",
    "ar_AA",
    "fa_IR",
    "he_IL",
    "el_GR",
    "zh_CN",
    "ja_JP",
    "ko_KR",
    "hi_IN",
    "vi_VN",
    "id_ID",
    "nl_NL",
    "sv_SE",
    "cs_CZ",
]
COUNTRIES = [
    "US",
    "GB",
    "DE",
    "FR",
    "ES",
    "IT",
    "BR",
    "PL",
    "TR",
    "RU",
    "UA",
    "SA",
    "IR",
    "IL",
    "GR",
    "CN",
    "JP",
    "KR",
    "IN",
    "VN",
    "ID",
    "NL",
    "SE",
    "CZ",
]


def pools(per_locale: int = 400, seed: int = 1) -> list[tuple[list[str], list[str], bool]]:
    from faker import Faker

    out = []
    for loc in LOCALES:
        f = Faker(loc)
        f.seed_instance(seed)
        first = sorted({f.first_name() for _ in range(per_locale)})  # sorted: reproducible
        last = sorted({f.last_name() for _ in range(per_locale)})
        out.append((first, last, loc in ("zh_CN", "ja_JP", "ko_KR")))
    return out


def records(n: int, seed: int = 2) -> list[PersonRecord]:
    rnd = random.Random(seed)
    pl = pools()
    out = []
    for i in range(n):
        li = rnd.randrange(len(pl))
        first, last, cjk = pl[li]
        if cjk:
            name = rnd.choice(last) + rnd.choice(first)
        elif rnd.random() < 0.3:
            name = f"{rnd.choice(first)} {rnd.choice(first)} {rnd.choice(last)}"
        else:
            name = f"{rnd.choice(first)} {rnd.choice(last)}"
        y = rnd.randint(1940, 2005)
        dob = f"{y}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}" if rnd.random() < 0.7 else str(y)
        out.append(
            PersonRecord(
                id=str(i),
                full_name=name,
                date_of_birth=dob,
                nationality=COUNTRIES[li],
                gender=rnd.choice("mf"),
            )
        )
    return out


def perturb(r: PersonRecord, rnd: random.Random) -> PersonRecord:
    toks = r.full_name.split()
    rnd.shuffle(toks)
    j = rnd.randrange(len(toks))
    t = toks[j]
    if len(t) > 3 and t.isascii():
        k = rnd.randrange(1, len(t))
        toks[j] = t[:k] + t[k + 1 :]  # delete one letter
    return PersonRecord(
        id="",
        full_name=" ".join(toks),
        date_of_birth=r.date_of_birth,
        nationality=r.nationality,
        gender=r.gender,
    )


def rss_mib() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--baseline-queries", type=int, default=20)
    args = ap.parse_args()
    t = time.perf_counter()
    recs = records(args.n)
    gen = time.perf_counter() - t
    gc.collect()
    rss0 = rss_mib()
    gc.disable()  # a bulk build allocates many long-lived objects
    t = time.perf_counter()
    s = Screener()
    s.build(recs)
    build = time.perf_counter() - t
    gc.enable()
    gc.freeze()  # long-lived index objects: keep the collector from rescanning them per query
    rss1 = rss_mib()
    rnd = random.Random(3)
    sample = [recs[rnd.randrange(len(recs))] for _ in range(args.queries)]
    queries = [perturb(r, rnd) for r in sample]
    lat = []
    found = 0
    t0 = time.perf_counter()
    for src, q in zip(sample, queries, strict=True):
        t = time.perf_counter()
        hits = s.screen(q, top=10)
        lat.append(time.perf_counter() - t)
        found += any(h.candidate_id == src.id for h in hits)
    total = time.perf_counter() - t0
    lat.sort()
    # Baseline: brute-force rapidfuzz over every name, one core.
    from rapidfuzz import fuzz, process, utils

    names = [utils.default_process(r.full_name) for r in recs]
    t = time.perf_counter()
    for q in queries[: args.baseline_queries]:
        process.extract(utils.default_process(q.full_name), names, scorer=fuzz.token_sort_ratio, limit=10)
    base_qps = args.baseline_queries / (time.perf_counter() - t)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "n": args.n,
                "generate_s": gen,
                "build_s": build,
                "index_rss_mib": rss1 - rss0,
                "peak_rss_mib": peak,
                "p50_ms": 1000 * statistics.median(lat),
                "p99_ms": 1000 * lat[int(0.99 * (len(lat) - 1))],
                "qps": len(lat) / total,
                "recall_at_10": found / len(lat),
                "baseline_qps": base_qps,
            }
        )
    )


if __name__ == "__main__":
    main()
