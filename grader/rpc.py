"""Plain data across the boundary between the grader and a student's kernel.

Only numbers, strings, None, numpy arrays (saved with ``allow_pickle=False``), torch tensors
(as their values: no gradient history), lists, tuples, dicts, and lambdas written in tests (as
source) cross it: no pickle, so nothing a student's code returns can
run code in the grader. Both sides import this module.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Callable

import numpy as np


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
            arrays[key] = np.ascontiguousarray(x)
            return {"__array__": key}
        if _is_tensor(x):
            key = f"a{len(arrays)}"
            arrays[key] = np.ascontiguousarray(x.detach().cpu().numpy())
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


def load(stem: Path | str, make_lambda=None) -> Any:
    spec = json.loads(Path(f"{stem}.json").read_text())
    with np.load(f"{stem}.npz", allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    return decode(spec, arrays, make_lambda)


# Defined in the student's kernel after their notebook has run; calls one of their functions.
KERNEL_HELPER = '''
def __course_rpc__(name, folder):
    import numpy as _np
    from grader import rpc as _rpc
    _g = globals()
    args, kwargs, errstate = _rpc.load(folder + "/in", make_lambda=lambda src, env: eval(src, {**_g, **env}))
    with _np.errstate(**errstate):
        result = _g[name](*args, **kwargs)
    echo = {"args": {str(i): a for i, a in enumerate(args) if isinstance(a, _np.ndarray)},
            "kwargs": {k: a for k, a in kwargs.items() if isinstance(a, _np.ndarray)}}
    _rpc.save(folder + "/out", {"result": result, "echo": echo})
'''
