"""Decide each test cell in the grader's own process, never in the student's kernel.

A test cell run in the student's kernel can be fooled: the student's code may have replaced
``np.allclose``, ``torch.allclose``, builtins or anything else the test calls. So test cells run
here, in a clean namespace, at the moment the notebook reaches them: the instructor's imports and
given code are executed for real, and each function the student was asked to write becomes a
proxy that calls the student's function in their kernel with plain data (``grader.rpc``) and
brings plain data back. Inputs, reference values and comparisons all live in this process.

What crosses with each call: the arguments, and numpy's floating-point error state
(``np.errstate``) of the test, which the kernel applies around the student's function, so a test
that demands no overflow gets it. What tests must not rely on: global random state in the
kernel (pass seeds as arguments) or variables of cells the test does not run here. Classes the
student writes do not cross: a given cell tagged ``runs-in-kernel`` defines functions that use
them in the kernel and return plain data, and the tests call those.
"""

from __future__ import annotations

import ast
import builtins
from pathlib import Path
from typing import Any

import numpy as np
from nbformat import NotebookNode

from grader import rpc


KERNEL_SIDE_TAG = "runs-in-kernel"


class StudentCodeError(Exception):
    """The student's function raised inside their kernel."""


def reflect(before: Any, after: Any) -> None:
    """Make the grader's argument ``before`` show what the student's function did to its copy
    ``after`` in the kernel: a numpy array (or each array of a list or tuple) gets the values the
    function left in it, so a test sees an argument changed in place. Torch tensors are not echoed."""
    if isinstance(before, np.ndarray) and isinstance(after, np.ndarray):
        if before.shape == after.shape and before.flags.writeable:
            np.copyto(before, after, casting="unsafe")
    elif isinstance(before, (list, tuple)) and isinstance(after, (list, tuple)) and len(before) == len(after):
        for item, changed in zip(before, after):
            if isinstance(item, np.ndarray):
                reflect(item, changed)


def _kernel_error(ename: str, message: str) -> StudentCodeError:
    """The error to raise here for one raised in the kernel: also an instance of the builtin
    exception of that name (``ValueError``, ``FloatingPointError``, ...), so a test that expects
    the student's code to raise it can catch it; other names stay a plain ``StudentCodeError``."""
    builtin = getattr(builtins, ename, None)
    if isinstance(builtin, type) and issubclass(builtin, Exception) and builtin is not Exception:
        try:
            return type(ename, (StudentCodeError, builtin), {})(message)
        except TypeError:  # an exception type whose layout cannot be combined
            pass
    return StudentCodeError(message)


class _Lambdas(ast.NodeTransformer):
    """Turn each ``lambda`` into ``__kernel_lambda__(source, {free names})`` so it can cross."""

    def __init__(self, source: str) -> None:
        self.source = source

    def visit_Lambda(self, node: ast.Lambda) -> ast.AST:
        self.generic_visit(node)
        text = ast.get_source_segment(self.source, node) or ""
        a = node.args
        bound = {x.arg for x in [*a.posonlyargs, *a.args, *a.kwonlyargs]} | {x.arg for x in [a.vararg, a.kwarg] if x}
        loads = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        free = sorted(loads - bound - {"__kernel_lambda__"})
        env = ast.Dict(keys=[ast.Constant(n) for n in free], values=[ast.Name(n, ast.Load()) for n in free])
        call = ast.Call(ast.Name("__kernel_lambda__", ast.Load()), [ast.Constant(text), env], [])
        return ast.copy_location(call, node)


def transform(source: str) -> ast.Module:
    tree = _Lambdas(source).visit(ast.parse(source))
    return ast.fix_missing_locations(tree)


class TrustedRun:
    """Runs graded cells in this process against proxies for the student's functions."""

    def __init__(self, call_kernel, student_functions: list[str], call: str, reply: str) -> None:
        """``call_kernel(code) -> (status, ename, evalue)`` runs code in the student's kernel;
        ``call`` and ``reply`` are the file stems the arguments and the results cross by."""
        self.call_kernel = call_kernel
        self.call, self.reply = call, reply
        self.namespace: dict[str, Any] = {"__name__": "__trusted__"}
        self.namespace["__kernel_lambda__"] = lambda src, env: rpc.KernelLambda(src, env, self.namespace)
        self.student_functions = student_functions
        self._install_helper()

    def _install_helper(self) -> None:
        """(Re)define the kernel's side of the call, in case the student's code replaced it."""
        status, ename, evalue = self.call_kernel(rpc.KERNEL_HELPER)
        if status != "ok":
            raise StudentCodeError(f"the grader could not reach the kernel: {ename}: {evalue}")

    def _proxy(self, name: str):
        def call(*args, **kwargs):
            rpc.clear(self.reply)
            rpc.save(self.call, (list(args), kwargs, np.geterr()))
            status, ename, evalue = self.call_kernel(f"__course_rpc__({name!r}, {self.call!r}, {self.reply!r})")
            if status != "ok":
                raise _kernel_error(ename, f"{name} raised {ename}: {evalue}")
            try:
                out = rpc.load(self.reply)
            except Exception as exc:  # missing or malformed: the student's process interfered
                raise StudentCodeError(f"{name} returned nothing the grader can read ({type(exc).__name__})") from exc
            for key, after in out["echo"]["args"].items():  # reflect in-place changes to arrays
                reflect(args[int(key)], after)
            for key, after in out["echo"]["kwargs"].items():
                reflect(kwargs.get(key), after)
            return out["result"]

        call.__name__ = name
        return call

    def run_given(self, source: str) -> None:
        """Instructor code (imports, given helpers): runs here for real, as in the kernel.

        A failure is left for the tests that need what the cell defines to report."""
        self._bind_proxies()
        try:
            exec(compile(source, "<given>", "exec"), self.namespace)
        except Exception:
            pass
        self._bind_proxies()

    def _bind_proxies(self) -> None:
        for name in self.student_functions:
            self.namespace[name] = self._proxy(name)

    def check(self, source: str) -> str:
        """Run one graded cell here; ``""`` if it passes, else why not."""
        self._bind_proxies()
        try:
            self._install_helper()
            exec(compile(transform(source), "<test>", "exec"), self.namespace)
        except StudentCodeError as exc:
            return str(exc)
        except AssertionError as exc:
            return f"AssertionError: {exc}"
        except Exception as exc:
            return f"{type(exc).__name__}: {exc}"
        return ""


def _nbgrader(cell: NotebookNode) -> dict:
    return cell.metadata.get("nbgrader", {})


def is_test_cell(cell: NotebookNode) -> bool:
    """A graded cell that is not the student's answer: the tests of a task."""
    return cell.cell_type == "code" and bool(_nbgrader(cell).get("grade")) and not _nbgrader(cell).get("solution")


def is_given_cell(cell: NotebookNode) -> bool:
    """A locked instructor cell that is neither a test nor a solution (imports, given helpers)."""
    meta = _nbgrader(cell)
    return cell.cell_type == "code" and bool(meta.get("locked")) and not meta.get("grade") and not meta.get("solution")


def runs_in_kernel(cell: NotebookNode) -> bool:
    """A given cell whose functions work on the student's objects (say, building a graph of their
    ``Value`` class and returning plain numbers): the tests call them in the kernel, as proxies."""
    return KERNEL_SIDE_TAG in cell.metadata.get("tags", [])


def kernel_functions(nb: NotebookNode) -> list[str]:
    """Functions the tests reach in the kernel: the student's, and those of kernel-side cells."""
    from grader.normalize import defined_names

    return sorted({name for cell in nb.cells if cell.cell_type == "code"
                   and (_nbgrader(cell).get("solution") or runs_in_kernel(cell))
                   for name in defined_names(cell.source)})
