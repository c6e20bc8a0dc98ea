"""Plain data across the boundary between the grader and a student's kernel.

Only numbers, strings, None, numpy arrays (saved with ``allow_pickle=False``), torch tensors
(as their values: no gradient history), lists, tuples, dicts, and lambdas written in tests (as
source) cross it: no pickle, so nothing a student's code returns can
run code in the grader. Both sides import this module (the kernel a read-only copy of it).

The grader writes each call into a folder the kernel can only read; the kernel writes its reply
into two files the grader made for it, in a folder where it can create nothing (``grader.bwrap``).
The grader reads a reply without following links, from regular files only, up to a size limit.
What the kernel prints is bounded too: ``KernelOutput`` keeps at most ``OUTPUT_LIMIT`` characters
per cell and stream, then says that it truncated.
"""

from __future__ import annotations

import io
import json
import math
import os
import stat
import zipfile
from pathlib import Path
from typing import Any, Callable

import numpy as np
from ipykernel.iostream import OutStream

OUTPUT_LIMIT = 1_000_000  # characters a cell may print to stdout (and as many to stderr)
REPLY_LIMIT = 512 * 2**20  # bytes of one reply file the grader reads at most


class KernelLambda:
    """A lambda written in a test: evaluated in the student's kernel when sent there, and
    callable in the grader too (``env`` holds the values of its free names)."""

    def __init__(self, source: str, env: dict[str, Any], namespace: dict[str, Any]) -> None:
        self.source, self.env = source, env
        self._function = eval(source, {**namespace, **env})

    def __call__(self, *args, **kwargs):
        return self._function(*args, **kwargs)


def encode(value: Any) -> tuple[Any, dict[str, np.ndarray]]:
    arrays: dict[str, np.ndarray] = {}

    def enc(x: Any) -> Any:
        if isinstance(x, np.ndarray):
            if x.dtype == object:
                raise TypeError("arrays of Python objects cannot cross to the grader")
            key = f"a{len(arrays)}"
            arrays[key] = np.asarray(x, order="C")  # keeps 0-d arrays 0-d (ascontiguousarray would not)
            return {"__array__": key}
        if _is_tensor(x):
            key = f"a{len(arrays)}"
            arrays[key] = np.asarray(x.detach().cpu().numpy(), order="C")
            return {"__tensor__": key}
        if isinstance(x, np.generic):
            x = x.item()
        if x is None or isinstance(x, (bool, int, str)):
            return x
        if isinstance(x, float):
            return x if math.isfinite(x) else {"__float__": repr(x)}
        if isinstance(x, (list, tuple)):
            return {"__seq__": [enc(v) for v in x], "tuple": isinstance(x, tuple)}
        if isinstance(x, dict):
            return {"__map__": [[enc(k), enc(v)] for k, v in x.items()]}
        if isinstance(x, KernelLambda):
            return {"__lambda__": x.source, "env": enc({k: v for k, v in x.env.items() if _sendable(v)})}
        raise TypeError(f"a {type(x).__name__} cannot cross to or from the student's kernel")

    return enc(value), arrays


def _is_tensor(value: Any) -> bool:
    """A torch tensor, recognised without importing torch (the kernel may not have it loaded)."""
    return type(value).__module__.startswith("torch") and type(value).__name__ in {"Tensor", "Parameter"}


def _sendable(value: Any) -> bool:
    try:
        encode(value)
    except TypeError:
        return False
    return True


def decode(spec: Any, arrays: dict[str, np.ndarray], make_lambda: Callable[[str, dict], Any] | None = None) -> Any:
    def dec(x: Any) -> Any:
        if isinstance(x, dict):
            if "__array__" in x:
                return np.array(arrays[x["__array__"]])
            if "__tensor__" in x:
                import torch

                return torch.from_numpy(np.array(arrays[x["__tensor__"]]))
            if "__float__" in x:
                return float(x["__float__"])
            if "__seq__" in x:
                items = [dec(v) for v in x["__seq__"]]
                return tuple(items) if x["tuple"] else items
            if "__map__" in x:
                return {dec(k): dec(v) for k, v in x["__map__"]}
            if "__lambda__" in x and make_lambda:
                return make_lambda(x["__lambda__"], dec(x["env"]))
            raise TypeError(f"unexpected value from the kernel: {sorted(x)}")
        return x

    return dec(spec)


def save(stem: Path | str, value: Any) -> None:
    spec, arrays = encode(value)
    Path(f"{stem}.json").write_text(json.dumps(spec))
    np.savez(f"{stem}.npz", **arrays)


def _read(path: str, limit: int) -> bytes:
    """A regular file's bytes, not through a link, refusing a file larger than ``limit``."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            raise ValueError(f"{path} is not a regular file of at most {limit} bytes")
        return handle.read(limit + 1)[:limit]


def load(stem: Path | str, make_lambda=None, limit: int = REPLY_LIMIT) -> Any:
    spec = json.loads(_read(f"{stem}.json", limit))
    archive = io.BytesIO(_read(f"{stem}.npz", limit))
    if any(item.compress_type != zipfile.ZIP_STORED for item in zipfile.ZipFile(archive).infolist()):
        raise ValueError("compressed arrays are refused")  # what np.savez writes is stored as is
    with np.load(archive, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    return decode(spec, arrays, make_lambda)


def clear(stem: Path | str) -> None:
    """Empty a reply before a call, so a reply that never comes is not mistaken for an old one."""
    for suffix in (".json", ".npz"):
        os.close(os.open(f"{stem}{suffix}", os.O_WRONLY | os.O_TRUNC | os.O_NOFOLLOW | os.O_NONBLOCK))


class KernelOutput(OutStream):
    """The kernel's stdout and stderr, keeping at most ``OUTPUT_LIMIT`` characters per cell.

    The grader stores what a notebook prints and cuts it off too; this only makes the cut, and
    the note saying so, happen before the text leaves the kernel."""

    _cell: Any = None
    _written = 0

    def write(self, string: str) -> int | None:
        cell = self.parent_header.get("msg_id")
        if cell != self._cell:
            self._cell, self._written = cell, 0
        room = OUTPUT_LIMIT - self._written
        self._written += len(string)
        if room <= 0:
            return len(string)
        if len(string) > room:
            super().write(string[:room] + f"\n[output truncated: the grader keeps the first {OUTPUT_LIMIT:,} characters a cell prints]\n")
            return len(string)
        return super().write(string)


# Defined in the student's kernel before each test; calls one of their functions.
KERNEL_HELPER = '''
def __course_rpc__(name, call, reply):
    import numpy as _np
    from grader import rpc as _rpc
    _g = globals()
    args, kwargs, errstate = _rpc.load(call, make_lambda=lambda src, env: eval(src, {**_g, **env}))
    with _np.errstate(**errstate):
        result = _g[name](*args, **kwargs)
    def _arrays(a):  # what the function may have changed in place: an array, or a list's arrays
        if isinstance(a, _np.ndarray):
            return a
        if isinstance(a, (list, tuple)) and any(isinstance(x, _np.ndarray) for x in a):
            return [x if isinstance(x, _np.ndarray) else None for x in a]
        return None
    echo = {"args": {str(i): _arrays(a) for i, a in enumerate(args) if _arrays(a) is not None},
            "kwargs": {k: _arrays(a) for k, a in kwargs.items() if _arrays(a) is not None}}
    _rpc.save(reply, {"result": result, "echo": echo})
'''
