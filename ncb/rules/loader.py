"""Load and validate the YAML rules files shipped in the `ncb.rules` package.

Why: every legal period, code list and threshold lives in data files that lawyers and
supervisors can read. This loader is the single gate: it reads every file, validates every
section with pydantic, checks cross-references (a routing row names a real team, a request type a
real deadline...), and refuses a bad file with an error naming the file, the entry and the field.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from ncb.rules.data_protection_models import (
    APPEAL_STATUSES,
    TIP_STATUSES,
    check_references,
)
from ncb.rules.schema import Rules

RULES_DIR = Path(__file__).resolve().parent


class RulesError(ValueError):
    """A rules file is malformed; names the file, the entry and the field at fault."""

    def __init__(self, file: str, entry: str, field: str, message: str) -> None:
        self.file = file
        self.entry = entry
        self.field = field
        super().__init__(f"{file}: entry {entry!r}, field {field!r}: {message}")


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys (plain YAML silently keeps the last one)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506
    except yaml.YAMLError as exc:
        raise RulesError(path.name, "-", "-", f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise RulesError(path.name, "-", "-", "top level must be a mapping of section names")
    return data


def _apply_defaults(value: Any, defaults: Any) -> Any:
    """Fill per-entry defaults (e.g. one `source` for all countries) without overriding entries."""
    if not isinstance(defaults, dict):
        return value
    if isinstance(value, list):
        return [{**defaults, **v} if isinstance(v, dict) else v for v in value]
    if isinstance(value, dict):
        return {k: {**defaults, **v} if isinstance(v, dict) else v for k, v in value.items()}
    return value


def _error(path: Path, section: str, exc: ValidationError) -> RulesError:
    errors = exc.errors()
    first = errors[0]
    loc = [str(part) for part in first["loc"]]
    container = Rules.model_fields[section].annotation
    origin = getattr(container, "__origin__", None)
    if origin in (dict, list) and loc:
        entry, field_path = f"{section}.{loc[0]}", ".".join(loc[1:]) or "-"
    else:
        entry, field_path = section, ".".join(loc) or "-"
    message = first["msg"]
    if len(errors) > 1:
        others = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors[1:6])
        message += f" (also: {others})"
    return RulesError(path.name, entry, field_path, message)


def validate_file(path: Path) -> dict[str, Any]:
    """Validate one rules file; return its sections as validated objects, keyed by section name."""
    raw = _read(path)
    defaults = raw.pop("defaults", {}) or {}
    out: dict[str, Any] = {}
    for section, value in raw.items():
        if section not in Rules.model_fields:
            known = ", ".join(sorted(Rules.model_fields))
            raise RulesError(path.name, section, "-", f"unknown section; known sections: {known}")
        annotation: Any = Rules.model_fields[section].annotation
        adapter: TypeAdapter[Any] = TypeAdapter(annotation)
        try:
            out[section] = adapter.validate_python(_apply_defaults(value, defaults.get(section)))
        except ValidationError as exc:
            raise _error(path, section, exc) from exc
    return out


def _missing(refs: Iterable[str], known: Iterable[str]) -> list[str]:
    have = set(known)
    return sorted({r for r in refs if r not in have})


def _cross_check(rules: Rules, origin: dict[str, str]) -> None:
    """Check that every code a section refers to exists in the section it refers to."""

    def need(
        section: str, entry: str, field: str, refs: Iterable[str], known: Iterable[str]
    ) -> None:
        bad = _missing(refs, known)
        if bad:
            raise RulesError(
                origin.get(section, "?"),
                f"{section}.{entry}",
                field,
                f"unknown code(s): {', '.join(bad)}",
            )

    dl = rules.deadlines
    for code, ch in rules.channels.items():
        refs = [ch.service_deadline] if ch.service_deadline else []
        need("channels", code, "service_deadline", refs, dl)
    for code, pr in rules.priorities.items():
        need("priorities", code, "service_deadline", [pr.service_deadline], dl)
    for i, row in enumerate(rules.routing):
        need("routing", str(i), "team", [row.team], rules.teams)
        need("routing", str(i), "channel", row.channel or [], rules.channels)
        need("routing", str(i), "crime_area", row.crime_area or [], rules.crime_areas)
        need("routing", str(i), "country", row.country or [], rules.countries)
    if not rules.routing or not rules.routing[-1].is_catch_all:
        raise RulesError(
            origin.get("routing", "?"),
            "routing",
            "-",
            "the last routing row must have no condition (catch-all)",
        )
    for code, rt in rules.request_types.items():
        need("request_types", code, "deadline", [rt.deadline], dl)
        need("request_types", code, "team", [rt.team], rules.teams)
        need("request_types", code, "channels", rt.channels, rules.channels)
    for code, role in rules.roles.items():
        need("roles", code, "permissions", role.permissions, rules.permissions)
    for name, sm in rules.state_machines.items():
        need("state_machines", name, "initial", [sm.initial], sm.statuses)
        need("state_machines", name, "transitions", sm.transitions, sm.statuses)
        for status, targets in sm.transitions.items():
            need("state_machines", name, f"transitions.{status}", targets, sm.statuses)
        stuck = [s for s, d in sm.statuses.items() if not d.terminal and not sm.transitions.get(s)]
        need("state_machines", name, "transitions", stuck, [])
    for code, form in rules.sirene_forms.items():
        need("sirene_forms", code, "deadline", [form.deadline] if form.deadline else [], dl)
    for code, clock in rules.eaw_clocks.items():
        rule_refs = [clock.rule] + ([clock.extension.rule] if clock.extension else [])
        need("eaw_clocks", code, "rule", rule_refs, dl)
    check_references(rules.retention, rules.subject_access, need,
                     {"channel": rules.channels, "notice_type": rules.notice_types,
                      "article": rules.sis_articles, "tip_status": TIP_STATUSES,
                      "appeal_status": APPEAL_STATUSES})
    for name in ("case", "eaw"):
        need("state_machines", name, "-", [name] if name not in rules.state_machines else [], [])


def load_rules_from(directory: Path) -> Rules:
    """Load, validate and cross-check every `*.yaml` under `directory` (uncached)."""
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for path in sorted(directory.rglob("*.yaml")):
        for section, value in validate_file(path).items():
            if section in merged:
                raise RulesError(
                    path.name, section, "-", f"section already defined in {origin[section]}"
                )
            merged[section] = value
            origin[section] = path.name
    missing = sorted(set(Rules.model_fields) - set(merged))
    if missing:
        raise RulesError(str(directory), "-", "-", f"missing section(s): {', '.join(missing)}")
    rules = Rules.model_validate(merged)
    _cross_check(rules, origin)
    return rules


@functools.cache
def load_rules() -> Rules:
    """The bureau's rules, loaded once from the package's YAML files."""
    return load_rules_from(RULES_DIR)
