"""Image columns: which values are images, where a local one is, whether it may be served."""

from __future__ import annotations

import base64
import mimetypes
import os
import re
from pathlib import Path
from urllib.parse import quote as url_quote

from mlworkbench.core.errors import ForbiddenPathError, NotFoundError
from mlworkbench.schemas.labeling import ItemImage

IMAGE_PATTERN = re.compile(r"\.(png|jpe?g|gif|webp|bmp|svg|tiff?|avif)(\?.*)?$", re.IGNORECASE)
REMOTE_PREFIXES = ("http://", "https://", "data:image/")


def is_image(value: object) -> bool:
    """A path or URL ending in an image extension, or an inline data URL."""
    return isinstance(value, str) and (
        value.startswith("data:image/") or bool(IMAGE_PATTERN.search(value.strip()))
    )


def is_remote(value: str) -> bool:
    return value.startswith(REMOTE_PREFIXES)


def local_path(value: str, root: Path) -> Path:
    """The file a local image value names, resolved against the Jupyter root.

    Raises:
        ForbiddenPathError: It resolves (links followed) outside the root.
    """
    root = Path(os.path.realpath(root))
    path = Path(os.path.realpath(root / Path(value).expanduser()))
    if path != root and root not in path.parents:
        raise ForbiddenPathError(
            f"The image '{value}' is outside the Jupyter root; only files under it are served.",
            path=value,
        )
    return path


def data_url(path: Path, limit: int) -> str | None:
    """A local image file as an inline ``data:`` URL (any frontend shows it, with no route to
    the file), or None when the file is larger than ``limit`` bytes.

    Raises:
        OSError: The file cannot be read.
    """
    if path.stat().st_size > limit:
        return None
    # An image type mimetypes does not know (avif before Python 3.13) is named by its suffix.
    kind = mimetypes.guess_type(path.name)[0] or f"image/{path.suffix.lstrip('.').lower()}"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"


def image(value: str, *, root: Path, name: str, key: str, column: str) -> ItemImage:
    """What the labeler needs to show one image value."""
    if is_remote(value):
        return ItemImage(url=value, local=False, missing=False)
    url = (
        f"labelsets/{url_quote(name, safe='')}/image?key={url_quote(key, safe='')}"
        f"&column={url_quote(column, safe='')}"
    )
    try:
        missing = not local_path(value, root).is_file()
    except ForbiddenPathError:
        missing = True
    return ItemImage(url=url, local=True, missing=missing)


def served_file(value: str | None, *, root: Path, key: str, column: str) -> Path:
    """The local file to serve for an item's image column.

    Raises:
        NotFoundError: No value, a remote URL, or no such file.
        ForbiddenPathError: The path leaves the Jupyter root.
    """
    if value is None or not isinstance(value, str) or is_remote(value):
        raise NotFoundError(
            "image",
            f"{key}/{column}",
            f"Item '{key}' has no local image in column '{column}'.",
        )
    path = local_path(value, root)
    if not path.is_file():
        raise NotFoundError(
            "image", value, f"The image '{value}' of item '{key}' does not exist.", missing=True
        )
    return path
