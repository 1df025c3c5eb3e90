"""Optional Splink engine (splink>=4 on DuckDB) for very large bulk link and dedupe jobs.

``ncb link/dedupe --engine splink`` and :func:`link` / :func:`dedupe_pairs` here use Splink's
Fellegi-Sunter model, trained without labels (u by random sampling, m by expectation
maximisation on blocked pairs), instead of ncb.matching's own scoring. Splink and DuckDB are
imported lazily: the rest of ncb.matching never needs them. Install with
``pip install 'ncb-gateway[splink]'``.

Fields used (only those with a value somewhere in the input: Splink cannot train a comparison
on an empty column): first name, surname (from first/last name, else the first and last tokens
of the normalised full name), date of birth, postcode, street address, locality, document
number and e-mail; a blocking rule is used only when all its columns are present. A pair is a
match at or above ``SPLINK_THRESHOLD`` (match probability): Splink's customary 0.9, fixed, not
tuned on any data.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Literal

from ncb.matching.algorithms import Explanation, FeatureResult
from ncb.matching.bulk import Link
from ncb.matching.normalize import clean
from ncb.matching.record import PersonRecord, Prepared, parse_dob, prepare

INSTALL_HINT = "pip install 'ncb-gateway[splink]'"
SPLINK_THRESHOLD = 0.9
COLUMNS = ("first_name", "surname", "dob", "postcode", "street", "locality", "document", "email")


class SplinkUnavailable(RuntimeError):
    """Splink or DuckDB is not installed."""


def available() -> bool:
    try:
        _modules()
    except SplinkUnavailable:
        return False
    return True


def _modules() -> tuple[Any, Any, Any]:
    try:
        import duckdb  # noqa: F401
        import splink
        import splink.comparison_library as cl
    except ImportError as exc:
        raise SplinkUnavailable(
            f"the Splink engine needs splink>=4 and duckdb ({exc.name} is missing): "
            f"run {INSTALL_HINT}"
        ) from exc
    major = int(str(getattr(splink, "__version__", "4")).split(".")[0])
    if major < 4:
        raise SplinkUnavailable(f"the Splink engine needs splink>=4: run {INSTALL_HINT}")
    return splink, cl, duckdb


def _row(rec: PersonRecord | Prepared, uid: str) -> dict[str, str | None]:
    def val(s: str) -> str | None:
        return s or None

    if isinstance(rec, Prepared):
        toks = rec.names[0] if rec.names else ()
        first, last = (toks[0], toks[-1]) if toks else ("", "")
        dob = rec.dob
        ex = {"email": rec.email} if rec.email else {}
        document = rec.ident
        postcode = rec.postcode
        street = " ".join(rec.address)
    else:
        first, last = clean(rec.first_name), clean(rec.last_name)
        if not first and not last:
            toks = tuple(clean(rec.full_name).split())
            first, last = (toks[0], toks[-1] if len(toks) > 1 else "") if toks else ("", "")
        dob = parse_dob(rec.date_of_birth)
        ex = rec.extra
        p = prepare(rec)
        document, postcode = p.ident, p.postcode
        street = clean(" ".join(ex.get(k, "") for k in ("street_number", "address_1", "address_2")))
    dob_s = ""
    if dob and dob[1] and dob[2]:
        dob_s = "{:04d}-{:02d}-{:02d}".format(*dob)
    elif dob:
        dob_s = f"{dob[0]:04d}"
    return {
        "unique_id": uid,
        "first_name": val(first),
        "surname": val(last),
        "dob": val(dob_s),
        "postcode": val(postcode),
        "street": val(street),
        "locality": val(clean(ex.get("suburb", ""))),
        "document": val(document),
        "email": val(ex.get("email", "").strip().lower()),
    }


def _table(con: Any, name: str, records: Sequence[PersonRecord | Prepared]) -> str:
    """Load the records into DuckDB through Arrow (a dependency of Splink)."""
    import pyarrow as pa

    cols = ("unique_id", *COLUMNS)
    rows = [_row(r, r.id) for r in records]
    arrow = pa.table({c: pa.array([r[c] for r in rows], type=pa.string()) for c in cols})
    con.register(f"{name}_arrow", arrow)
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}_arrow")
    con.unregister(f"{name}_arrow")
    return name


def _present(con: Any, tables: list[str]) -> set[str]:
    """Columns with at least one value: Splink cannot train a comparison on an empty column."""
    out = set()
    for c in COLUMNS:
        for t in tables:
            if con.execute(f"SELECT count({c}) FROM {t}").fetchall()[0][0]:
                out.add(c)
                break
    return out


def _predict(
    tables: list[str], con: Any, link_type: Literal["link_only", "dedupe_only"], threshold: float
) -> list[dict[str, Any]]:
    splink, cl, _ = _modules()
    import inspect

    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.WARNING)
    have = _present(con, tables)
    comparisons = {
        "first_name": cl.NameComparison("first_name"),
        "surname": cl.NameComparison("surname"),
        "dob": cl.LevenshteinAtThresholds("dob", [1, 2]),
        "postcode": cl.LevenshteinAtThresholds("postcode", [1]),
        "street": cl.JaroWinklerAtThresholds("street", [0.9, 0.7]),
        "locality": cl.JaroWinklerAtThresholds("locality", [0.9]),
        "document": cl.LevenshteinAtThresholds("document", [1, 2]),
        "email": cl.EmailComparison("email"),
    }
    rules = [
        ("first_name", "surname"),
        ("surname", "dob"),
        ("first_name", "dob"),
        ("postcode", "dob"),
        ("document",),
        ("email",),
    ]
    settings = SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=[c for k, c in comparisons.items() if k in have],
        blocking_rules_to_generate_predictions=[
            block_on(*r) for r in rules if all(c in have for c in r)
        ],
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI(connection=con)
    linker_cls: Any = Linker  # the constructor differs between Splink 4 and 5
    if "db_api" in inspect.signature(linker_cls.__init__).parameters:  # Splink 4
        inputs: Any = tables if len(tables) > 1 else tables[0]
        linker = linker_cls(inputs, settings, db_api=db_api)
    else:  # Splink 5: tables are registered with the database API first
        sdfs = [db_api.register(t, table_name=f"{t}_in") for t in tables]
        linker = linker_cls(sdfs if len(sdfs) > 1 else sdfs[0], settings)
    logging.getLogger("splink").setLevel(logging.WARNING)  # the Linker resets it to INFO
    train = linker.training
    train.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob")], recall=0.7
    )
    train.estimate_u_using_random_sampling(max_pairs=1_000_000, seed=1)
    em_kw: dict[str, Any] = {"fix_probability_two_random_records_match": True}
    em_params = inspect.signature(train.estimate_parameters_using_expectation_maximisation)
    if "record_sample_proportion" in em_params.parameters:
        em_kw["record_sample_proportion"] = 1.0  # Splink 5 samples 1 % of records by default
    trained = 0
    for rule in (block_on("dob"), block_on("surname")):
        try:
            train.estimate_parameters_using_expectation_maximisation(rule, **em_kw)
            trained += 1
        except ValueError as exc:  # e.g. a level never observed among the blocked pairs
            logging.getLogger(__name__).warning("Splink EM session skipped: %s", exc)
    if not trained:
        raise RuntimeError("Splink could not estimate its model on this data (EM failed)")
    pred = linker.inference.predict(threshold_match_probability=threshold)
    rows: list[dict[str, Any]] = pred.as_record_list()
    return rows


def _links(rows: list[dict[str, Any]], threshold: float, ordered: bool) -> list[Link]:
    out = []
    for r in rows:
        left, right = str(r["unique_id_l"]), str(r["unique_id_r"])
        if not ordered and right < left:
            left, right = right, left
        prob = float(r["match_probability"])
        weight = float(r["match_weight"])
        exp = Explanation(
            "splink",
            prob,
            threshold,
            prob >= threshold,
            [FeatureResult("match_weight", prob, 1.0, prob, f"Splink match weight {weight:.2f}")],
        )
        out.append(Link(left, right, prob, exp))
    return out


def link(
    left: Sequence[PersonRecord | Prepared],
    right: Sequence[PersonRecord | Prepared],
    *,
    threshold: float = SPLINK_THRESHOLD,
) -> list[Link]:
    """Pairs (left, right) with Splink match probability at or above ``threshold``."""
    _, _, duckdb = _modules()
    con = duckdb.connect()
    try:
        tables = [_table(con, "ncb_left", left), _table(con, "ncb_right", right)]
        rows = _predict(tables, con, "link_only", threshold)
    finally:
        con.close()
    left_ids = {r.id for r in left}
    out = []
    for lk in _links(rows, threshold, ordered=True):
        if lk.left_id not in left_ids:  # Splink may report the pair right-to-left
            lk = Link(lk.right_id, lk.left_id, lk.score, lk.explanation)
        out.append(lk)
    return out


def dedupe_pairs(
    records: Sequence[PersonRecord | Prepared], *, threshold: float = SPLINK_THRESHOLD
) -> list[Link]:
    """Matching pairs within one dataset (each unordered pair once), by Splink."""
    _, _, duckdb = _modules()
    con = duckdb.connect()
    try:
        rows = _predict([_table(con, "ncb_input", records)], con, "dedupe_only", threshold)
    finally:
        con.close()
    return _links(rows, threshold, ordered=False)
