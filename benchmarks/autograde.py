"""Plain `nbgrader autograde` against `python -m grader autograde` on the same class of submissions.

Builds a class of Lab 01 submissions (correct, partly wrong, blank, damaged and hostile), grades
it once with each tool, and prints both wall times, their ratio, and whether every score agrees on
the submissions both could grade.

    python benchmarks/autograde.py            # one class (60 submissions today), workers = CPUs
    python benchmarks/autograde.py --copies 2 # 80
    python benchmarks/autograde.py --sandbox-cost  # also ours with --no-sandbox, and kernel start times

The sandbox's cost is measured two ways with ``--sandbox-cost``: the whole class graded again
without it, and the time to start a kernel, run ``import numpy`` and shut it down, with and
without it (the median of several starts, one at a time).

Hangs are left out of the class on purpose: plain nbgrader waits out the cell timeout on every
remaining cell of such a notebook, which says nothing about speed.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from bad_submissions import CASES  # noqa: E402
from grader.autograde import autograde  # noqa: E402
from grader.bwrap import Sandbox, kernel_manager  # noqa: E402
from grader.check import load_mutants, with_mutant  # noqa: E402
from grader.course import COURSE_ID, stage_course  # noqa: E402
from grader.labs import find_lab  # noqa: E402

HOSTILE = ["kernel_exit", "kernel_segfault"]
DAMAGED = ["invalid_json", "old_nbformat_v3", "deleted_test_cells", "stripped_metadata"]


def build_class(lab, dest: Path, copies: int) -> list[str]:
    """Write one folder per student; returns the student ids."""
    solution = nbformat.read(lab.source_dir / lab.notebook_name, as_version=4)
    released = nbformat.read(lab.release_dir / lab.notebook_name, as_version=4)
    notebooks: dict[str, bytes] = {}
    for k in range(copies):
        for i in range(12):
            notebooks[f"correct-{k}-{i}"] = nbformat.writes(solution).encode()
        for mutant in load_mutants(lab):
            notebooks[f"wrong-{k}-{mutant.name}"] = nbformat.writes(with_mutant(solution, mutant)).encode()
        for i in range(4):
            notebooks[f"blank-{k}-{i}"] = nbformat.writes(released).encode()
        for name in DAMAGED + HOSTILE:
            notebooks[f"{name}-{k}"] = CASES[name](solution, released)[0]
    for student, data in notebooks.items():
        (dest / student).mkdir(parents=True)
        (dest / student / lab.notebook_name).write_bytes(data)
    return sorted(notebooks)


def plain_nbgrader(lab, subs: Path, students: list[str], root: Path, cell_timeout: int) -> tuple[float, dict[str, float]]:
    stage_course(lab, root)
    for student in students:
        target = root / "submitted" / student / lab.lab_id
        target.mkdir(parents=True)
        shutil.copy(subs / student / lab.notebook_name, target / lab.notebook_name)
    nbgrader = Path(sys.executable).parent / "nbgrader"
    start = time.perf_counter()
    subprocess.run(
        [str(nbgrader), "autograde", lab.lab_id, "--force", "--create", f"--CourseDirectory.root={root}",
         f"--CourseDirectory.course_id={COURSE_ID}", f"--Execute.timeout={cell_timeout}"],
        cwd=root, capture_output=True, text=True,
    )
    seconds = time.perf_counter() - start
    from nbgrader.api import Gradebook, MissingEntry

    scores = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", COURSE_ID) as gb:
        for student in students:
            if not (root / "autograded" / student / lab.lab_id / lab.notebook_name).exists():
                continue  # nbgrader failed on it and removed its output: not graded
            try:
                scores[student] = float(gb.find_submission(lab.lab_id, student).score)
            except MissingEntry:
                pass  # nbgrader dropped it
    return seconds, scores


def kernel_start_seconds(sandboxed: bool, starts: int) -> float:
    """Median seconds to start a kernel, run ``import numpy`` in it and shut it down."""

    async def once() -> float:
        box = Sandbox(enabled=sandboxed)
        km = kernel_manager(box, kernel_name="python3")
        start = time.perf_counter()
        try:
            await km.start_kernel()
            kc = km.client()
            kc.start_channels()
            await kc.wait_for_ready(timeout=120)
            await kc.execute_interactive("import numpy", timeout=120)
            kc.stop_channels()
            await km.shutdown_kernel()
            return time.perf_counter() - start
        finally:
            box.close()

    return statistics.median(asyncio.run(once()) for _ in range(starts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=1, help="classes to grade: each has 12 correct, one per Lab 01 mutant (38 today), 4 blank, 4 damaged and 2 hostile submissions")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--cell-timeout", type=int, default=60)
    parser.add_argument("--sandbox-cost", action="store_true", help="also grade without the sandbox, and time kernel starts")
    args = parser.parse_args()
    lab = find_lab("01")
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        students = build_class(lab, tmp / "subs", args.copies)
        print(f"{len(students)} submissions of {lab.lab_id}; {os.cpu_count()} CPUs; {platform.platform()}; Python {platform.python_version()}", flush=True)

        plain_seconds, plain = plain_nbgrader(lab, tmp / "subs", students, tmp / "plain", args.cell_timeout)
        print(f"plain nbgrader autograde: {plain_seconds:7.1f} s, graded {len(plain)} of {len(students)} (the rest failed and scored 0)", flush=True)

        start = time.perf_counter()
        rows = autograde(tmp / "subs", lab, tmp / "ours", workers=args.workers, force=True,
                         cell_timeout=args.cell_timeout, progress=False)
        ours_seconds = time.perf_counter() - start
        ours = {row.student: row.total for row in rows}
        graded = sum(row.status == "graded" for row in rows)
        print(f"python -m grader autograde: {ours_seconds:7.1f} s, graded {graded} of {len(students)}, rows {len(rows)}", flush=True)

        if args.sandbox_cost:
            start = time.perf_counter()
            bare = autograde(tmp / "subs", lab, tmp / "bare", workers=args.workers, force=True,
                             cell_timeout=args.cell_timeout, progress=False, sandbox=False)
            bare_seconds = time.perf_counter() - start
            same = all(a.total == b.total for a, b in zip(rows, bare))
            print(f"ours with --no-sandbox:     {bare_seconds:7.1f} s (same scores: {same}); the sandbox adds "
                  f"{ours_seconds - bare_seconds:+.1f} s, {(ours_seconds - bare_seconds) / len(students):+.2f} s per submission", flush=True)
            plain_start, boxed_start = kernel_start_seconds(False, 5), kernel_start_seconds(True, 5)
            print(f"kernel start, import numpy, shutdown (median of 5): without the sandbox {plain_start:.2f} s, "
                  f"in it {boxed_start:.2f} s ({boxed_start - plain_start:+.2f} s)", flush=True)

    graded_by_us = {s for s, r in zip(ours, rows) if r.status == "graded"}
    damaged = {s for s in students if s.rsplit("-", 1)[0] in DAMAGED}
    both = sorted((set(plain) & graded_by_us) - damaged)
    disagree = [f"{s}: nbgrader {plain[s]:g}, ours {ours[s]:g}" for s in both if abs(plain[s] - ours[s]) > 1e-9]
    print(f"speed-up: {plain_seconds / ours_seconds:.2f}x")
    print(f"scores agree on all {len(both)} undamaged submissions both graded: {not disagree}")
    for line in disagree:
        print("  differs:", line)
    print("damaged notebooks (plain nbgrader cannot see their tests or solutions; ours rebuilds them):")
    for s in sorted(damaged):
        print(f"  {s:28s} nbgrader {plain[s]:g}" if s in plain else f"  {s:28s} nbgrader failed", f"  ours {ours[s]:g}")
    missing = sorted(set(students) - set(plain) - damaged)
    print(f"hostile notebooks plain nbgrader did not grade: {', '.join(missing) or 'none'}")
    print("ours on those:", ", ".join(f"{s} {ours[s]:g}" for s in missing))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
