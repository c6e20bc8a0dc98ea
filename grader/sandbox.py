"""Run a student's notebook inside limits, and keep every task it finished if it breaks.

``GuardedExecute`` is nbgrader's Execute preprocessor with three changes:
- the kernel is the course's sandbox kernel (``grader.sandbox_kernel``: memory cap, no network
  where the platform allows, its own process group), reached over Unix sockets;
- a cell that runs past the per-cell limit, or a submission past its wall-clock limit, stops the
  kernel; interrupts are not relied on, since a student's loop can ignore them;
- when the kernel dies or is stopped, the cells already run keep their results and every cell not
  yet run gets an error output saying why, so only the remaining tasks are lost;
- after the notebook has run, every graded cell is run again in the grader's own process against
  proxies of the student's functions (``grader.trusted``); a cell that fails there scores nothing.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import sys
import tempfile
import threading
from pathlib import Path

from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute

from grader.trusted import StudentCodeError, TrustedRun, given_cells, graded_cells
from traitlets import Bool, Integer, List, Unicode

KERNEL_NAME = "course-sandbox"


def install_kernelspec(memory_mb: int, no_network: bool, hide: tuple[str, ...] = ()) -> Path:
    """Write the sandbox kernelspec into a private Jupyter data dir and put it on JUPYTER_PATH."""
    root = Path(tempfile.mkdtemp(prefix="course-kernels-"))
    spec = root / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "grader.sandbox_kernel", "--memory-mb", str(memory_mb)]
    if no_network:
        argv.append("--no-network")
    for folder in hide:
        argv += ["--hide", folder]
    argv += ["-f", "{connection_file}", "--HistoryManager.hist_file=:memory:"]
    (spec / "kernel.json").write_text(json.dumps({
        "argv": argv, "display_name": "Python 3 (course sandbox)", "language": "python",
    }))
    os.environ["JUPYTER_PATH"] = os.pathsep.join([str(root), *filter(None, [os.environ.get("JUPYTER_PATH")])])
    return root


class GuardedExecute(Execute):
    """nbgrader's Execute that survives dead, hung and runaway kernels (see module docstring)."""

    wall_limit = Integer(0, help="seconds for the whole notebook; 0 for no limit").tag(config=True)
    trusted_checks = Bool(True, help="re-run graded cells in the grader's process").tag(config=True)
    student_functions = List(Unicode(), help="functions the student writes (proxied in the re-run)").tag(config=True)
    stop_reason = Unicode("")

    def preprocess(self, nb: NotebookNode, resources: dict, km=None):
        self.interrupt_on_timeout = False  # a timeout raises CellTimeoutError at once
        self.stop_reason = ""
        self._completed: set[int] = set()
        watchdog = None
        if self.wall_limit:
            watchdog = threading.Timer(self.wall_limit, self._kill_kernel)
            watchdog.daemon = True
            watchdog.start()
        try:
            # nbconvert's ExecutePreprocessor.preprocess, plus the trusted re-run of the tests
            # while the kernel is still alive
            NotebookClient.__init__(self, nb, km)
            self.reset_execution_trackers()
            self._check_assign_resources(resources)
            with self.setup_kernel():
                info = self.wait_for_reply(self.kc.kernel_info())
                self.nb.metadata["language_info"] = info["content"]["language_info"]
                for index, cell in enumerate(self.nb.cells):
                    self.preprocess_cell(cell, resources, index)
                if self.trusted_checks:
                    self._trusted_checks()
            self.set_widgets_metadata()
            return self.nb, self.resources
        except CellTimeoutError:
            self.stop_reason = self.stop_reason or f"a cell ran longer than the {self.timeout} s limit; the kernel was stopped"
        except DeadKernelError:
            self.stop_reason = self.stop_reason or "the kernel died (os._exit, a crash, or memory exhausted)"
        finally:
            if watchdog:
                watchdog.cancel()
        self._mark_unrun(nb)
        return nb, resources

    def _call_kernel(self, code: str) -> tuple[str, str, str]:
        if self._kernel_stuck:
            return "error", "KernelStuck", "an earlier call did not return"
        try:
            reply = self.wait_for_reply(self.kc.execute(code, store_history=False, allow_stdin=False))
        except Exception as exc:  # a timeout or a dead kernel during the trusted run
            self._kernel_stuck = True
            return "error", type(exc).__name__, f"no reply within {self.timeout} s"
        content = reply["content"] if reply else {}
        return content.get("status", "error"), content.get("ename", ""), content.get("evalue", "")

    def _trusted_checks(self) -> None:
        """Re-run every graded cell in the grader's process; a failure there costs the cell."""
        self._kernel_stuck = False
        try:
            run = TrustedRun(self._call_kernel, list(self.student_functions))
        except StudentCodeError as exc:
            run, failure = None, str(exc)
        try:
            if run:
                for cell in given_cells(self.nb):
                    run.run_given(cell.source)
            for _, cell in graded_cells(self.nb):
                with contextlib.redirect_stdout(io.StringIO()):  # the tests' own prints
                    why = run.check(cell.source) if run else failure
                if why:
                    cell.outputs.append(new_output(
                        "error", ename="TrustedCheckFailed", evalue=why[:500],
                        traceback=[f"TrustedCheckFailed: checked outside your kernel: {why[:500]}"],
                    ))
        finally:
            if run:
                run.close()

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int):
        result = super().preprocess_cell(cell, resources, index)
        self._completed.add(index)
        return result

    def _kill_kernel(self) -> None:
        self.stop_reason = f"the notebook ran longer than its {self.wall_limit} s limit; the kernel was stopped"
        try:
            pid = self.km.provisioner.pid  # the sandbox kernel leads its own process group
            os.killpg(pid, signal.SIGKILL)
        except Exception:  # already gone
            pass

    def _mark_unrun(self, nb: NotebookNode) -> None:
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and index not in self._completed:
                cell.outputs = [*cell.get("outputs", []), new_output(
                    "error", ename="NotRun", evalue=f"not run: {self.stop_reason}",
                    traceback=[f"NotRun: not run: {self.stop_reason}"],
                )]
