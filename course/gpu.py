"""Launch a student's CUDA kernel on the GPU when there is one, else on a simulator.

Import this module before ``from numba import cuda``: on a machine without a CUDA GPU it sets
``NUMBA_ENABLE_CUDASIM=1``, so ``@cuda.jit`` gives numba's CUDA simulator instead of failing to
find the driver. Then one call runs a kernel anywhere::

    launch(relu_kernel, blocks, threads, x, out)   # like relu_kernel[blocks, threads](x, out)

- ``check=True`` runs the kernel under the course's checker (``course.cuda_check``: bounds, races,
  uninitialised shared memory, divergent barriers), in a child process with a time limit, so a
  kernel that hangs or crashes costs one call, not the notebook. This is the default without a
  GPU, and always when the environment sets ``COURSE_CHECK_KERNELS=1`` (the grader does).
- ``check=False`` runs it for real on the GPU; without one, on the checker's scheduler with the
  checks off, in this process (10 to 25 times faster than checked; for training loops).
  ``with checks(False):`` makes that the default for a block of code.

numba's own simulator (``NUMBA_ENABLE_CUDASIM=1``) is still what ``kernel[blocks, threads](...)``
runs without a GPU: the same kernels, without the checker's reports (``benchmarks/kernels.py``
compares the speeds).

numpy arrays and CPU torch tensors among the arguments are updated in place, as on a GPU after
the results are copied back.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import signal
import sys
import traceback
from typing import Any, Sequence

import numpy as np


def _gpu_present() -> bool:
    if os.environ.get("NUMBA_ENABLE_CUDASIM") == "1":
        return False
    try:
        import torch
        return bool(torch.cuda.is_available())
    except Exception:  # no torch, or a broken driver: treat as no GPU
        return False


GPU = _gpu_present()
if not GPU:
    os.environ["NUMBA_ENABLE_CUDASIM"] = "1"
    if "numba.cuda" in sys.modules and not getattr(sys.modules["numba.cuda"], "simulator", None):
        print("note: numba.cuda was imported before course.gpu without a GPU; restart the kernel "
              "and import course.gpu first", file=sys.stderr)

DEVICE = "CUDA GPU" if GPU else "CUDA simulator (CPU)"
DEFAULT_TIMEOUT = 60.0
FORCE_CHECKS = os.environ.get("COURSE_CHECK_KERNELS") == "1"
_default_check: bool | None = None


@contextlib.contextmanager
def checks(enabled: bool):
    """Within the block, ``launch`` checks (or not) unless a call says otherwise."""
    global _default_check
    before, _default_check = _default_check, enabled
    try:
        yield
    finally:
        _default_check = before


class KernelTimeout(TimeoutError):
    """A kernel ran past its time limit and was stopped."""


class KernelCrashed(RuntimeError):
    """The process running the kernel died (a crash, os._exit, memory exhausted)."""


def _numpy_views(args: Sequence[Any]) -> list[Any]:
    """CPU torch tensors as numpy arrays sharing their memory; everything else unchanged."""
    out = []
    for a in args:
        if type(a).__module__.startswith("torch") and getattr(a, "device", None) is not None:
            if a.device.type != "cpu":
                raise TypeError("the checker runs on the CPU: pass numpy arrays or CPU tensors, or check=False on a GPU")
            a = a.detach().numpy()
        out.append(a)
    return out


def _run_here(kernel: Any, grid: Any, block: Any, args: Sequence[Any], check: bool) -> None:
    from course.cuda_check import run_checked
    run_checked(kernel, grid, block, *args, checks=check)


def _child(conn, kernel, grid, block, args, check) -> None:
    """In the forked child: run the kernel, send back the arrays, or the error, and what it printed."""
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            _run_here(kernel, grid, block, args, check)
        arrays = {i: a for i, a in enumerate(args) if isinstance(a, np.ndarray)}
        conn.send(("ok", arrays, printed.getvalue()))
    except BaseException as exc:  # the parent re-raises it
        try:
            conn.send(("error", (exc, traceback.format_exc(limit=0)), printed.getvalue()))
        except Exception:  # an exception that does not pickle
            conn.send(("error", (RuntimeError(f"{type(exc).__name__}: {exc}"), ""), printed.getvalue()))
    finally:
        conn.close()
        os._exit(0)


def _run_in_child(kernel: Any, grid: Any, block: Any, args: list[Any], check: bool, timeout: float) -> None:
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(send, kernel, grid, block, args, check), daemon=True)
    process.start()
    send.close()
    name = getattr(kernel, "__name__", "kernel")
    try:
        if not receive.poll(timeout):
            os.kill(process.pid, signal.SIGKILL)
            raise KernelTimeout(f"{name} did not finish within {timeout:g} s and was stopped (an endless loop, or "
                                f"threads waiting at a barrier that others never reach?)")
        try:
            status, payload, printed = receive.recv()
        except EOFError:
            process.join(5)
            raise KernelCrashed(f"the process running {name} died (exit code {process.exitcode})") from None
    finally:
        receive.close()
        process.join(5)
    if printed:
        print(printed, end="")
    if status == "error":
        exc, _ = payload
        raise exc
    for i, array in payload.items():
        args[i][...] = array


def launch(kernel: Any, grid: int | Sequence[int], block: int | Sequence[int], *args: Any,
           check: bool | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Run ``kernel[grid, block](*args)``.

    ``check``: run under the course's checker (default: when there is no GPU). Without a GPU
    every launch runs in a child process stopped after ``timeout`` seconds (``KernelTimeout``).
    """
    if check is None:
        check = (not GPU) if _default_check is None else _default_check
    check = check or FORCE_CHECKS
    if GPU and not check:
        kernel[grid, block](*args)  # numpy arrays are copied to the GPU and back; CUDA tensors are used in place
        return
    values = _numpy_views(args)
    if not check or not hasattr(os, "fork"):  # unchecked, or Windows: in this process, no time limit
        _run_here(kernel, grid, block, values, check)
        return
    _run_in_child(kernel, grid, block, values, check, timeout)
