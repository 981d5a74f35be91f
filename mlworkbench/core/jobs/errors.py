"""Errors of notebook jobs; each names what to fix."""

from __future__ import annotations

from typing import Any

from mlworkbench.core.errors import BadRequestError, NotFoundError


class JobParameterError(BadRequestError):
    """A parameter the notebook does not declare, or a value not of its declared type."""

    code = "bad_job_parameter"

    def __init__(self, name: str, reason: str, **detail: Any) -> None:
        super().__init__("parameters", reason, parameter=name, **detail)
        self.parameter = name


class KernelNotFoundError(NotFoundError):
    """No Jupyter kernel of that name is installed."""

    code = "kernel_not_found"


class OutputFolderError(BadRequestError):
    """The output folder cannot be created or written to."""

    code = "output_folder_not_writable"

    def __init__(self, folder: str, reason: str) -> None:
        super().__init__("output_dir", reason, folder=folder)
        self.folder = folder
