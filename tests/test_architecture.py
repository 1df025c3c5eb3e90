"""The shape docs/architecture.md describes, checked on the source (no database, no app).

Each rule below is one paragraph of that document; when a rule must change, change both.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "ncb"
ADAPTERS = ("ncb/api/", "ncb/web/", "ncb/cli/", "ncb/adapters/")
MAX_LINES = 400
# What an adapter may take from SQLAlchemy: the types a unit of work is handed around as, the
# engine and database address its commands open, and the errors it turns into problems. No
# statement, no query.
ADAPTER_SQLALCHEMY = {"sqlalchemy.orm.Session", "sqlalchemy.orm.sessionmaker", "sqlalchemy.Engine",
                      "sqlalchemy.engine.Engine", "sqlalchemy.engine.make_url",
                      "sqlalchemy.engine.URL", "sqlalchemy.URL", "sqlalchemy.make_url"}
# Statements run on a session, and flushing or reloading its rows: a use case writes (and reads
# back) what it returns before it returns it, so no adapter flushes.
QUERY_METHODS = {"execute", "scalar", "scalars", "query", "get", "add", "add_all", "delete",
                 "merge", "bulk_save_objects", "flush", "refresh"}
BYPASS_HOMES = ("ncb/store/", "ncb/demo/")
# Layers in the order imports may point: a module may import its own layer or those below it.
# ncb.app assembles api and web; the command line serves it, so cli sits on top.
LAYERS = ["ncb.rules", "ncb.domain", "ncb.matching", "ncb.store", "ncb.federation",
          "ncb.services", "ncb.demo", "ncb.adapters", "ncb.api", "ncb.web", "ncb.app", "ncb.cli"]


@cache
def sources() -> dict[str, str]:
    """Source of every module of the package, by path relative to the project root."""
    return {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(PKG.rglob("*.py")) if "migrations" not in p.parts}


def module_name(rel: str) -> str:
    parts = rel.removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(rel: str, source: str) -> list[str]:
    """Every name a module imports, module-level and inside functions, as dotted paths."""
    here = module_name(rel)
    package = here if rel.endswith("__init__.py") else here.rpartition(".")[0]
    out: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(up + ([base] if base else []))
            out += [base] + [f"{base}.{a.name}" for a in node.names]
    return out


def query_calls(source: str) -> list[str]:
    """Calls that run a statement or change the unit of work, and SQL statement builders."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        receiver = node.func.value
        name = receiver.id if isinstance(receiver, ast.Name) else (
            receiver.attr if isinstance(receiver, ast.Attribute) else "")
        if node.func.attr in QUERY_METHODS and (name in {"s", "db", "conn", "connection"}
                                                or name.endswith("session")):
            found.append(f"line {node.lineno}: {ast.unparse(node)[:60]}")
    return found


def forbidden_sqlalchemy(rel: str, source: str) -> list[str]:
    names = [n for n in imported(rel, source) if n.split(".")[0] == "sqlalchemy"]
    # `from sqlalchemy.orm import Session` yields the module and the name: judge the names.
    modules = {n.rpartition(".")[0] for n in names}
    return sorted(n for n in names if n not in ADAPTER_SQLALCHEMY and n not in modules
                  and not n.startswith("sqlalchemy.exc"))


def test_the_checks_catch_what_they_look_for() -> None:
    # A check that finds nothing proves nothing: show each one a page that breaks the rule.
    page = ("from sqlalchemy import select\nfrom sqlalchemy.orm import Session, joinedload\n"
            "def view(session: Session, s: Session) -> None:\n"
            "    session.scalar(select(User))\n    s.get(User, 1)\n    request.cookies.get('x')\n"
            "    session.flush()\n")
    assert forbidden_sqlalchemy("ncb/web/pages/x.py", page) == [
        "sqlalchemy.orm.joinedload", "sqlalchemy.select"]
    assert [c.split(":")[0] for c in query_calls(page)] == ["line 4", "line 5", "line 7"]


@pytest.mark.parametrize("rel", [r for r in sources() if r.startswith(ADAPTERS)])
def test_adapters_neither_import_the_query_api_nor_run_queries(rel: str) -> None:
    source = sources()[rel]
    assert forbidden_sqlalchemy(rel, source) == [], f"{rel}: a query belongs in a service"
    assert query_calls(source) == [], f"{rel}: a query belongs in a service"


def test_the_web_package_does_not_import_the_api_package() -> None:
    # What both need (the current principal, the session factory) lives in ncb.adapters.
    bad = [(rel, n) for rel, src in sources().items() if rel.startswith("ncb/web/")
           for n in imported(rel, src) if n == "ncb.api" or n.startswith("ncb.api.")]
    assert bad == []


def _layer(module: str) -> int | None:
    for i, top in enumerate(LAYERS):
        if module == top or module.startswith(top + "."):
            return i
    return None


def test_imports_point_down_the_layers() -> None:
    up = []
    for rel, src in sources().items():
        mine = _layer(module_name(rel))
        for name in imported(rel, src):
            theirs = _layer(name)
            if mine is not None and theirs is not None and theirs > mine:
                up.append(f"{rel} imports {name}")
    assert up == []


def test_no_import_cycles_counting_imports_inside_functions() -> None:
    modules = {module_name(rel): rel for rel in sources()}
    graph = {m: {n for n in imported(rel, sources()[rel])
                 if n in modules and n != m and not m.startswith(n + ".")}
             for m, rel in modules.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                cycles.append(path[path.index(n):] + [n])
            elif n not in state:
                visit(n, [*path, n])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert cycles == []


def test_no_module_over_400_lines_migrations_apart() -> None:
    long = {rel: n for rel, src in sources().items() if (n := len(src.splitlines())) > MAX_LINES}
    assert long == {}, "split by concept before a module passes 400 lines"


def test_the_access_filter_is_switched_off_only_in_the_store_and_the_demo() -> None:
    # Elsewhere a read past the caller's rights is a named store function (ncb/store/*.py).
    found = sorted(f"{rel}:{i}" for rel, src in sources().items()
                   if not rel.startswith(BYPASS_HOMES)
                   for i, line in enumerate(src.splitlines(), 1)
                   if "skip_access" in line or "UNMARKED" in line)
    assert found == []
