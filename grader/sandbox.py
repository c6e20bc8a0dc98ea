"""Run a student's notebook inside limits, and keep every task it finished if it breaks.

``GuardedExecute`` is nbgrader's Execute preprocessor with these changes:
- the kernel is the course's sandbox kernel (``grader.sandbox_kernel``: memory cap, no network
  where the platform allows, its own process group), reached over Unix sockets;
- a cell that runs past the per-cell limit, or a submission past its wall-clock limit, stops the
  kernel; interrupts are not relied on, since a student's loop can ignore them;
- when the kernel dies or is stopped, the cells already run keep their results and every cell not
  yet run gets an error output saying why, so only the remaining tasks are lost;
- graded test cells never run in the student's kernel: when the notebook reaches one, it runs in
  the grader's own process against proxies of the student's functions (``grader.trusted``), and
  its printed output or its failure becomes the cell's output, which is what nbgrader scores;
- cells the instructor tagged ``skip-when-grading`` (demonstrations, figures, seed sweeps that
  no test needs) are not run; ``grader check`` proves the solution still earns full marks.
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

from grader.trusted import StudentCodeError, TrustedRun, is_given_cell, is_test_cell, runs_in_kernel
from traitlets import Bool, Integer, List, Unicode

KERNEL_NAME = "course-sandbox"
SKIP_TAG = "skip-when-grading"


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
    student_functions = List(Unicode(), help="functions the tests call in the kernel (proxied when a test cell runs)").tag(config=True)
    stop_after = Unicode("", help="grade id of the last cell to run (grader check: later cells cannot change that task's points)").tag(config=True)
    stop_reason = Unicode("")

    def preprocess(self, nb: NotebookNode, resources: dict, km=None):
        self.interrupt_on_timeout = False  # a timeout raises CellTimeoutError at once
        self.stop_reason = ""
        self._completed: set[int] = set()
        self._trusted: TrustedRun | None = None
        watchdog = None
        if self.wall_limit:
            watchdog = threading.Timer(self.wall_limit, self._kill_kernel)
            watchdog.daemon = True
            watchdog.start()
        try:
            # nbconvert's ExecutePreprocessor.preprocess, with a trusted run beside the kernel
            NotebookClient.__init__(self, nb, km)
            self.reset_execution_trackers()
            self._check_assign_resources(resources)
            with self.setup_kernel():
                info = self.wait_for_reply(self.kc.kernel_info())
                self.nb.metadata["language_info"] = info["content"]["language_info"]
                if self.trusted_checks:
                    self._trusted = TrustedRun(self._call_kernel, list(self.student_functions))
                for index, cell in enumerate(self.nb.cells):
                    self.preprocess_cell(cell, resources, index)
                    if self.stop_after and cell.metadata.get("nbgrader", {}).get("grade_id") == self.stop_after:
                        self.stop_reason = f"the check stops after {self.stop_after}"
                        break
            self.set_widgets_metadata()
            if self.stop_reason:
                self._mark_unrun(self.nb)
            return self.nb, self.resources
        except CellTimeoutError:
            self.stop_reason = self.stop_reason or f"a cell ran longer than the {self.timeout} s limit; the kernel was stopped"
        except DeadKernelError:
            self.stop_reason = self.stop_reason or "the kernel died (os._exit, a crash, or memory exhausted)"
        except StudentCodeError as exc:
            self.stop_reason = str(exc)
        finally:
            if watchdog:
                watchdog.cancel()
            if self._trusted:
                self._trusted.close()
        self._mark_unrun(nb)
        return nb, resources

    def _call_kernel(self, code: str) -> tuple[str, str, str]:
        """Run ``code`` in the student's kernel; a timeout or a dead kernel raises as for a cell."""
        # stop_on_error=False: an error raised by the student's function (which a test may expect)
        # must not make the kernel abort the requests that follow it
        reply = self.wait_for_reply(self.kc.execute(code, store_history=False, allow_stdin=False, stop_on_error=False))
        content = reply["content"] if reply else {}
        return content.get("status", "error"), content.get("ename", ""), content.get("evalue", "")

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int):
        if cell.cell_type == "code" and SKIP_TAG in cell.metadata.get("tags", []):
            self._completed.add(index)
            return cell, resources
        if self._trusted and is_test_cell(cell):
            self._trusted_cell(cell)
            self._completed.add(index)
            return cell, resources
        result = super().preprocess_cell(cell, resources, index)
        if self._trusted and is_given_cell(cell) and not runs_in_kernel(cell):
            self._trusted.run_given(cell.source)
        self._completed.add(index)
        return result

    def _trusted_cell(self, cell: NotebookNode) -> None:
        """A test cell, decided in this process; its prints or its failure become its outputs."""
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            why = self._trusted.check(cell.source)
        cell.outputs = []
        if printed.getvalue():
            cell.outputs.append(new_output("stream", name="stdout", text=printed.getvalue()))
        if why:
            cell.outputs.append(new_output(
                "error", ename="TestFailed", evalue=why[:500],
                traceback=[f"TestFailed (checked by the grader, outside your kernel): {why[:500]}"],
            ))

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
