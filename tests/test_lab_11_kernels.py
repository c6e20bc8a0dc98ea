"""Lab 11's kernels on the GPU path: numba-cuda's own CUDA compiler types and lowers each of them.

The lab's tests run the kernels under the course's simulator, which executes them as Python; a kernel
can pass there and still not compile for a GPU (a numpy call, a local array of variable size). Here
each kernel of the instructor's notebook goes through ``numba.cuda.compile_ptx`` in a process without
the simulator. On a machine without the CUDA toolkit's NVRTC library the last step, LLVM IR to PTX,
cannot run: that error, and only that one, is accepted as "compiled as far as this machine can".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from grader.labs import REPO

NOTEBOOK = REPO / "solutions" / "11-fused-attention" / "fused_attention.ipynb"

SCRIPT = r'''
import json, sys, types
import nbformat, numba
from numba import cuda
stub = types.ModuleType("course.gpu")  # the real one would switch the simulator on (no GPU here)
stub.DEVICE, stub.GPU, stub.launch, stub.checks = "no device", False, None, None
sys.modules["course.gpu"] = stub
nb = nbformat.read(sys.argv[1], as_version=4)
source = "\n\n".join(c.source for c in nb.cells if c.cell_type == "code"
                     and "skip-when-grading" not in c.metadata.get("tags", []) and not c.metadata.get("nbgrader", {}).get("grade"))
namespace = {"__name__": "lab11"}
exec(compile(source, "lab11", "exec"), namespace)
f32, i32, f64 = numba.float32, numba.int32, numba.float64
a2, a3 = f32[:, ::1], f32[:, :, ::1]
signatures = {"online_softmax_kernel": (a2, a2, f32[::1]), "attention_kernel": (a3, a3, a3, a3, f64),
              "causal_attention_kernel": (a3, a3, a3, a3, f64, i32[:, ::1]), "lstm_cell_kernel": (a2, a2, a2, a2)}
results = {}
for name, signature in signatures.items():
    try:
        cuda.compile_ptx(namespace[name].py_func, signature, cc=(9, 0))
        results[name] = "ptx"
    except Exception as exc:
        text = f"{type(exc).__name__}: {exc}"
        results[name] = "llvm" if "nvrtc" in text.lower() else text[:2000]
print(json.dumps(results))
'''


def test_every_kernel_compiles_for_a_gpu_as_far_as_this_machine_can():
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_ENABLE_CUDASIM"}
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(NOTEBOOK)], capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(proc.stdout.strip().splitlines()[-1])
    assert set(results) == {"online_softmax_kernel", "attention_kernel", "causal_attention_kernel", "lstm_cell_kernel"}
    failed = {name: outcome for name, outcome in results.items() if outcome not in ("ptx", "llvm")}
    assert not failed, f"kernels that numba-cuda cannot compile for a GPU: {failed}"
