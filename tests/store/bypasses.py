"""Which functions of a store module read without the access filter (for the store's tests)."""

from __future__ import annotations

import ast
import inspect
from types import ModuleType


def unfiltered_functions(module: ModuleType) -> set[str]:
    """Top-level functions that pass `skip_access` or `ALL_ROWS`, directly or through a module
    constant."""
    tree = ast.parse(inspect.getsource(module))
    constants = {t.id for node in tree.body if isinstance(node, ast.Assign)
                 and _switches_off(ast.unparse(node.value))
                 for t in node.targets if isinstance(t, ast.Name)}
    found = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            text = ast.unparse(node)
            names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            if _switches_off(text) or names & constants:
                found.add(node.name)
    return found


def _switches_off(text: str) -> bool:
    return "skip_access" in text or "ALL_ROWS" in text
