"""Command line: ``python -m grader {release,autograde,formgrader,report,check}``."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from grader.labs import all_labs, find_lab
from grader.limits import CELL_TIMEOUT_S, MEMORY_MB, WALL_LIMIT_S


def _labs(spec: str | None):
    return [find_lab(spec)] if spec else all_labs()


def cmd_release(args: argparse.Namespace) -> int:
    from grader.release import release

    for lab in _labs(args.lab):
        out = release(lab)
        print(f"released {lab.lab_id} -> {out}")
    return 0


def cmd_autograde(args: argparse.Namespace) -> int:
    from grader.autograde import autograde

    lab = find_lab(args.lab)
    out = Path(args.out or f"grades/{lab.lab_id}")
    rows = autograde(
        Path(args.submissions), lab, out, workers=args.workers, force=args.force,
        cell_timeout=args.cell_timeout, wall_limit=args.wall_limit, memory_mb=args.memory_mb,
        no_network=not args.allow_network, db_url=args.db_url, dask_address=args.dask, sandbox=not args.no_sandbox,
    )
    graded = sum(row.status == "graded" for row in rows)
    print(f"{len(rows)} submission(s), {graded} graded; table: {out / 'grades.csv'}; feedback: {out / 'feedback'}")
    for row in rows:
        if row.status != "graded":
            print(f"  {row.student}: {row.status}: {row.reason}")
    return 0


def cmd_formgrader(args: argparse.Namespace) -> int:
    from grader.formgrader import open_formgrader

    lab = find_lab(args.lab)
    options = [f"--port={args.port}"] if args.port else []
    options += ["--no-browser"] if args.no_browser else []
    open_formgrader(lab, Path(args.out or f"grades/{lab.lab_id}"), options)
    return 0  # not reached: JupyterLab replaces this process


def cmd_report(args: argparse.Namespace) -> int:
    from grader.report import report

    lab = find_lab(args.lab)
    out = Path(args.out or f"grades/{lab.lab_id}")
    rows = report(lab, out, db_url=args.db_url)
    hand = sum("set by hand" in row.reason for row in rows)
    print(f"{len(rows)} submission(s), {hand} with scores set by hand; table: {out / 'grades.csv'}; feedback: {out / 'feedback'}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from grader.check import CACHE, check_lab, report

    failed = 0
    for lab in _labs(args.lab):
        with tempfile.TemporaryDirectory(prefix=f"check-{lab.number}-") as tmp:
            result = check_lab(lab, Path(tmp), cache=None if args.no_cache else CACHE)
        print(report(result), flush=True)
        failed += bool(result.failures)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("release", help="generate labs/ from solutions/ with nbgrader")
    p.add_argument("--lab", help="one lab (e.g. 01); default: all")
    p.set_defaults(func=cmd_release)

    p = sub.add_parser("autograde", help="grade a folder of submissions")
    p.add_argument("submissions", help="folder with one sub-folder per student")
    p.add_argument("--lab", required=True, help="lab number or id, e.g. 01")
    p.add_argument("--out", help="output folder (default: grades/<lab>)")
    p.add_argument("--workers", type=int, default=None, help="submissions graded at once (default: number of CPUs)")
    p.add_argument("--force", action="store_true", help="regrade submissions already graded and unchanged")
    p.add_argument("--cell-timeout", type=int, default=CELL_TIMEOUT_S, help="seconds per cell (default %(default)s)")
    p.add_argument("--wall-limit", type=int, default=WALL_LIMIT_S, help="seconds per submission (default %(default)s)")
    p.add_argument("--memory-mb", type=int, default=MEMORY_MB, help="address-space cap of the student's kernel, MB (default %(default)s)")
    p.add_argument("--allow-network", action="store_true", help="do not cut the kernel's network")
    p.add_argument("--no-sandbox", action="store_true",
                   help="grade without bubblewrap (students' code runs with the grader's rights); every row and feedback page says so")
    p.add_argument("--db-url", help="gradebook database URL (default: SQLite in OUT/course/gradebook.db)")
    p.add_argument("--dask", metavar="ADDRESS", help="grade on a dask.distributed scheduler at ADDRESS")
    p.set_defaults(func=cmd_autograde)

    p = sub.add_parser("formgrader", help="open a graded lab's course folder in JupyterLab's formgrader (hand grading)")
    p.add_argument("--lab", required=True, help="lab number or id, e.g. 01")
    p.add_argument("--out", help="the folder autograde wrote (default: grades/<lab>)")
    p.add_argument("--port", type=int, help="JupyterLab's port (default: 8888 or the next free one)")
    p.add_argument("--no-browser", action="store_true", help="print the address instead of opening a browser")
    p.set_defaults(func=cmd_formgrader)

    p = sub.add_parser("report", help="rewrite grades.csv and the feedback pages from the gradebook (after hand grading)")
    p.add_argument("--lab", required=True, help="lab number or id, e.g. 01")
    p.add_argument("--out", help="the folder autograde wrote (default: grades/<lab>)")
    p.add_argument("--db-url", help="gradebook database URL, if autograde was given one")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("check", help="prove each lab's tests: full marks, zero, and mutants lose points")
    p.add_argument("--lab", help="one lab (e.g. 01); default: all")
    p.add_argument("--no-cache", action="store_true", help="grade everything again, ignoring .cache/check/")
    p.set_defaults(func=cmd_check)

    args = parser.parse_args(argv)
    return args.func(args)
