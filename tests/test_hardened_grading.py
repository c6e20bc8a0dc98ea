"""The corpus of bad submissions: none is lost, none crashes the batch, none gains points, none
gets out of the sandbox, and nothing it started outlives the batch."""

from __future__ import annotations

import csv
import os
from html.parser import HTMLParser
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from bad_submissions import CASES, Targets, escapes
from grader.autograde import autograde
from grader.bwrap import UID_BASE
from grader.labs import REPO, find_lab
from leaks import html_text, leaked, secret_lines

pytestmark = pytest.mark.slow
LAB = find_lab("01")
MARKER = "course-survivor-7f3a"  # carried by the background processes the corpus starts
CANARY = "grader-secret-c4n4ry"  # in the grader's environment; no kernel may read it
ESCAPE_NAMES = list(escapes(Targets("", "", "", "")))


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    subs = root / "subs"
    solution = nbformat.read(LAB.source_dir / LAB.notebook_name, as_version=4)
    released = nbformat.read(LAB.release_dir / LAB.notebook_name, as_version=4)
    cases = {**CASES, **escapes(Targets(str(REPO), str(root / "out"), str(subs), MARKER))}
    expectations = {}
    for name, build in cases.items():
        data, expect = build(solution, released)
        (subs / name).mkdir(parents=True)
        (subs / name / LAB.notebook_name).write_bytes(data)
        expectations[name] = expect
    (subs / "no_notebook").mkdir()
    os.environ["COURSE_TEST_CANARY"] = CANARY
    try:
        rows = autograde(subs, LAB, root / "out", workers=2, cell_timeout=20, wall_limit=240, memory_mb=3072, progress=False)
    finally:
        del os.environ["COURSE_TEST_CANARY"]
    return root, {row.student: row for row in rows}, expectations


def graded_outputs(root: Path, student: str) -> str:
    """Everything the graded notebook kept as output (not its code)."""
    nb = nbformat.read(root / "out" / "course" / "autograded" / student / LAB.lab_id / LAB.notebook_name, as_version=4)
    return "\n".join(str(o.get("text", "")) + str(o.get("data", "")) + str(o.get("evalue", ""))
                     for cell in nb.cells for o in cell.get("outputs", []))


def test_every_submission_gets_a_row(corpus_run):
    root, rows, expectations = corpus_run
    assert sorted(rows) == sorted([*expectations, "no_notebook"])
    with open(root / "out" / "grades.csv") as handle:
        assert len(list(csv.DictReader(handle))) == len(rows)
    assert rows["no_notebook"].status == "ungradable" and "no notebook" in rows["no_notebook"].reason


@pytest.mark.parametrize("case", [*CASES, *ESCAPE_NAMES])
def test_case_outcome(corpus_run, case):
    _, rows, expectations = corpus_run
    row, expect = rows[case], expectations[case]
    assert row.status == expect.status, f"{case}: {row.status} ({row.reason})"
    if expect.total == "full":
        assert row.total == row.max_total, f"{case}: {row.total}/{row.max_total} ({row.reason})"
    elif expect.total == "zero":
        assert row.total == 0, f"{case}: gained {row.total} points ({row.reason})"
    else:
        assert [row.tasks.get(t, 0) for t in ("1.1", "1.2", "1.3")] == [3, 3, 2], f"{case}: finished tasks lost"
        assert row.total == 8, f"{case}: {row.total} points; only tasks 1.1-1.3 ran"
    assert expect.reason in row.reason, f"{case}: reason {row.reason!r} lacks {expect.reason!r}"
    if expect.shows:
        assert expect.shows in graded_outputs(corpus_run[0], case), f"{case}: the graded notebook lacks {expect.shows!r}"


def test_nothing_a_submission_started_outlives_the_batch(corpus_run):
    """Daemons, detached children and fork bombs die with their kernel's PID namespace."""
    left = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            uid = int(next(line for line in status.read_text().splitlines() if line.startswith("Uid:")).split()[1])
            cmdline = (status.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, StopIteration):
            continue  # it ended while we looked
        if MARKER in cmdline and "pytest" not in cmdline or uid >= UID_BASE:
            left.append(f"{status.parent.name} uid={uid}: {cmdline[:200]}")
    assert not left, "processes outlived grading:\n" + "\n".join(left)


def test_grader_files_and_other_students_untouched(corpus_run):
    root, rows, _ = corpus_run
    planted = [str(p) for base in (root, REPO / "solutions", REPO) for p in base.glob("**/PWNED-by-student")]
    planted += [str(p) for p in root.rglob("fill-*")]
    assert not planted, planted
    with open(root / "out" / "grades.csv") as handle:
        assert sorted(r["student"] for r in csv.DictReader(handle)) == sorted(rows)
    for student in ("stripped_metadata", "old_nbformat_v3"):  # other students' notebooks read back intact
        nbformat.read(root / "subs" / student / LAB.notebook_name, as_version=4)


def test_grader_environment_never_reaches_a_kernel(corpus_run):
    root, rows, _ = corpus_run
    seen = graded_outputs(root, "grader_command_line_and_environment")
    assert "1 cmdline" in seen and "2 environ" in seen, "the probe did not run"
    for path in [*(root / "out" / "course" / "autograded").rglob("*.ipynb"), *(root / "out" / "feedback").glob("*.html")]:
        assert CANARY not in path.read_text(errors="replace"), f"{path} shows the grader's environment"


def test_a_gigabyte_of_output_is_cut_short(corpus_run):
    root, _, _ = corpus_run
    for student in ("print_a_gigabyte", "print_past_the_kernels_cap"):
        stored = root / "out" / "course" / "autograded" / student / LAB.lab_id / LAB.notebook_name
        assert stored.stat().st_size < 5 * 2**20, f"{student}: {stored.stat().st_size} bytes kept"
        assert (root / "out" / "feedback" / f"{student}.html").stat().st_size < 10 * 2**20


def test_grader_memory_stays_bounded_when_a_kernel_prints_a_gigabyte(corpus_run, tmp_path):
    """One worker grades the submission that gets past the kernel's own cap; its peak memory stays
    far below the gigabyte printed (messages over 8 MiB are dropped, 16 queued at most, 2 MB a cell is kept)."""
    root, _, _ = corpus_run
    script = f"""
from pathlib import Path
from grader.course import stage_course
from grader.labs import find_lab
from grader.worker import Job, grade
lab = find_lab("01")
stage_course(lab, Path({str(tmp_path / "template")!r}))
result = grade(Job(lab.lab_id, lab.notebook_name, "big", {str(root / "subs" / "print_past_the_kernels_cap" / LAB.notebook_name)!r},
                   "", {str(tmp_path / "template")!r}, {str(tmp_path / "out")!r}, 20, 240, 3072))
# VmHWM, this process's own peak: ru_maxrss would also count the pytest process it was forked
# from (Linux keeps the larger of the two across exec), about 1.2 GB late in a full run
peak_kb = int(next(line for line in open("/proc/self/status") if line.startswith("VmHWM:")).split()[1])
print(result["status"], sum(result["grades"].values()), peak_kb // 1024)
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    status, points, peak_mb = proc.stdout.split()[-3:]
    assert status == "graded" and float(points) == 30, proc.stdout[-2000:]
    assert int(peak_mb) < 1024, f"the grader peaked at {peak_mb} MB while a kernel printed 1 GiB"


def test_formgraders_generate_feedback_reveals_no_hidden_test(corpus_run, tmp_path):
    """nbgrader's own "Generate Feedback", run as formgrader would on the course folder autograde
    wrote: with the folder's nbgrader_config.py, and without it (the stored notebooks hold no
    hidden-test code at all)."""
    root, _, _ = corpus_run
    hidden = secret_lines()[LAB.lab_id].hidden - secret_lines()[LAB.lab_id].solution
    source = nbformat.read(root / "out" / "course" / "source" / LAB.lab_id / LAB.notebook_name, as_version=4)
    assert leaked("\n".join(c.source for c in source.cells), hidden), "the leak detector finds nothing to look for"
    nbgrader = Path(sys.executable).parent / "nbgrader"
    for variant in ("with the folder's config", "without any config"):
        course = tmp_path / variant.replace(" ", "-") / "course"
        shutil.copytree(root / "out" / "course", course)
        if variant == "without any config":
            (course / "nbgrader_config.py").unlink()
        # nbgrader reads nbgrader_config.py from the folder it runs in, as formgrader does
        proc = subprocess.run([str(nbgrader), "generate_feedback", LAB.lab_id, "--force", f"--CourseDirectory.root={course}"],
                              cwd=course, capture_output=True, text=True, timeout=900)
        pages = sorted((course / "feedback").rglob("*.html"))
        assert len(pages) >= 10, f"{variant}: {len(pages)} pages\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}"
        for page in pages:
            assert not leaked(html_text(page), hidden), f"{variant}: {page} shows hidden tests"


def test_rerun_skips_graded_and_regrades_changed(corpus_run):
    root, rows, _ = corpus_run
    results = root / "out" / "results"
    before = {p.name: p.stat().st_mtime_ns for p in results.glob("*.json")}
    changed = root / "subs" / "kernel_exit" / LAB.notebook_name
    changed.write_bytes(changed.read_bytes().replace(b"os._exit(3)", b"pass"))
    again = {r.student: r for r in autograde(root / "subs", LAB, root / "out", workers=2, progress=False)}
    after = {p.name: p.stat().st_mtime_ns for p in results.glob("*.json")}
    regraded = sorted(name for name in after if after[name] != before.get(name))
    assert regraded == ["kernel_exit.json"], regraded
    assert again["kernel_exit"].total == again["kernel_exit"].max_total
    assert {s: r.total for s, r in again.items() if s != "kernel_exit"} == {s: r.total for s, r in rows.items() if s != "kernel_exit"}


def test_serial_parallel_and_dask_grading_agree(corpus_run, tmp_path):
    from distributed import LocalCluster

    root, rows, _ = corpus_run
    subs = tmp_path / "subs"
    names = ["stripped_metadata", "edited_test_cells", "ignores_interrupts"]
    for name in names:
        (subs / name).mkdir(parents=True)
        (subs / name / LAB.notebook_name).write_bytes((root / "subs" / name / LAB.notebook_name).read_bytes())
    serial = {r.student: r.tasks for r in autograde(subs, LAB, tmp_path / "serial", workers=1, cell_timeout=20, progress=False)}
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        on_dask = {r.student: r.tasks for r in autograde(
            subs, LAB, tmp_path / "dask", dask_address=cluster.scheduler_address, cell_timeout=20, progress=False)}
    assert serial == on_dask == {name: rows[name].tasks for name in names}


def test_tampering_would_pay_without_the_protections(corpus_run, tmp_path):
    """The hostile cases are real: graded in-kernel only and without the sandbox, they gain points;
    with the protections (the corpus run above) they score zero. Such a run says so everywhere."""
    root, rows, _ = corpus_run
    subs = tmp_path / "subs"
    names = ["tamper_comparisons", "reads_instructor_files", "proc_root_of_ancestors"]  # harmless to run as root
    for name in names:
        (subs / name).mkdir(parents=True)
        (subs / name / LAB.notebook_name).write_bytes((root / "subs" / name / LAB.notebook_name).read_bytes())
        assert rows[name].total == 0
    unprotected = {r.student: r for r in autograde(subs, LAB, tmp_path / "out", cell_timeout=20, progress=False,
                                                   protections=False, sandbox=False)}
    for name in names:
        assert unprotected[name].total > 0, (name, unprotected[name])
        assert "WITHOUT the sandbox" in unprotected[name].reason
        assert "WITHOUT the sandbox" in html_text(tmp_path / "out" / "feedback" / f"{name}.html")


def test_gradebook_has_every_submission(corpus_run):
    from nbgrader.api import Gradebook

    root, rows, _ = corpus_run
    with Gradebook(f"sqlite:///{root / 'out' / 'course' / 'gradebook.db'}", "dl-course") as gb:
        students = {s.id for s in gb.students}
        assert students == set(rows)
        assert gb.find_submission(LAB.lab_id, "stripped_metadata").score == rows["stripped_metadata"].total


def _dump_dom(page: Path, profile: Path) -> str:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium is not installed (make test installs it where apt-get is allowed)")
    proc = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}", "--virtual-time-budget=5000",
         "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert "</html>" in proc.stdout, proc.stderr[-2000:]
    return proc.stdout


def test_feedback_page_runs_no_script_of_the_student(corpus_run, tmp_path):
    """The feedback page of a notebook whose outputs carry scripts, event handlers, javascript:
    links, JavaScript and SVG outputs, opened in headless Chromium: nothing of it ran. The same
    payloads in a plain page do run, so the check can see a script that runs."""
    root, _, _ = corpus_run
    act = "document.title='PW'+'NED';document.body.setAttribute('data-'+'pwned',1)"
    control = tmp_path / "control.html"
    control.write_text(f'<html><head><title>t</title></head><body><img src="x" onerror="{act}"></body></html>')
    assert "PWNED" in _dump_dom(control, tmp_path / "profile-control"), "the browser check cannot see scripts run"
    dom = _dump_dom(root / "out" / "feedback" / "hostile_html.html", tmp_path / "profile")
    assert "bold stays" in dom and "Task 1.4" in dom, "the page did not render"
    assert "PWNED" not in dom and "data-pwned" not in dom, "a student's script ran in the feedback page"
    elements = _Elements()
    elements.feed(dom)
    handlers = [(tag, name) for tag, attrs in elements.found for name, _ in attrs if name.startswith("on")]
    links = [(tag, value) for tag, attrs in elements.found for _, value in attrs if (value or "").strip().lower().startswith("javascript:")]
    frames = [tag for tag, _ in elements.found if tag in {"iframe", "object", "embed", "form", "svg"}]
    assert not handlers and not links and not frames, (handlers, links, frames)
    assert dom.count("<mjx-container") > 10, "the page's own MathJax should still render"


class _Elements(HTMLParser):
    """Every element of a page with its attributes (what is text, such as highlighted code, is not)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))
