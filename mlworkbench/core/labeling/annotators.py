"""Who is labeling: one name per person, whether the label comes from the panel or a kernel."""

from __future__ import annotations

import getpass
import os


def local_annotator() -> str:
    """The person at this machine: the JupyterHub user, else the operating-system user.

    A kernel, the CLI and a Jupyter server whose token does not name its user (every browser
    session gets a random anonymous identity) all label under this name, so one person's labels
    from the panel and from a notebook are one annotator's.
    """
    return os.environ.get("JUPYTERHUB_USER") or getpass.getuser()
