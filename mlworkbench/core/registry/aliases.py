"""Moving aliases: promote a version through gates, roll back, keep the history.

Every move, and every move a gate refuses, is a row of ``model_alias_moves`` with the gate
results. A promotion evaluates the alias's stored gates and the move's own over the target
version's metrics (``gates.py``); a failing or unknown check refuses it (409) and nothing moves.

Rollback moves the alias back to the version it pointed at before its current one: the
successful moves replay as a stack (a promotion pushes the version it left, a rollback pops
it), so rolling back twice after v1 -> v2 -> v3 reaches v1. Removing an alias (``remove``)
deletes it with its gates and empties that stack: an alias made again later starts afresh. A rollback does not pass through
the gates: it is the way out of a bad release, the version it returns to was in service
before, and refusing it would keep the bad one serving. It is recorded like any move.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mlworkbench.core.errors import ConflictError, NotFoundError
from mlworkbench.core.registry.gates import GateFailedError, check_gates, evaluate_gates
from mlworkbench.core.registry.lookup import check_alias, find_alias, find_model, find_version
from mlworkbench.core.workspace.store import (
    AliasMoveRow,
    ModelAliasRow,
    ModelRow,
    ModelVersionRow,
    utcnow,
)
from mlworkbench.schemas.registry import DescribeAliasMove, GateResultInfo, ModelAliasInfo


def move_alias(session: Session, name: str, alias: str, version: int, *,
               gates: list[str] | None, actor: str | None) -> tuple[DescribeAliasMove,
                                                                  GateFailedError | None]:
    """Promote: point ``alias`` at ``version`` if every gate passes; record the move either way.

    Returns:
        The recorded move, and the error to raise once it is committed (a gate failed).

    Raises:
        NotFoundError: No such model or version.
        InvalidRequestError: A bad alias name, or a gate DuckDB refuses.
    """
    check_alias(alias)
    model = find_model(session, name)
    target = find_version(session, model, version)
    row = find_alias(session, model, alias)
    checks = (json.loads(row.gates) if row is not None else []) + check_gates(gates or [])
    metrics = json.loads(target.metrics)
    results = evaluate_gates(checks, metrics)
    passed = all(r.passed for r in results)
    current = _version_of(session, row)
    move = AliasMoveRow(model_id=model.id, alias=alias, action="promote", from_version=current,
                        to_version=target.version, moved=passed,
                        gate_results=json.dumps([r.to_dict() for r in results]),
                        reason=None if passed else "a gate failed", actor=actor,
                        moved_at=utcnow())
    session.add(move)
    if passed:
        if row is None:
            row = ModelAliasRow(model_id=model.id, alias=alias, gates="[]")
            session.add(row)
        row.version_id, row.updated_at = target.id, move.moved_at
    session.flush()
    error = None if passed else GateFailedError(
        f"Model '{name}' version {target.version} cannot become '{alias}'", results, metrics)
    return describe_move(move), error


def set_gates(session: Session, name: str, alias: str, gates: list[str]) -> ModelAliasInfo:
    """Store the gates every move of ``alias`` must pass (the alias is created pointing at
    nothing when new). Each gate is tried on the newest version's metrics, so a gate DuckDB
    refuses (a misspelt metric) is a 422 now rather than at the next promotion.

    Raises:
        NotFoundError: No such model.
        InvalidRequestError: A bad alias name, or a gate DuckDB refuses.
    """
    check_alias(alias)
    model = find_model(session, name)
    checks = check_gates(gates)
    newest = session.scalar(select(ModelVersionRow).where(ModelVersionRow.model_id == model.id)
                            .order_by(ModelVersionRow.version.desc()).limit(1))
    if newest is not None:
        evaluate_gates(checks, json.loads(newest.metrics))
    row = find_alias(session, model, alias)
    if row is None:
        row = ModelAliasRow(model_id=model.id, alias=alias, version_id=None)
        session.add(row)
    row.gates, row.updated_at = json.dumps(checks), utcnow()
    session.flush()
    return describe_alias(session, row)


def roll_back(session: Session, name: str, alias: str, *, actor: str | None) -> DescribeAliasMove:
    """Point ``alias`` back at the version before its current one (see the module's docstring).

    Raises:
        NotFoundError: No such model or alias.
        ConflictError: The alias has no earlier version, or that version was deleted.
    """
    model = find_model(session, name)
    row = find_alias(session, model, alias)
    current = _version_of(session, row)
    if row is None or current is None:
        raise ConflictError(f"Model '{name}' alias '{alias}' points at no version: there is "
                            "nothing to roll back.", model=name, alias=alias)
    stack: list[int] = []
    for move in session.scalars(select(AliasMoveRow).where(AliasMoveRow.model_id == model.id)
                                .where(AliasMoveRow.alias == alias)
                                .where(AliasMoveRow.moved.is_(True)).order_by(AliasMoveRow.id)):
        if move.action == "rollback":
            if stack:
                stack.pop()
        elif move.action == "remove":
            stack.clear()
        elif move.from_version not in (None, move.to_version):
            stack.append(move.from_version)
    if not stack:
        raise ConflictError(f"Model '{name}' alias '{alias}' has pointed only at version "
                            f"{current}: there is no earlier version to roll back to.",
                            model=name, alias=alias, version=current)
    previous = stack[-1]
    target = session.scalar(select(ModelVersionRow).where(ModelVersionRow.model_id == model.id)
                            .where(ModelVersionRow.version == previous))
    if target is None:
        raise ConflictError(f"Model '{name}' alias '{alias}' pointed at version {previous} "
                            "before, but that version was deleted; promote a version instead.",
                            model=name, alias=alias, version=previous)
    move = AliasMoveRow(model_id=model.id, alias=alias, action="rollback", from_version=current,
                        to_version=previous, moved=True, gate_results="[]",
                        reason="rollback: gates are not applied", actor=actor,
                        moved_at=utcnow())
    session.add(move)
    row.version_id, row.updated_at = target.id, move.moved_at
    session.flush()
    return describe_move(move)


def remove_alias(session: Session, name: str, alias: str, *,
                 actor: str | None) -> DescribeAliasMove | None:
    """Delete ``alias`` and its gates; record the removal (``from_version`` and ``to_version``
    both the version it pointed at) when it pointed at one.

    Raises:
        NotFoundError: No such model or alias (the message lists the aliases).
    """
    model = find_model(session, name)
    row = find_alias(session, model, alias)
    if row is None:
        known = [a.alias for a in aliases_of(session, model)]
        raise NotFoundError("model alias", f"{name}@{alias}",
                            f"Model '{name}' has no alias '{alias}'. Aliases: "
                            f"{', '.join(known) or 'none'}.", known=known)
    current = _version_of(session, row)
    session.delete(row)
    if current is None:
        session.flush()
        return None
    move = AliasMoveRow(model_id=model.id, alias=alias, action="remove", from_version=current,
                        to_version=current, moved=True, gate_results="[]",
                        reason="alias removed", actor=actor, moved_at=utcnow())
    session.add(move)
    session.flush()
    return describe_move(move)


def history(session: Session, model: ModelRow) -> list[DescribeAliasMove]:
    """Every move of the model's aliases, newest first."""
    return [describe_move(m) for m in session.scalars(
        select(AliasMoveRow).where(AliasMoveRow.model_id == model.id)
        .order_by(AliasMoveRow.id.desc()))]


def aliases_of(session: Session, model: ModelRow) -> list[ModelAliasInfo]:
    rows = session.scalars(select(ModelAliasRow).where(ModelAliasRow.model_id == model.id)
                           .order_by(ModelAliasRow.alias))
    return [describe_alias(session, r) for r in rows]


def describe_alias(session: Session, row: ModelAliasRow) -> ModelAliasInfo:
    return ModelAliasInfo(alias=row.alias, version=_version_of(session, row),
                          gates=json.loads(row.gates), updated_at=row.updated_at)


def describe_move(move: AliasMoveRow) -> DescribeAliasMove:
    results: list[dict[str, Any]] = json.loads(move.gate_results)
    return DescribeAliasMove(
        id=move.id, alias=move.alias, action=move.action, from_version=move.from_version,
        to_version=move.to_version, moved=move.moved,
        gate_results=[GateResultInfo(**r) for r in results], reason=move.reason,
        actor=move.actor, moved_at=move.moved_at)


def _version_of(session: Session, row: ModelAliasRow | None) -> int | None:
    if row is None or row.version_id is None:
        return None
    return session.scalar(select(ModelVersionRow.version)
                          .where(ModelVersionRow.id == row.version_id))
