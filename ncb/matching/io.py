"""Reading person CSV files (the command-line contract), including FEBRL-style columns."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ncb.matching.record import PersonRecord

NAME_COLUMNS = ("full_name", "first_name", "middle_name", "last_name", "name")
FEBRL_MAP = {
    "rec_id": "id",
    "given_name": "first_name",
    "surname": "last_name",
    "soc_sec_id": "document_number",
    # Splink's example datasets (fake_1000 and the like)
    "unique_id": "id",
    "dob": "date_of_birth",
    "city": "suburb",
    # Splink's historical_50k columns (and bench/matching/messy.py)
    "birth_place": "place_of_birth",
    "postcode_fake": "postcode",
}
ADDRESS_COLUMNS = ("street_number", "address_1", "address_2", "suburb", "postcode", "state")
EXTRA_COLUMNS = (*ADDRESS_COLUMNS, "email", "occupation")
FIELDS = (
    "id",
    "full_name",
    "first_name",
    "middle_name",
    "last_name",
    "gender",
    "date_of_birth",
    "place_of_birth",
    "nationality",
    "document_number",
    "kind",
)


class InputError(ValueError):
    """Bad input: the message names the file, field or rule."""


@dataclass
class ReadResult:
    records: list[PersonRecord] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)
    skipped_ids: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)


def _header(fieldnames: list[str] | None, path: Path) -> list[str]:
    if not fieldnames:
        raise InputError(f"{path}: empty file or no header row")
    return [(h or "").strip().lstrip("\ufeff").lower() for h in fieldnames]


def read_persons(path: str | Path) -> ReadResult:
    """Read a person CSV. Rows without an id get their 0-based row number; rows with no usable
    name are skipped and reported with their line number."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: file not found")
    out = ReadResult()
    with p.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh, skipinitialspace=True)
        try:
            raw_header = next(reader)
        except StopIteration:
            raise InputError(f"{p}: empty file or no header row") from None
        header = _header(raw_header, p)
        mapped = [FEBRL_MAP.get(h, h) for h in header]
        out.columns = header
        if not any(h in NAME_COLUMNS for h in mapped) and "aliases" not in mapped:
            raise InputError(
                f"{p}: no name column; need one of full_name, first_name, middle_name, last_name "
                "(or FEBRL given_name/surname)"
            )
        for rowno, row in enumerate(reader):
            line = reader.line_num
            values = {h: (v or "").strip() for h, v in zip(mapped, row, strict=False)}
            rec = _to_record(values, rowno)
            if not rec.has_name():
                out.skipped.append((line, "no usable name"))
                out.skipped_ids.append(rec.id)
                continue
            out.records.append(rec)
    return out


def _to_record(values: dict[str, str], rowno: int) -> PersonRecord:
    kw = {f: values.get(f, "") for f in FIELDS}
    if not kw["id"]:
        kw["id"] = str(rowno)
    if not kw["full_name"] and values.get("name"):
        kw["full_name"] = values["name"]
    if not kw["kind"]:
        kw["kind"] = "person"
    extra = {c: values[c] for c in EXTRA_COLUMNS if values.get(c)}
    aliases = [a.strip() for a in values.get("aliases", "").split(";") if a.strip()]
    return PersonRecord(aliases=aliases, extra=extra, **kw)


def iter_rows(path: str | Path) -> Iterator[dict[str, str]]:
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: file not found")
    with p.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames:
            raise InputError(f"{p}: empty file or no header row")
        yield from reader
