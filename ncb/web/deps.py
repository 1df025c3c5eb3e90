"""Dependencies of the workbench pages: a CSRF-checked form, the signed-in user's details."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from ncb.web.templating import check_csrf


async def checked_form(request: Request) -> dict[str, Any]:
    """The posted form fields (files kept as UploadFile) once its CSRF token is checked."""
    form = await request.form()
    data: dict[str, Any] = {}
    for key, value in form.multi_items():
        data.setdefault(key, value)
    check_csrf(request, data)
    request.state.form = form  # for `listed`: pages read repeated fields without awaiting
    return data


FormDep = Annotated[dict[str, Any], Depends(checked_form)]


def listed(request: Request, name: str) -> list[str]:
    """Every value of a repeated field of the checked form (needs FormDep on the route).

    Lets a page be a plain `def`: its queries then run in the threadpool, never on the event
    loop, where a wait for SQLite's write lock would stall every request (and deadlock).
    """
    return [str(v) for v in request.state.form.getlist(name)]


def text(form: dict[str, Any], name: str) -> str | None:
    """A trimmed text field; empty means absent."""
    value = form.get(name)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None
