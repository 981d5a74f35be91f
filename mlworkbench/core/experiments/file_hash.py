"""Content hashes of files: sha256, read in chunks so that a file of any size costs little
memory."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 20


@dataclass(frozen=True)
class FileState:
    """A file as it was seen: size, modification time (ns) and sha256 (None when not read)."""

    path: str
    size: int
    mtime_ns: int
    sha256: str | None = None

    @property
    def signature(self) -> tuple[str, int, int]:
        return (self.path, self.size, self.mtime_ns)


def sha256_file(path: str | os.PathLike) -> str:
    """The sha256 of a file's content, read in 1 MiB chunks.

    Args:
        path: The file.

    Returns:
        The hex digest.

    >>> import tempfile; f = tempfile.NamedTemporaryFile(delete=False); _ = f.write(b"abc")
    >>> f.close(); sha256_file(f.name)[:16]
    'ba7816bf8f01cfea'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def stat_file(path: str | os.PathLike) -> FileState:
    """Size and mtime of a file, without reading it.

    Raises:
        OSError: The file is gone or cannot be read.
    """
    st = os.stat(path)
    return FileState(str(Path(path)), st.st_size, st.st_mtime_ns)


def hash_file(path: str | os.PathLike, known: dict[tuple[str, int, int], str]) -> FileState:
    """A file's state with its sha256; reused from ``known`` when size and mtime match a state
    hashed before, else read. A file that changes while it is read is read again.

    Args:
        path: The file.
        known: sha256 by (path, size, mtime_ns) of earlier reads.

    Returns:
        The state, with its hash.

    Raises:
        OSError: The file is gone or cannot be read.
    """
    before = stat_file(path)
    for _ in range(3):
        if before.signature in known:
            return FileState(*before.signature, known[before.signature])
        digest = sha256_file(path)
        after = stat_file(path)
        if after == before:
            return FileState(*before.signature, digest)
        before = after
    return FileState(*before.signature, digest)  # still being written: the last content read
