"""``python -m mlworkbench.demo <target_dir> [--scale X] [--force]``: seed and register."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mlworkbench.demo.jobs import SCHEDULE
from mlworkbench.demo.seed import seed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m mlworkbench.demo",
        description="Write demo data under TARGET_DIR/data and register it in the workspace "
        "TARGET_DIR/.mlworkbench.",
    )
    parser.add_argument("target_dir", type=Path)
    parser.add_argument("--scale", type=float, default=1.0, help="row-count factor (default 1)")
    parser.add_argument("--force", action="store_true", help="rewrite existing files")
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be positive")

    from mlworkbench.core import Workspace

    target = args.target_dir.resolve()
    target.mkdir(parents=True, exist_ok=True)
    workspace = Workspace.open(target / ".mlworkbench", root_dir=target)
    try:
        done = seed(target, workspace, scale=args.scale, force=args.force)
    finally:
        workspace.close()
    for item in done:
        if item.startswith("source:"):
            print(f"registered source {item.removeprefix('source:')}")
        elif item.startswith("job:"):
            name = item.removeprefix("job:")
            print(f"saved job {name} (runs {SCHEDULE} UTC; see the Jobs panel)")
        else:
            print(f"wrote {target / item}")
    if not done:
        print(f"Nothing to do: {target} is already seeded and registered.")
    print(f"Workspace: {workspace.path}. Try: {target / 'welcome.sql'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
