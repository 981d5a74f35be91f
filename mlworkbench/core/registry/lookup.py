"""Finding models, versions and aliases by name in a session, with 404s that list what exists,
and the rules for model and alias names."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from mlworkbench.core.errors import InvalidRequestError, NotFoundError
from mlworkbench.core.registry.loading import ModelRef
from mlworkbench.core.workspace.store import ModelAliasRow, ModelRow, ModelVersionRow

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,127}$")
_VERSION_LIKE = re.compile(r"^v?\d+$")


def check_model_name(name: str) -> str:
    """A model name: a SQL identifier that may hold '-' ('churn', 'churn-v2', 'fraud_eu').

    Raises:
        InvalidRequestError: It is not one (the message says what is).
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise InvalidRequestError(
            "name", f"A model name starts with a letter or '_' and holds only letters, digits, "
                    f"'_' and '-' (at most 128), like 'churn' or 'churn-eu'; not {name!r}.")
    return name


def check_alias(alias: str) -> str:
    """An alias name: like a model name, but not a version ('3', 'v3' name versions).

    Raises:
        InvalidRequestError: It is not one.
    """
    if not isinstance(alias, str) or not _NAME.match(alias) or _VERSION_LIKE.match(alias):
        raise InvalidRequestError(
            "alias", f"An alias starts with a letter or '_' and holds only letters, digits, '_' "
                     f"and '-' (like 'production' or 'staging'), and is not a version such as "
                     f"'v3'; not {alias!r}.")
    return alias


def version_number(version: int | str) -> int:
    """3, '3' or 'v3' -> 3.

    Raises:
        InvalidRequestError: Anything else.
    """
    text = str(version).strip()
    if not _VERSION_LIKE.match(text):
        raise InvalidRequestError("version", f"A version is a number such as 3 (or 'v3'), "
                                             f"not {version!r}.")
    return int(text.lstrip("v"))


def find_model(session: Session, name: str) -> ModelRow:
    """The model named ``name``.

    Raises:
        NotFoundError: No such model; the message and ``detail.known`` list the models.
    """
    row = session.scalar(select(ModelRow).where(ModelRow.name == name))
    if row is not None:
        return row
    known = list(session.scalars(select(ModelRow.name).order_by(ModelRow.name)))
    listed = ", ".join(known) if known else "none yet: publish one from a training run"
    raise NotFoundError("model", name, f"No model named '{name}'. Models: {listed}.",
                        known=known)


def find_version(session: Session, model: ModelRow, version: int) -> ModelVersionRow:
    """Version ``version`` of ``model``.

    Raises:
        NotFoundError: No such version; the message and ``detail.known`` list the versions.
    """
    row = session.scalar(select(ModelVersionRow).where(ModelVersionRow.model_id == model.id)
                         .where(ModelVersionRow.version == version))
    if row is not None:
        return row
    known = list(session.scalars(select(ModelVersionRow.version)
                                 .where(ModelVersionRow.model_id == model.id)
                                 .order_by(ModelVersionRow.version)))
    raise NotFoundError("model version", f"{model.name}@{version}",
                        f"Model '{model.name}' has no version {version}. Versions: "
                        f"{', '.join(map(str, known)) or 'none'}.", known=known)


def find_alias(session: Session, model: ModelRow, alias: str) -> ModelAliasRow | None:
    return session.get(ModelAliasRow, (model.id, alias))


def resolve(session: Session, ref: ModelRef) -> tuple[ModelRow, ModelVersionRow]:
    """The model and version a reference names (a bare name: the newest version).

    Raises:
        NotFoundError: No such model, version or alias (or the alias points at nothing);
            the message lists the ones that exist.
    """
    model = find_model(session, ref.name)
    if ref.version is not None:
        return model, find_version(session, model, ref.version)
    if ref.alias is None:
        row = session.scalar(select(ModelVersionRow).where(ModelVersionRow.model_id == model.id)
                             .order_by(ModelVersionRow.version.desc()).limit(1))
        if row is None:
            raise NotFoundError("model version", ref.name,
                                f"Model '{ref.name}' has no versions.", known=[])
        return model, row
    alias = find_alias(session, model, ref.alias)
    if alias is None or alias.version_id is None:
        aliases = {a.alias: a.version_id for a in session.scalars(
            select(ModelAliasRow).where(ModelAliasRow.model_id == model.id))}
        known = sorted(a for a, v in aliases.items() if v is not None)
        why = "points at no version yet" if alias is not None else "does not exist"
        raise NotFoundError("model alias", str(ref),
                            f"Model '{ref.name}' alias '{ref.alias}' {why}. Aliases: "
                            f"{', '.join(known) or 'none'} (or name a version: "
                            f"'{ref.name}@1').", known=known)
    return model, session.get(ModelVersionRow, alias.version_id)
