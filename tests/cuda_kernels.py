"""Small kernels, right and wrong, for tests/test_cuda_check.py (kernels need a source file).

A wrong kernel that differs from a right one by a line is made from it by ``variant``, not copied.
"""

import importlib.util
import inspect
import os
import tempfile
import textwrap
from pathlib import Path

import course.gpu  # noqa: F401  (before numba.cuda: the simulator without a GPU)
from numba import cuda, float32

THREADS = 32


@cuda.jit
def scale(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = 2 * x[i]


@cuda.jit
def shift_left(x, out):
    """out[i] = x[i - 1], with the guard forgetting i = 0 (a negative index: out of bounds on a GPU)."""
    i = cuda.grid(1)
    if i < x.size:
        out[i] = x[i - 1]


@cuda.jit
def reverse_block(x, out):
    """Each block reverses its THREADS elements through shared memory."""
    buffer = cuda.shared.array(THREADS, float32)
    t = cuda.threadIdx.x
    buffer[t] = x[cuda.grid(1)]
    cuda.syncthreads()
    out[cuda.grid(1)] = buffer[THREADS - 1 - t]


@cuda.jit
def overwrite_after_read(x, out):
    """Reads a neighbour's slot, then overwrites its own without a barrier in between (write after read)."""
    buffer = cuda.shared.array(THREADS, float32)
    t = cuda.threadIdx.x
    buffer[t] = x[cuda.grid(1)]
    cuda.syncthreads()
    out[cuda.grid(1)] = buffer[(t + THREADS - 1) % THREADS]
    buffer[t] = 0.0


@cuda.jit
def total_racy(x, total):
    i = cuda.grid(1)
    if i < x.size:
        total[0] += x[i]


@cuda.jit
def total_atomic(x, total):
    i = cuda.grid(1)
    if i < x.size:
        cuda.atomic.add(total, 0, x[i])


@cuda.jit
def barrier_inside_branch(x, out):
    buffer = cuda.shared.array(THREADS, float32)
    t = cuda.threadIdx.x
    if t < 16:
        buffer[t] = x[t]
        cuda.syncthreads()
    out[t] = x[t]


@cuda.jit
def spin(x):
    i = 0
    while x[0] == x[0]:
        i += 1


@cuda.jit
def crash(x):
    os._exit(3)  # stands in for a segfault: the process running the kernel dies


def variant(kernel, old: str, new: str, name: str):
    """``kernel`` with the one line holding ``old`` rewritten to hold ``new``, compiled from a file
    of its own (the checker and numba's simulator read a kernel's source)."""
    from course.cuda_check import python_function

    source = textwrap.dedent(inspect.getsource(python_function(kernel)))
    lines = source.splitlines()
    hits = [n for n, line in enumerate(lines) if old in line]
    assert len(hits) == 1, f"{old!r} is not on exactly one line of {kernel}"
    lines[hits[0]] = lines[hits[0]].replace(old, new)
    text = "\n".join(lines).replace(f"def {python_function(kernel).__name__}(", f"def {name}(")
    path = Path(tempfile.mkdtemp(prefix="kernel-")) / f"{name}.py"
    path.write_text(f"import course.gpu  # noqa: F401\nfrom numba import cuda, float32\n\nTHREADS = {THREADS}\n\n\n{text}\n")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


scale_unguarded = variant(scale, "if i < x.size:", "if True:", "scale_unguarded")
reverse_block_no_barrier = variant(reverse_block, "cuda.syncthreads()", "pass", "reverse_block_no_barrier")
