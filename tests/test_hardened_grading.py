"""The corpus of bad submissions: none is lost, none crashes the batch, none gains points."""

from __future__ import annotations

import csv
import socket

import nbformat
import pytest

from bad_submissions import CASES
from grader.autograde import autograde
from grader.labs import find_lab

pytestmark = pytest.mark.slow
LAB = find_lab("01")


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    subs = root / "subs"
    solution = nbformat.read(LAB.source_dir / LAB.notebook_name, as_version=4)
    released = nbformat.read(LAB.release_dir / LAB.notebook_name, as_version=4)
    expectations = {}
    for name, build in CASES.items():
        data, expect = build(solution, released)
        (subs / name).mkdir(parents=True)
        (subs / name / LAB.notebook_name).write_bytes(data)
        expectations[name] = expect
    (subs / "no_notebook").mkdir()
    rows = autograde(subs, LAB, root / "out", workers=2, cell_timeout=20, wall_limit=240, memory_mb=3072, progress=False)
    return root, {row.student: row for row in rows}, expectations


def test_every_submission_gets_a_row(corpus_run):
    root, rows, expectations = corpus_run
    assert sorted(rows) == sorted([*expectations, "no_notebook"])
    with open(root / "out" / "grades.csv") as handle:
        assert len(list(csv.DictReader(handle))) == len(rows)
    assert rows["no_notebook"].status == "ungradable" and "no notebook" in rows["no_notebook"].reason


@pytest.mark.parametrize("case", list(CASES))
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
    """The hostile cases are real: graded in-kernel only, with the grader's files visible, they
    gain points; with the protections (the corpus run above) they score zero."""
    root, rows, _ = corpus_run
    subs = tmp_path / "subs"
    for name in ["tamper_comparisons", "reads_instructor_files"]:
        (subs / name).mkdir(parents=True)
        (subs / name / LAB.notebook_name).write_bytes((root / "subs" / name / LAB.notebook_name).read_bytes())
        assert rows[name].total == 0
    unprotected = {r.student: r.total for r in autograde(subs, LAB, tmp_path / "out", cell_timeout=20, progress=False, protections=False)}
    assert unprotected["tamper_comparisons"] > 0, unprotected
    assert unprotected["reads_instructor_files"] > 0, unprotected


def test_gradebook_has_every_submission(corpus_run):
    from nbgrader.api import Gradebook

    root, rows, _ = corpus_run
    with Gradebook(f"sqlite:///{root / 'out' / 'course' / 'gradebook.db'}", "dl-course") as gb:
        students = {s.id for s in gb.students}
        assert students == set(rows)
        assert gb.find_submission(LAB.lab_id, "stripped_metadata").score == rows["stripped_metadata"].total


def test_sandbox_kernel_has_no_network():
    """A kernel started by the sandbox sees only a loopback device and cannot connect out."""
    from jupyter_client.manager import KernelManager

    from grader.sandbox import KERNEL_NAME, install_kernelspec

    install_kernelspec(2048, no_network=True)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    km = KernelManager(kernel_name=KERNEL_NAME, transport="ipc")
    km.start_kernel()
    try:
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        code = (
            "import os, socket\n"
            "print(os.environ['COURSE_SANDBOX'])\n"
            f"try:\n    socket.create_connection(('127.0.0.1', {port}), timeout=2); print('CONNECTED')\n"
            "except OSError as e:\n    print('BLOCKED', type(e).__name__)"
        )
        out = []
        kc.execute_interactive(code, timeout=30, output_hook=lambda m: out.append(m["content"].get("text", "")))
        text = "".join(out)
        if "network=on" in text:
            pytest.skip("this platform does not allow a private network namespace")
        assert "network=off" in text and "BLOCKED" in text and "CONNECTED" not in text, text
    finally:
        km.shutdown_kernel(now=True)
        server.close()
