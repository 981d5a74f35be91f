"""Notebook jobs: papermill runs of a notebook with parameters, in their own processes."""

from mlworkbench.core.jobs.errors import JobParameterError, KernelNotFoundError, OutputFolderError
from mlworkbench.core.jobs.jobs import Jobs
from mlworkbench.core.jobs.parameters import NotebookParameter
from mlworkbench.core.jobs.records import JobRun

__all__ = ["JobParameterError", "JobRun", "Jobs", "KernelNotFoundError", "NotebookParameter",
           "OutputFolderError"]
