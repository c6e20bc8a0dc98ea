"""Run a student's notebook inside limits, and keep every task it finished if it breaks.

``GuardedExecute`` is nbgrader's Execute preprocessor with these changes:
- the kernel runs inside bubblewrap (``grader.bwrap``: it sees only the Python environment, its
  own private /tmp and what it shares with the grader; no network, an unprivileged uid, limits on
  memory, CPU time, processes and file size), reached over Unix sockets;
- a cell that runs past the per-cell limit, or a submission past its wall-clock limit, stops the
  kernel; interrupts are not relied on, since a student's loop can ignore them;
- when the kernel dies or is stopped, the cells already run keep their results and every cell not
  yet run gets an error output saying why, so only the remaining tasks are lost;
- graded test cells never run in the student's kernel: when the notebook reaches one, it runs in
  the grader's own process against proxies of the student's functions (``grader.trusted``), and
  its printed output or its failure becomes the cell's output, which is what nbgrader scores;
- cells the instructor tagged ``skip-when-grading`` (demonstrations, figures, seed sweeps that
  no test needs) are not run; ``grader check`` proves the solution still earns full marks;
- what a cell outputs is kept up to ``output_limit`` bytes, then a note says the rest was dropped.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import threading

from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute

from grader.bwrap import Limits, Sandbox, kernel_manager
from grader.trusted import StudentCodeError, TrustedRun, is_given_cell, is_test_cell, runs_in_kernel
from grader.limits import MEMORY_MB
from traitlets import Bool, Integer, List, Unicode

SKIP_TAG = "skip-when-grading"


class GuardedExecute(Execute):
    """nbgrader's Execute that survives dead, hung and runaway kernels (see module docstring)."""

    wall_limit = Integer(0, help="seconds for the whole notebook; 0 for no limit").tag(config=True)
    trusted_checks = Bool(True, help="re-run graded cells in the grader's process").tag(config=True)
    student_functions = List(Unicode(), help="functions the tests call in the kernel (proxied when a test cell runs)").tag(config=True)
    stop_after = Unicode("", help="grade id of the last cell to run (grader check: later cells cannot change that task's points)").tag(config=True)
    sandboxed = Bool(True, help="run the kernel in bubblewrap (grader.bwrap); False only with --no-sandbox").tag(config=True)
    memory_mb = Integer(MEMORY_MB, help="address-space limit of each of the kernel's processes").tag(config=True)
    network = Bool(False, help="let the kernel reach the network").tag(config=True)
    output_limit = Integer(2_000_000, help="bytes of output kept per cell; the rest is dropped with a note").tag(config=True)
    stop_reason = Unicode("")

    def create_kernel_manager(self):
        self.km = kernel_manager(self._sandbox, kernel_name="python3", config=self.config)
        return self.km

    def preprocess(self, nb: NotebookNode, resources: dict, km=None):
        self.interrupt_on_timeout = False  # a timeout raises CellTimeoutError at once
        self.stop_reason = ""
        self._completed: set[int] = set()
        self._trusted: TrustedRun | None = None
        self._kept: dict[int, int] = {}
        self._dropped: dict[int, int] = {}
        cpu = max(self.wall_limit, self.timeout or 0, 60) * (os.cpu_count() or 1)
        self._sandbox = Sandbox(Limits(memory_mb=self.memory_mb, cpu_seconds=cpu, network=self.network), self.sandboxed)
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
                self._sandbox.lock_sockets()
                self.nb.metadata["language_info"] = info["content"]["language_info"]
                if self.trusted_checks:
                    self._trusted = TrustedRun(self._call_kernel, list(self.student_functions), self._sandbox.call, self._sandbox.reply)
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
            complaint = self._sandbox.complaint()
            self.stop_reason = self.stop_reason or "the kernel died (os._exit, a crash, or memory exhausted)" + (
                f": {complaint}" if complaint else "")
        except StudentCodeError as exc:
            self.stop_reason = str(exc)
        finally:
            if watchdog:
                watchdog.cancel()
            self._sandbox.close()
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
        try:
            result = super().preprocess_cell(cell, resources, index)
        finally:
            if index in self._dropped:
                cell.outputs.append(new_output("stream", name="stderr", text=(
                    f"\n[output truncated: the grader keeps {self.output_limit:,} bytes of a cell's output; "
                    f"{self._dropped[index]:,} more were dropped]\n")))
        if self._trusted and is_given_cell(cell) and not runs_in_kernel(cell):
            self._trusted.run_given(cell.source)
        self._completed.add(index)
        return result

    def output(self, outs, msg, display_id, cell_index):
        """nbclient's handler, keeping at most ``output_limit`` bytes per cell."""
        content = msg.get("content", {})
        size = len(content.get("text", "")) + sum(len(str(v)) for v in content.get("data", {}).values())
        size += sum(len(line) for line in content.get("traceback", []))
        if self._kept.get(cell_index, 0) + size > self.output_limit:
            self._dropped[cell_index] = self._dropped.get(cell_index, 0) + size
            return None
        self._kept[cell_index] = self._kept.get(cell_index, 0) + size
        return super().output(outs, msg, display_id, cell_index)

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
            pid = self.km.provisioner.pid  # bwrap (or the kernel) leads its own process group
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
