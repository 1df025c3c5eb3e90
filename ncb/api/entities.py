"""Entity API: read, correct and erase persons and objects (the screening index follows)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response

from ncb.adapters.deps import PrincipalDep, SessionDep
from ncb.api.models import EntityOut
from ncb.services import entities
from ncb.services.inputs import EntityPatch

router = APIRouter(prefix="/entities", tags=["entities"])


@router.get("/{entity_id}", response_model=EntityOut)
def get_entity(entity_id: int, session: SessionDep, p: PrincipalDep) -> EntityOut:
    return EntityOut.model_validate(entities.get_entity(session, p, entity_id))


@router.patch("/{entity_id}", response_model=EntityOut)
def update_entity(entity_id: int, body: EntityPatch, session: SessionDep, p: PrincipalDep) -> EntityOut:
    """Correct an entity; logged as an alteration and re-indexed for screening."""
    return EntityOut.model_validate(entities.update_entity(session, p, entity_id, body))


@router.api_route("/{entity_id}", methods=["DELETE"], status_code=204)
def erase_entity(
    entity_id: int,
    session: SessionDep,
    p: PrincipalDep,
    x_justification: Annotated[str, Header(alias="X-Justification")] = "",
) -> Response:
    """Erase an entity (supervisors; justification required); removed from screening at once."""
    entities.erase_entity(session, p, entity_id, x_justification)
    return Response(status_code=204)
