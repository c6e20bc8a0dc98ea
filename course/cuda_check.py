"""Run a numba-cuda kernel thread by thread, and catch what the CUDA simulator lets through.

numba's simulator runs every thread of a block as a Python thread and mostly lets them run one
after another, so a kernel missing a ``cuda.syncthreads()`` usually still gives the right answer
there (9 runs of 10 in ``../shared/notes/toolchain.md``). This executor runs the kernel's Python
function under its own scheduler and records every access to global and shared memory:

- **Out of bounds.** Every index is checked against the array's shape. A negative index is out of
  bounds too: on a GPU it addresses memory before the array, it does not wrap around as in numpy.
- **Races.** Two threads conflict when they touch the same element, at least one writes, and
  nothing orders them: they are in different blocks (blocks cannot synchronise), or in the same
  block between the same two barriers. Atomic operations (``cuda.atomic.*``) do not conflict with
  each other. The check is on the recorded accesses, so it does not depend on the order in which
  threads happen to run: a missing barrier is found every time.
- **Uninitialised shared memory.** Shared arrays start with garbage on a GPU; here they start
  as NaN (or a large integer), and reading an element no thread of the block has written is an
  error.
- **Divergent barriers.** Every thread of a block must reach the same ``cuda.syncthreads()``
  (CUDA's rule); a thread that returns early while others wait at a barrier is reported.

Threads are not operating-system threads here: the kernel's source is recompiled with each
``cuda.syncthreads()`` turned into a ``yield``, so every CUDA thread is a Python generator and a
barrier is the point where the scheduler moves on to the next thread. Threads of a block run one
at a time, from the highest thread index to the lowest, each until it reaches a barrier or
finishes; blocks run from the last to the first. The order is deliberately the reverse of what a
careless kernel expects, so a race usually also shows up as a wrong value.

Limits: one thread's accesses are checked against the last write and the last two reads of each
element, which finds the races of this course's kernels but is not a full happens-before analysis;
warp-level behaviour (shuffles, lock-step execution) is not modelled; slices of arrays inside
kernels are not supported; ``cuda.syncthreads()`` must be a statement of the kernel itself (not of
a device function it calls).
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import linecache
import math
import re
import sys
import types
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

Dim = tuple[int, int, int]


class KernelCheckError(Exception):
    """A kernel broke one of CUDA's rules; the message names the thread and the index."""


class OutOfBoundsError(KernelCheckError, IndexError):
    pass


class RaceError(KernelCheckError):
    pass


class UninitialisedReadError(KernelCheckError):
    pass


class BarrierError(KernelCheckError):
    pass


@dataclass(frozen=True)
class Dim3:
    x: int
    y: int = 1
    z: int = 1

    def __iter__(self):
        return iter((self.x, self.y, self.z))


def as_dim3(value: int | Sequence[int], what: str) -> Dim:
    """``128`` -> ``(128, 1, 1)``; ``(4, 2)`` -> ``(4, 2, 1)``; non-positive sizes are an error."""
    dims = (int(value),) if np.isscalar(value) else tuple(int(v) for v in value)
    if not 1 <= len(dims) <= 3 or any(d < 1 for d in dims):
        raise ValueError(f"{what} must be 1 to 3 positive integers, got {value!r}")
    return (dims + (1, 1))[:3]  # type: ignore[return-value]


@dataclass(frozen=True)
class Access:
    thread: Dim
    block: Dim
    phase: int
    line: int
    atomic: bool = False


def _where(thread: Dim, block: Dim) -> str:
    return f"thread {thread} of block {block}"


def _source(line: int, filename: str) -> str:
    text = linecache.getline(filename, line).strip()
    return f"line {line}: `{text}`" if text else f"line {line}"


class _Log:
    """Accesses to one array during one launch (shared arrays: one block)."""

    __slots__ = ("writes", "reads")

    def __init__(self) -> None:
        self.writes: dict[tuple, Access] = {}
        self.reads: dict[tuple, tuple[Access, ...]] = {}


def _conflict(a: Access, b: Access) -> bool:
    """Unordered accesses by two different threads (at least one a write, checked by the caller)."""
    if a.thread == b.thread and a.block == b.block:
        return False
    if a.atomic and b.atomic:
        return False
    return a.block != b.block or a.phase == b.phase


class TrackedArray:
    """An array as a kernel sees it: every read and write is bounds-checked and logged."""

    __slots__ = ("data", "name", "space", "run", "log", "written", "loads", "stores")

    def __init__(self, data: np.ndarray, name: str, space: str, run: "_Launch") -> None:
        self.data, self.name, self.space, self.run = data, name, space, run
        self.log = _Log()
        self.loads = self.stores = 0
        self.written: np.ndarray | None = np.zeros(data.shape, bool) if space == "shared" else None

    shape = property(lambda self: self.data.shape)
    size = property(lambda self: self.data.size)
    ndim = property(lambda self: self.data.ndim)
    dtype = property(lambda self: self.data.dtype)

    def __len__(self) -> int:
        return len(self.data)

    def _key(self, key: Any, verb: str) -> tuple[int, ...]:
        key = key if isinstance(key, tuple) else (key,)
        if len(key) != self.data.ndim:
            raise KernelCheckError(f"{self.name} has {self.data.ndim} dimension(s) but was indexed with {len(key)} "
                                   f"index(es) {key!r} by {self.run.who()}")
        index = []
        for k in key:
            if isinstance(k, slice):
                raise KernelCheckError(f"slicing {self.name} inside a kernel is not supported by the course checker; "
                                       f"index one element at a time ({self.run.who()})")
            if not isinstance(k, (int, np.integer)) or isinstance(k, (bool, np.bool_)):
                raise KernelCheckError(f"{self.name} indexed with {k!r} ({type(k).__name__}), not an integer, "
                                       f"by {self.run.who()}")
            index.append(int(k))
        for k, n in zip(index, self.data.shape):
            if not 0 <= k < n:
                raise OutOfBoundsError(
                    f"out-of-bounds {verb} {self.name}[{', '.join(map(str, index))}] (shape {self.data.shape}) "
                    f"by {self.run.who()} at {self.run.here()}: a bounds guard is missing or wrong")
        return tuple(index)

    def _record(self, index: tuple[int, ...], write: bool, atomic: bool = False) -> None:
        run = self.run
        me = run.access(atomic)
        log = self.log
        last_write = log.writes.get(index)
        if last_write is not None and _conflict(last_write, me):
            run.race(self, index, last_write, "wrote", me, "writes" if write else "reads")
        if write:
            for read in log.reads.get(index, ()):
                if _conflict(read, me):
                    run.race(self, index, read, "read", me, "writes")
            log.writes[index] = me
        else:
            if self.written is not None and not self.written[index]:
                raise UninitialisedReadError(
                    f"{self.name}[{', '.join(map(str, index))}] is read by {run.who()} at {run.here()} before any "
                    f"thread of its block wrote it (shared memory starts uninitialised; is a load or a barrier missing?)")
            reads = log.reads.get(index, ())
            if not reads or reads[-1].thread != me.thread or reads[-1].block != me.block:
                log.reads[index] = (reads[-1], me) if reads else (me,)
        if write and self.written is not None:
            self.written[index] = True

    def __getitem__(self, key: Any) -> Any:
        index = self._key(key, "read of")
        self._record(index, write=False)
        self.loads += 1
        return self.data[index]

    def __setitem__(self, key: Any, value: Any) -> None:
        index = self._key(key, "write to")
        self._record(index, write=True)
        self.stores += 1
        self.data[index] = value

    def atomic(self, key: Any, update: Callable[[Any], Any]) -> Any:
        index = self._key(key, "atomic update of")
        self._record(index, write=False, atomic=True)
        self._record(index, write=True, atomic=True)
        old = self.data[index]
        self.data[index] = update(old)
        return old


class _Shared:
    def __init__(self, run: "_Launch") -> None:
        self.run = run

    def array(self, shape: int | Sequence[int], dtype: Any) -> TrackedArray:
        return self.run.shared_array(shape, dtype)


class _Local:
    def array(self, shape: int | Sequence[int], dtype: Any) -> np.ndarray:
        return np.zeros(shape, _numpy_dtype(dtype))


class _Const:
    def array_like(self, array: Any) -> Any:
        return array


def _atomic_update(a: Any, key: Any, update: Callable[[Any], Any]) -> Any:
    if isinstance(a, TrackedArray):
        return a.atomic(key, update)
    old = a[key]
    a[key] = update(old)
    return old


class _Atomic:
    """``cuda.atomic.*``; returns the old value, as CUDA does. (Threads run one at a time here.)"""

    def add(self, a, i, v):
        return _atomic_update(a, i, lambda old: old + v)

    def sub(self, a, i, v):
        return _atomic_update(a, i, lambda old: old - v)

    def max(self, a, i, v):
        return _atomic_update(a, i, lambda old: max(old, v))

    def min(self, a, i, v):
        return _atomic_update(a, i, lambda old: min(old, v))

    def exch(self, a, i, v):
        return _atomic_update(a, i, lambda old: v)

    def cas(self, a, i, compare, v):
        return _atomic_update(a, i, lambda old: v if old == compare else old)

    compare_and_swap = cas


class FakeCuda:
    """What the name ``cuda`` means inside a kernel run by this executor."""

    warpsize = 32

    def __init__(self, run: "_Launch") -> None:
        self._run = run
        self.gridDim, self.blockDim = Dim3(*run.grid), Dim3(*run.block)
        self.shared, self.local, self.const, self.atomic = _Shared(run), _Local(), _Const(), _Atomic()

    @property
    def threadIdx(self) -> Dim3:
        return self._run.current.thread_dim3

    @property
    def blockIdx(self) -> Dim3:
        return self._run.current.block_dim3

    @property
    def laneid(self) -> int:
        t = self._run.current.thread_idx
        return (t[0] + self.blockDim.x * (t[1] + self.blockDim.y * t[2])) % 32

    def grid(self, ndim: int):
        t, b, size = self._run.current.thread_idx, self._run.current.block_idx, self._run.block
        if ndim == 1:
            return b[0] * size[0] + t[0]
        return tuple(b[d] * size[d] + t[d] for d in range(ndim))

    def gridsize(self, ndim: int):
        out = tuple(self._run.grid[d] * self._run.block[d] for d in range(ndim))
        return out[0] if ndim == 1 else out

    def syncthreads(self) -> None:
        raise BarrierError("cuda.syncthreads() must be a statement of the kernel itself for the course checker "
                           "(not inside a device function or an expression)")

    def threadfence(self) -> None:
        pass

    threadfence_block = threadfence_system = threadfence


def _numpy_dtype(dtype: Any) -> np.dtype:
    try:
        return np.dtype(dtype)
    except TypeError:
        from numba.np.numpy_support import as_dtype  # a numba type such as numba.float32
        return as_dtype(dtype)


def _is_cuda_function(value: Any) -> bool:
    """A ``@cuda.jit`` object: numba's simulator wrapper or its GPU dispatcher."""
    return type(value).__name__ in {"FakeCUDAKernel", "CUDADispatcher"} and callable(python_function(value))


def python_function(kernel: Any) -> Callable:
    """The plain Python function behind ``@cuda.jit`` (simulator or GPU dispatcher), or the function."""
    return getattr(kernel, "py_func", None) or getattr(kernel, "fn", None) or kernel


class _ThreadState:
    """One CUDA thread: its indices, its barrier phase, and the generator that runs its code."""

    __slots__ = ("thread_idx", "block_idx", "thread_dim3", "block_dim3", "phase", "barrier_line", "body")

    def __init__(self, thread_idx: Dim, block_idx: Dim) -> None:
        self.thread_idx, self.block_idx = thread_idx, block_idx
        self.thread_dim3, self.block_dim3 = Dim3(*thread_idx), Dim3(*block_idx)
        self.phase, self.barrier_line, self.body = 0, 0, None


class _Barriers(ast.NodeTransformer):
    """``cuda.syncthreads()`` as a statement -> ``yield <line>``; the ``@cuda.jit`` decorator dropped."""

    def __init__(self, cuda_names: set[str]) -> None:
        self.cuda_names = cuda_names

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        node.decorator_list = []
        self.generic_visit(node)
        return node

    def visit_Expr(self, node: ast.Expr) -> ast.AST:
        call = node.value
        if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "syncthreads"
                and isinstance(call.func.value, ast.Name) and call.func.value.id in self.cuda_names):
            return ast.copy_location(ast.Expr(ast.Yield(ast.Constant(node.lineno))), node)
        return node


_COMPILED: dict[tuple, types.CodeType] = {}


def _generator_code(fn: Callable, cuda_names: frozenset[str]) -> types.CodeType:
    """The kernel's source recompiled with each barrier as a ``yield`` (cached per kernel)."""
    key = (fn.__code__, cuda_names)
    if key not in _COMPILED:
        try:
            lines, first = inspect.getsourcelines(fn)
        except (OSError, TypeError) as exc:
            raise KernelCheckError(f"the checker needs the source of {fn.__name__} ({exc})") from None
        tree = ast.parse(textwrap.dedent("".join(lines)))
        ast.increment_lineno(tree, first - 1)
        tree = ast.fix_missing_locations(_Barriers(set(cuda_names)).visit(tree))
        _COMPILED[key] = compile(tree, fn.__code__.co_filename, "exec")
    return _COMPILED[key]


class _Launch:
    """One kernel launch under the checks."""

    def __init__(self, kernel: Any, grid: Dim, block: Dim) -> None:
        self.fn = python_function(kernel)
        self.grid, self.block = grid, block
        self.filename = self.fn.__code__.co_filename
        self.current: _ThreadState | None = None
        self.checks = True
        self._shared: dict[tuple[str, int], TrackedArray] = {}
        self.cuda = FakeCuda(self)
        self.bound = self._bind(self.fn)

    # --- the kernel and its device functions, with ``cuda`` meaning this executor
    def _bind(self, fn: Callable) -> Callable:
        from numba import cuda as real_cuda

        namespace = dict(fn.__globals__)
        cuda_names = {name for name, value in fn.__globals__.items() if value is real_cuda}
        for name in cuda_names:
            namespace[name] = self.cuda
        for name, value in fn.__globals__.items():
            if value is not fn and _is_cuda_function(value):  # a device function the kernel may call
                device_fn = python_function(value)
                namespace[name] = types.FunctionType(device_fn.__code__, namespace, device_fn.__name__,
                                                     device_fn.__defaults__, device_fn.__closure__)
        if fn.__closure__:  # variables of an enclosing function become globals of the copy
            namespace.update(zip(fn.__code__.co_freevars, (c.cell_contents for c in fn.__closure__)))
        exec(_generator_code(fn, frozenset(cuda_names or {"cuda"})), namespace)
        return namespace[fn.__name__]

    # --- where we are, for messages
    def who(self) -> str:
        t = self.current
        return _where(t.thread_idx, t.block_idx) if t is not None else "the host"

    def line(self) -> int:
        frame = sys._getframe(2)
        while frame is not None and frame.f_code.co_filename != self.filename:
            frame = frame.f_back
        return frame.f_lineno if frame is not None else 0

    def here(self) -> str:
        return _source(self.line(), self.filename)

    def access(self, atomic: bool) -> Access:
        t = self.current
        return Access(t.thread_idx, t.block_idx, t.phase, self.line(), atomic)

    def race(self, array: TrackedArray, index: tuple, first: Access, did: str, second: Access, does: str) -> None:
        where = ", ".join(map(str, index))
        if first.block != second.block:
            why = ("the threads are in different blocks, which cannot synchronise: use cuda.atomic, or one block "
                   "per output, or a second kernel launch")
        else:
            why = ("no cuda.syncthreads() between them: a barrier is missing (or one thread reads what another is "
                   "still writing)")
        raise RaceError(
            f"race on {array.name}[{where}]: {_where(first.thread, first.block)} {did} it at "
            f"{_source(first.line, self.filename)}, and {_where(second.thread, second.block)} {does} it at "
            f"{_source(second.line, self.filename)}; {why}")

    def shared_array(self, shape: int | Sequence[int], dtype: Any) -> TrackedArray:
        caller = sys._getframe(2)
        site = (caller.f_code.co_filename, caller.f_lineno)
        array = self._shared.get(site)
        if array is None:
            dtype = _numpy_dtype(dtype)
            fill = np.nan if dtype.kind in "fc" else np.iinfo(dtype).max if dtype.kind in "iu" else 0
            if not self.checks:
                array = self._shared[site] = np.full(shape, fill, dtype)
                return array
            match = re.match(r"\s*(\w+)\s*=", linecache.getline(*site))
            name = match.group(1) if match else f"shared array at line {site[1]}"
            array = TrackedArray(np.full(shape, fill, dtype), name, "shared", self)
            self._shared[site] = array
        return array

    # --- scheduling
    def run_block(self, block: Dim, args: tuple) -> None:
        """Run every thread of one block to its next barrier, check the barrier, repeat."""
        self._shared = {}  # shared memory belongs to one block
        bx, by, bz = self.block
        live = [_ThreadState((x, y, z), block) for z in reversed(range(bz)) for y in reversed(range(by))
                for x in reversed(range(bx))]
        bound, generator = self.bound, types.GeneratorType
        while live:
            waiting, finished = [], []
            for t in live:
                self.current = t
                try:
                    if t.body is None:
                        t.body = bound(*args)
                        if type(t.body) is not generator:  # a kernel without barriers has run to its end
                            finished.append(t)
                            continue
                    else:
                        t.phase += 1
                    t.barrier_line = next(t.body)
                    waiting.append(t)
                except StopIteration:
                    finished.append(t)
                except KernelCheckError:
                    raise
                except Exception as exc:
                    raise self._explain(t, exc) from None
            self.current = None
            if waiting and finished:
                w, f = waiting[0], finished[0]
                raise BarrierError(
                    f"{_where(w.thread_idx, block)} waits at the barrier at {_source(w.barrier_line, self.filename)}, "
                    f"but {_where(f.thread_idx, block)} finished without reaching it: every thread of a block must "
                    f"reach each cuda.syncthreads() (is there a `return` or an `if` around it?)")
            lines = {t.barrier_line for t in waiting}
            if len(lines) > 1:
                a, b = sorted(lines)[:2]
                raise BarrierError(f"threads of block {block} wait at different barriers "
                                   f"({_source(a, self.filename)} and {_source(b, self.filename)}); "
                                   f"every thread must reach the same cuda.syncthreads()")
            live = waiting

    def _explain(self, t: _ThreadState, error: Exception) -> Exception:
        tb, line = error.__traceback__, 0
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == self.filename:
                line = tb.tb_lineno
            tb = tb.tb_next
        message = f"{type(error).__name__} in {_where(t.thread_idx, t.block_idx)} at {_source(line, self.filename)}: {error}"
        kind = type(error) if isinstance(error, (ArithmeticError, ValueError, TypeError, NameError, AttributeError, RuntimeError)) \
            else KernelCheckError
        try:
            return kind(message)
        except TypeError:
            return KernelCheckError(message)


def run_checked(kernel: Any, grid: int | Sequence[int], block: int | Sequence[int], *args: Any,
                checks: bool = True) -> dict[str, tuple[int, int]]:
    """Run ``kernel[grid, block](*args)`` under the checks; numpy arrays in ``args`` are updated in place.

    Raises ``OutOfBoundsError``, ``RaceError``, ``UninitialisedReadError`` or ``BarrierError``
    (all ``KernelCheckError``) naming the thread, the block, the element and the source line.
    ``checks=False`` runs the same schedule on plain arrays, several times faster and checking nothing.
    Returns the number of (loads, stores) of each global array argument (empty without checks).
    """
    grid3, block3 = as_dim3(grid, "the grid"), as_dim3(block, "the block")
    if math.prod(block3) > 1024:
        raise ValueError(f"a block has at most 1024 threads on CUDA GPUs; {block3} has {math.prod(block3)}")
    launch = _Launch(kernel, grid3, block3)
    try:
        names = list(inspect.signature(launch.fn).parameters)
    except (TypeError, ValueError):
        names = []
    names += [f"argument {i}" for i in range(len(names), len(args))]
    launch.checks = checks
    tracked = tuple(TrackedArray(a, name, "global", launch) if checks and isinstance(a, np.ndarray) else a
                    for a, name in zip(args, names))
    for block in reversed(list(np.ndindex(*grid3[::-1]))):
        launch.run_block(tuple(block[::-1]), tracked)
    return {a.name: (a.loads, a.stores) for a in tracked if isinstance(a, TrackedArray)}
