"""Every ``python -m grader ...`` command that README.md and the site show, run exactly as written.

An instructor copies these lines into a shell at the root of a fresh clone, with the course's
environment active. So does this test: it copies the repository's files (what a clone holds:
tracked and not-ignored files) into a temporary folder, links the environment that ``make env``
creates there (``.venv``, ``node_modules``, ``_vendor``), puts ``.venv/bin`` first on ``PATH`` as
activating it would, and runs each command string unchanged through the shell, from the root,
with its default options and relative paths. Only the inputs a command needs are created first:
a ``SUBMISSIONS/`` folder with one student's notebook.

Two commands are run in their cheapest honest form, and the test says so:
- ``python -m grader check`` (with or without ``--lab``) runs unchanged in a clone that holds the
  verdicts this session computed through the API (``.cache/check/``, keyed by the solution, the
  mutant and the grader's code): grading every lab twice would only repeat the same computation;
- ``python benchmarks/autograde.py`` (about 12 minutes) is shown by the README only; the test runs
  the same command with ``--help`` (the script is there and starts) and asserts the README line.
A command that the README or the site starts to show fails the first test until it is given a
runner here (or, with a reason, a place in DOCUMENTED_ONLY).
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.labs import REPO, all_labs
from lab_server import running

pytestmark = pytest.mark.slow
# what a fresh clone plus `make env` has that git does not track
ENVIRONMENT = [".venv", "node_modules", "_vendor"]


def shown_commands(path: Path) -> list[str]:
    """`python -m grader` commands a page shows: lines of its ```bash blocks (comments removed) and
    inline code spans."""
    text = path.read_text()
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        for line in block.splitlines():
            command = line.split("#", 1)[0].strip()
            if command.startswith("python -m grader"):
                commands.append(command)
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    commands += [span.strip() for span in re.findall(r"`(python -m grader[^`]*)`", text)]
    return commands


README_COMMANDS = shown_commands(REPO / "README.md")
SITE_COMMANDS = [c for page in sorted((REPO / "book").glob("*.md")) for c in shown_commands(page)]
ALL_COMMANDS = sorted(set(README_COMMANDS + SITE_COMMANDS))


def test_readme_and_site_show_grader_commands():
    assert README_COMMANDS, "README.md shows no `python -m grader` command"
    assert SITE_COMMANDS, "the site shows no `python -m grader` command"
    # every command shown is one this file runs, or one it names as documented only, with the reason
    unknown = set(ALL_COMMANDS) - set(RUNNERS) - set(DOCUMENTED_ONLY)
    assert not unknown, f"commands shown without a test: {unknown}"


def fresh_clone(tmp_path: Path, labs: list[str] | None = None) -> Path:
    """The repository's files as a clone has them, with the environment `make env` would have made."""
    root = tmp_path / "course"
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if not source.is_file():
            continue  # deleted in the working tree but not yet in the index
        if labs is not None and name.startswith(("solutions/", "labs/")) and name.split("/")[1] not in labs:
            continue
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, root / name)
    for name in ENVIRONMENT:
        if (REPO / name).exists():
            (root / name).symlink_to((REPO / name).resolve())
    return root


def shell_env(root: Path) -> dict[str, str]:
    """The environment of a shell at ``root`` with the course's environment activated."""
    venv_bin = root / ".venv" / "bin"
    bin_dir = venv_bin if venv_bin.is_dir() else Path(sys.executable).parent
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(bin_dir.parent)
    # `make env` installs this checkout as an editable package; in the copy, the copy's own files
    # must be the ones imported (by the command and by the kernels it starts), so point there
    env["PYTHONPATH"] = str(root)
    return env


def run_as_written(command: str, root: Path, timeout: int) -> subprocess.CompletedProcess:
    return subprocess.run(command, shell=True, cwd=root, env=shell_env(root), capture_output=True, text=True, timeout=timeout)


def _release(tmp_path: Path, command: str) -> None:
    root = fresh_clone(tmp_path)
    shutil.rmtree(root / "labs")
    proc = run_as_written(command, root, timeout=900)
    assert proc.returncode == 0, f"{command!r} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    spec = re.search(r"--lab (\S+)", command)
    for lab in all_labs():
        if spec and spec.group(1) not in (lab.number, lab.lab_id):
            assert not (root / "labs" / lab.lab_id).exists(), f"{command!r} released {lab.lab_id} too"
            continue
        produced = root / "labs" / lab.lab_id / lab.notebook_name
        assert produced.is_file(), f"{command!r} did not write labs/{lab.lab_id}/{lab.notebook_name}"


def _lab_of(command: str):
    spec = re.search(r"--lab (\S+)", command).group(1)
    return next(lab for lab in all_labs() if lab.number == spec.zfill(2) or lab.lab_id == spec)


def _autograde(tmp_path: Path, command: str) -> Path:
    lab = _lab_of(command)
    submissions = re.search(r"autograde (\S+)", command).group(1)
    root = fresh_clone(tmp_path)
    student = root / submissions / "student01"
    student.mkdir(parents=True)
    shutil.copy(lab.release_dir / lab.notebook_name, student / lab.notebook_name)  # handed in untouched
    proc = run_as_written(command, root, timeout=900)
    assert proc.returncode == 0, f"{command!r} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    table = root / "grades" / lab.lab_id / "grades.csv"  # the default output folder
    assert table.is_file(), f"{command!r} wrote no grades/{lab.lab_id}/grades.csv:\n{proc.stdout[-2000:]}"
    rows = list(csv.DictReader(table.open()))
    assert [row["student"] for row in rows] == ["student01"], rows
    assert rows[0]["status"] == "graded", rows[0]
    assert float(rows[0]["total"]) == 0, f"an untouched student version scored {rows[0]['total']}"
    assert (root / "grades" / lab.lab_id / "feedback" / "student01.html").is_file()
    return root


AUTOGRADE_LINE = "python -m grader autograde SUBMISSIONS --lab 01"


def _formgrader(tmp_path: Path, command: str) -> None:
    """After the README's autograde line, the formgrader line as written; the server it starts must
    list that submission under the released lab. (``BROWSER=true``: a test machine has no browser
    to open; JupyterLab then only prints its address, which the test reads.)"""
    lab = _lab_of(command)
    root = _autograde(tmp_path, AUTOGRADE_LINE.replace("--lab 01", f"--lab {lab.number}"))
    with running(command, cwd=root, env={**shell_env(root), "BROWSER": "true"}) as server:
        assignments = server.call("formgrader/api/assignments")
        assert [(a["name"], a["status"], a["num_submissions"]) for a in assignments] == [(lab.lab_id, "released", 1)], assignments
        assert [s["student"] for s in server.call(f"formgrader/api/submissions/{lab.lab_id}")] == ["student01"]


def _report(tmp_path: Path, command: str) -> None:
    """After the README's autograde line, the report line as written: the same table again and the
    feedback page rewritten."""
    lab = _lab_of(command)
    root = _autograde(tmp_path, AUTOGRADE_LINE.replace("--lab 01", f"--lab {lab.number}"))
    out = root / "grades" / lab.lab_id
    before = (out / "grades.csv").read_text()
    (out / "feedback" / "student01.html").unlink()
    proc = run_as_written(command, root, timeout=300)
    assert proc.returncode == 0, f"{command!r} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    assert (out / "grades.csv").read_text() == before
    assert (out / "feedback" / "student01.html").is_file()


def _check(tmp_path: Path, command: str) -> None:
    """`grader check` as written, in a clone that holds this session's verdicts: the verdicts
    themselves are computed (or found unchanged) through the API first, the same code on the same
    files, so the command in the clone proves what only it can: that it runs from the root as
    typed, finds every lab and reports `ok`."""
    from grader.check import CACHE, check_lab

    spec = re.search(r"--lab (\S+)", command)
    labs = [lab for lab in all_labs() if spec is None or spec.group(1) in (lab.number, lab.lab_id)]
    for lab in labs:
        assert not check_lab(lab, tmp_path / f"api-{lab.number}", progress=False).failures
    root = fresh_clone(tmp_path)
    shutil.copytree(CACHE, root / CACHE.relative_to(REPO))
    proc = run_as_written(command, root, timeout=900)
    assert proc.returncode == 0, f"{command!r} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    for lab in labs:
        assert re.search(rf"^{lab.lab_id}:\n(?:  .*\n)*?  ok$", proc.stdout, re.M), f"{command!r} did not report {lab.lab_id} ok:\n{proc.stdout[-3000:]}"


def _template(runner):
    """A line of the README's "add a lab" steps, where ``NN`` stands for the new lab's number: run
    with ``NN`` replaced by ``01``, otherwise unchanged."""
    return lambda tmp_path, command: runner(tmp_path, command.replace(" NN", " 01"))


RUNNERS = {
    "python -m grader release": _release,
    "python -m grader autograde SUBMISSIONS --lab 01": _autograde,
    "python -m grader check": _check,
    "python -m grader formgrader --lab 01": _formgrader,
    "python -m grader report --lab 01": _report,
    "python -m grader check --lab 01": _check,
    "python -m grader check --lab 05": _check,
    "python -m grader release --lab NN": _template(_release),
    "python -m grader check --lab NN": _template(_check),
}
DOCUMENTED_ONLY = {
    "python -m grader": "README names the entry point in running text",
    # names of commands in running text, not lines to type (the lines themselves are run above)
    "python -m grader release / autograde / check": "README's layout table names the three subcommands",
    "python -m grader autograde": "grading.md's Speed section names the command; its full line is run above",
}


@pytest.mark.parametrize("command", [c for c in ALL_COMMANDS if c in RUNNERS])
def test_command_runs_as_written_from_the_repository_root(tmp_path, command):
    RUNNERS[command](tmp_path, command)


def test_benchmark_command_is_shown_and_starts(tmp_path):
    readme = (REPO / "README.md").read_text()
    assert "python benchmarks/autograde.py                    # plain nbgrader vs ours on a class of 60" in readme
    proc = run_as_written("python benchmarks/autograde.py --help", REPO, timeout=120)
    assert proc.returncode == 0 and "--copies" in proc.stdout, proc.stderr[-2000:]
