"""Wall time of every lab's solution and every chapter's code against its budget.

    python benchmarks/budgets.py            # all labs and chapters
    python benchmarks/budgets.py --only 04  # Lab 04 and Chapter 4

Each lab's solution notebook runs top to bottom through papermill (kernel start included), each
chapter page (a MyST notebook) through nbclient, one at a time, and the table shows seconds
against the budget the chapter standard and the chapter's issue set (labs 60 s; chapters 90 to
150 s). Speed targets live here, not in the tests: run it on a quiet machine and say so.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ["PYTHONPATH"] = os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])

import nbformat  # noqa: E402
import papermill  # noqa: E402
from myst_nb.core.read import read_myst_markdown_notebook  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

from grader.labs import all_labs  # noqa: E402

LAB_BUDGET = 60.0
# chapters whose issue set a budget other than 90 s
CHAPTER_BUDGETS = {"08": 120.0, "09": 120.0, "10": 150.0}


def time_lab(lab, work: Path) -> float:
    start = time.perf_counter()
    papermill.execute_notebook(str(lab.source_dir / lab.notebook_name), str(work / lab.notebook_name),
                               kernel_name="python3", progress_bar=False, cwd=str(work))
    return time.perf_counter() - start


def time_chapter(page: Path, work: Path) -> float:
    nb = read_myst_markdown_notebook(page.read_text())
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    start = time.perf_counter()
    # the book executes each page in its own folder (execution_in_temp is off)
    NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(page.parent)}}).execute()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="a two-digit number: that lab and that chapter only")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for lab in all_labs():
            if args.only in (None, lab.number):
                rows.append((f"Lab {lab.lab_id}", time_lab(lab, Path(tmp)), LAB_BUDGET))
                print(f"{rows[-1][0]:<40} {rows[-1][1]:7.1f} s", flush=True)
        for page in sorted((REPO / "book").glob("[0-9][0-9]-*.md")):
            number = page.name[:2]
            if args.only in (None, number):
                rows.append((f"Chapter {page.stem}", time_chapter(page, Path(tmp)), CHAPTER_BUDGETS.get(number, 90.0)))
                print(f"{rows[-1][0]:<40} {rows[-1][1]:7.1f} s", flush=True)
    print(f"\n{'what':<40} {'seconds':>8} {'budget':>8}")
    over = 0
    for name, seconds, budget in rows:
        flag = "" if seconds <= budget else "  OVER"
        over += bool(flag)
        print(f"{name:<40} {seconds:8.1f} {budget:8.0f}{flag}")
    print(f"\n{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
          f"load average at the end {os.getloadavg()[0]:.1f}")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
