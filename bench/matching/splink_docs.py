"""Splink run with the settings of its own documentation, as the same-run baseline.

- ``quickstart``: the README quickstart of Splink 4/5, written for fake_1000 (Jaro-Winkler first
  name, Jaro surname, date of birth by year/month, city exact with term frequencies, e-mail;
  blocking on first name and on surname; u by random sampling, m by EM on first name + surname
  and on date of birth; predictions clustered at match probability 0.95).
- ``historical``: the "deduplicate_50k_synthetic" example (docs/demos/examples/duckdb), written
  for the historical_50k data whose columns bench/matching/messy.py produces (forename-surname
  comparison, date of birth, postcode, birth place and occupation with term frequencies, its ten
  blocking rules, EM on first name + surname and on date of birth, clusters at 0.95).

Each returns record id -> cluster id. The CSV is loaded into DuckDB as text, dates cast.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any


def _linker(path: Path, settings: Any, date_cast: str, concat: bool = False) -> tuple[Any, Any]:
    import duckdb
    from splink import DuckDBAPI, Linker

    con = duckdb.connect()
    con.execute(
        "CREATE TABLE input AS SELECT * REPLACE (" + date_cast + " AS dob) "
        "FROM read_csv(?, all_varchar=true, header=true)",
        [str(path)],
    )
    db_api = DuckDBAPI(connection=con)
    # The example adds the forename-surname column its ForenameSurnameComparison reads.
    extra = ", first_name || ' ' || surname AS first_name_surname_concat" if concat else ""
    rel = con.sql("SELECT *" + extra + " FROM input")
    linker = Linker(db_api.register(rel), settings)
    logging.getLogger("splink").setLevel(logging.WARNING)
    return linker, con


def _clusters(linker: Any, predictions: Any) -> dict[str, str]:
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.95)
    return {str(r["unique_id"]): str(r["cluster_id"]) for r in clusters.as_record_list()}


def quickstart(path: Path) -> dict[str, str]:
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.WARNING)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("first_name", [0.9, 0.7]),
            cl.JaroAtThresholds("surname", [0.9, 0.7]),
            cl.DateOfBirthComparison(
                "dob",
                input_is_string=False,
                datetime_metrics=["year", "month"],
                datetime_thresholds=[1, 1],
            ),
            cl.ExactMatch("city").configure(term_frequency_adjustments=True),
            cl.EmailComparison("email"),
        ],
        blocking_rules_to_generate_predictions=[block_on("first_name"), block_on("surname")],
    )
    linker, con = _linker(path, settings, "TRY_CAST(dob AS DATE)")
    try:
        t = linker.training
        t.estimate_probability_two_random_records_match(
            [block_on("first_name", "surname")], recall=0.7
        )
        t.estimate_u_using_random_sampling(max_pairs=1e6)
        t.estimate_parameters_using_expectation_maximisation(block_on("first_name", "surname"))
        t.estimate_parameters_using_expectation_maximisation(block_on("dob"))
        return _clusters(linker, linker.inference.predict(threshold_match_weight=-10))
    finally:
        con.close()


def historical(path: Path) -> dict[str, str]:
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.WARNING)
    rules = [
        block_on("substr(first_name,1,3)", "substr(surname,1,4)"),
        block_on("surname", "dob"),
        block_on("first_name", "dob"),
        block_on("postcode_fake", "first_name"),
        block_on("postcode_fake", "surname"),
        block_on("dob", "birth_place"),
        block_on("substr(postcode_fake,1,3)", "dob"),
        block_on("substr(postcode_fake,1,3)", "first_name"),
        block_on("substr(postcode_fake,1,3)", "surname"),
        block_on("substr(first_name,1,2)", "substr(surname,1,2)", "substr(dob,1,4)"),
    ]
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=rules,
        comparisons=[
            cl.ForenameSurnameComparison(
                "first_name", "surname", forename_surname_concat_col_name="first_name_surname_concat"
            ),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode_fake"),
            cl.ExactMatch("birth_place").configure(term_frequency_adjustments=True),
            cl.ExactMatch("occupation").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )
    linker, con = _linker(path, settings, "dob", concat=True)
    try:
        t = linker.training
        t.estimate_probability_two_random_records_match(
            [
                block_on("first_name", "surname", "dob"),
                block_on("substr(first_name,1,2)", "surname", "substr(postcode_fake,1,2)"),
                block_on("dob", "postcode_fake"),
            ],
            recall=0.6,
        )
        t.estimate_u_using_random_sampling(max_pairs=1e7)
        for rule in (block_on("first_name", "surname"), block_on("dob")):
            t.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
        return _clusters(linker, linker.inference.predict())
    finally:
        con.close()
