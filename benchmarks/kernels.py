"""The labs' reference kernels against PyTorch: time, GB/s or TFLOP/s, and the ratio to torch.

The kernels are read from the instructor's notebooks (solutions/05-cuda-kernels and
solutions/11-fused-attention), so they are exactly what the labs grade against. With a CUDA GPU every
kernel runs on it, on torch CUDA tensors (no copies), timed with CUDA events after a warm-up: Lab 05's
at sizes up to 4096 x 4096 (the target for the tiled matrix multiply is within 4x of torch in
float32), Lab 11's fused attention and its causal version for 16 heads of width 64 and sequences of
256 to 4,096 tokens against ``F.scaled_dot_product_attention`` (and against attention written as
three torch operations, which stores the n x n matrices). Without a GPU the kernels run at small
sizes on the CPU three ways (the course's simulator with and without its checks, and numba's
simulator) and torch runs on the CPU; the figures then measure the simulators.

    python benchmarks/kernels.py             # both labs, sizes for the machine it finds
    python benchmarks/kernels.py --lab 11    # Lab 11's attention kernels only
    python benchmarks/kernels.py --repeat 5  # best of 5 timed runs per entry (GPU)
    python benchmarks/kernels.py --lab 11 --tile 32  # Lab 11's kernels compiled with another TILE (GPU)
"""

from __future__ import annotations

import argparse
import contextlib
import io
import linecache
import platform
import sys
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import course.gpu as gpu  # noqa: E402  (before numba.cuda)
from course.cuda_check import run_checked  # noqa: E402

NOTEBOOK = REPO / "solutions" / "05-cuda-kernels" / "cuda_kernels.ipynb"
ATTENTION_NOTEBOOK = REPO / "solutions" / "11-fused-attention" / "fused_attention.ipynb"


def reference_kernels(notebook: Path = NOTEBOOK, constants: dict | None = None) -> dict:
    """Execute the notebook's given and solution cells (no tests, no demonstrations) as a module.

    ``constants`` (e.g. ``{"TILE": 32}``) replace the setup cell's values before any kernel is
    defined; numba compiles a kernel at its first launch with the module's values then.
    """
    nb = nbformat.read(notebook, as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "code" and "skip-when-grading" not in c.metadata.get("tags", [])
             and not c.metadata.get("nbgrader", {}).get("grade")]
    source = "\n\n".join(cells)
    filename = f"{notebook}:reference"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)  # the checker reads kernel source
    namespace = {"__name__": f"lab{notebook.parent.name[:2]}_reference"}
    threads = torch.get_num_threads()
    with contextlib.redirect_stdout(io.StringIO()):  # what the setup cell prints
        exec(compile(source, filename, "exec"), namespace)
    torch.set_num_threads(threads)  # a lab's setup cell sets its own
    namespace.update(constants or {})
    return namespace


def cases(k: dict, big: bool, device: str) -> list[dict]:
    """Each entry: a kernel launch and the torch operation it replaces, with bytes and flops."""
    rng = torch.Generator(device="cpu").manual_seed(0)
    rand = lambda *shape: torch.randn(*shape, generator=rng).to(device)
    n = 1 << 24 if big else 4096
    side = 4096 if big else 64
    mm = 4096 if big else 32
    rows, cols = (4096, 4096) if big else (8, 256)
    c, h, w, f = (64, 128, 128, 64) if big else (3, 16, 16, 4)
    x, y = rand(n), rand(n)
    out_n = torch.empty_like(x)
    a2 = rand(side, side)
    out_t = torch.empty_like(a2)
    am, bm = rand(mm, mm), rand(mm, mm)
    cm = torch.empty(mm, mm, device=device)
    sx = rand(rows, cols)
    sy = torch.empty_like(sx)
    xc, wc = rand(c, h, w), rand(f, c, 3, 3)
    yc = torch.empty(f, h - 2, w - 2, device=device)
    blocks = k["blocks_for"]
    threads, tile = k["THREADS"], k["TILE"]
    partial = torch.empty(blocks(n, threads), device=device)
    return [
        dict(name=f"relu n={n:,}", kernel=k["relu_kernel"], grid=blocks(n, threads), block=threads, args=(x, out_n),
             torch=lambda: torch.relu(x), bytes=8 * n, flops=0, threads=n),
        dict(name=f"add n={n:,}", kernel=k["add_kernel"], grid=blocks(n, threads), block=threads, args=(x, y, out_n),
             torch=lambda: x + y, bytes=12 * n, flops=0, threads=n),
        dict(name=f"transpose {side}x{side}", kernel=k["transpose_kernel"], grid=k["grid_for"](side, side, tile),
             block=(tile, tile), args=(a2, out_t), torch=lambda: a2.t().contiguous(), bytes=8 * side * side, flops=0,
             threads=side * side),
        dict(name=f"block sum n={n:,} (first pass)", kernel=k["sum_kernel"], grid=blocks(n, threads), block=threads,
             args=(x, partial), torch=lambda: x.sum(), bytes=4 * n, flops=n, threads=n),
        dict(name=f"softmax {rows}x{cols}", kernel=k["softmax_kernel"], grid=rows, block=threads, args=(sx, sy),
             torch=lambda: torch.softmax(sx, dim=1), bytes=8 * rows * cols, flops=0, threads=rows * threads),
        dict(name=f"tiled matmul {mm}x{mm}x{mm}", kernel=k["matmul_kernel"], grid=k["grid_for"](mm, mm, tile),
             block=(tile, tile), args=(am, bm, cm), torch=lambda: am @ bm, bytes=12 * mm * mm, flops=2 * mm ** 3,
             threads=mm * mm),
        dict(name=f"conv2d {c}x{h}x{w}, {f} 3x3 filters", kernel=k["conv2d_kernel"],
             grid=(blocks(w - 2, 8), blocks(h - 2, 8), f), block=(8, 8, 1), args=(xc, wc, yc),
             torch=lambda: torch.nn.functional.conv2d(xc[None], wc)[0], bytes=4 * (xc.numel() + wc.numel() + yc.numel()),
             flops=2 * f * (h - 2) * (w - 2) * c * 9, threads=f * (h - 2) * (w - 2)),
    ]


def three_ops(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool) -> torch.Tensor:
    """Attention as three torch operations, storing the (heads, n, n) scores and probabilities."""
    scores = q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5
    if causal:
        n = q.shape[-2]
        scores = scores.masked_fill(torch.ones(n, n, dtype=torch.bool, device=q.device).triu(1), float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


def dispatched(run: Callable[[], object]) -> str:
    """The implementation F.scaled_dot_product_attention dispatches to in ``run`` (from the profiler)."""
    with torch.profiler.profile() as profile:
        run()
    names = [event.key for event in profile.key_averages()]
    return next((n.removeprefix("aten::") for n in names if n.startswith("aten::_scaled_dot_product")), "?")


def attention_cases(k: dict, big: bool, device: str) -> list[dict]:
    """Lab 11's fused attention kernels against ``F.scaled_dot_product_attention`` (and attention as
    three torch operations). Arrays (heads, n, d), float32; ``bytes`` is the least any attention must
    move (read Q, K, V, write O); ``flops`` 4 n^2 d per head (half of it when causal)."""
    heads, d = (16, 64) if big else (2, 16)
    lengths = (256, 512, 1024, 2048, 4096) if big else (32,)
    tile, scale = k["TILE"], 1.0 / d ** 0.5
    rng = torch.Generator(device="cpu").manual_seed(0)
    entries = []
    for n in lengths:
        q, kk, v = (torch.randn(heads, n, d, generator=rng).to(device) for _ in range(3))
        blocks = (n + tile - 1) // tile
        for causal in (False, True):
            out = torch.zeros_like(q)
            extra = (torch.zeros(heads, blocks, dtype=torch.int32, device=device),) if causal else ()
            entries.append(dict(
                name=f"{'causal ' if causal else ''}attention h={heads} n={n} d={d}",
                kernel=k["causal_attention_kernel" if causal else "attention_kernel"], grid=(blocks, heads), block=tile,
                args=(q, kk, v, out, scale, *extra), out=out, threads=heads * blocks * tile,
                # (batch, heads, n, d): PyTorch's fused implementations want 4-D inputs (3-D falls back to "math")
                torch=lambda q=q, kk=kk, v=v, causal=causal: F.scaled_dot_product_attention(q[None], kk[None], v[None], is_causal=causal)[0],
                naive=lambda q=q, kk=kk, v=v, causal=causal: three_ops(q, kk, v, causal),
                bytes=4 * 4 * heads * n * d, flops=(2 if causal else 4) * heads * n * n * d))
    return entries


def time_gpu(run: Callable[[], object], repeat: int) -> float:
    run()
    torch.cuda.synchronize()
    best = float("inf")
    for _ in range(repeat):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        run()
        end.record()
        torch.cuda.synchronize()
        best = min(best, start.elapsed_time(end) / 1000)
    return best


def time_cpu(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def rate(case: dict, seconds: float) -> str:
    if case["flops"] and case["flops"] > case["bytes"]:
        return f"{case['flops'] / seconds / 1e12:9.3f} TFLOP/s" if gpu.GPU else f"{case['flops'] / seconds / 1e6:9.3f} MFLOP/s"
    return f"{case['bytes'] / seconds / 1e9:9.3f} GB/s   " if gpu.GPU else f"{case['bytes'] / seconds / 1e6:9.3f} MB/s   "


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per entry on a GPU (the best is kept)")
    parser.add_argument("--lab", choices=("05", "11", "all"), default="all", help="whose kernels (default: both labs)")
    parser.add_argument("--tile", type=int, default=None, help="compile Lab 11's kernels with this TILE (default: the lab's)")
    args = parser.parse_args()
    device = "cuda" if gpu.GPU else "cpu"
    name = torch.cuda.get_device_name() if gpu.GPU else f"{platform.machine()} CPU, {torch.get_num_threads()} threads"
    import numba
    print(f"{time.strftime('%Y-%m-%d')}  {name}  torch {torch.__version__}  numba {numba.__version__}  numpy {np.__version__}  "
          f"python {platform.python_version()}\ncommand: python benchmarks/kernels.py {' '.join(sys.argv[1:])}\n")
    if args.lab in ("05", "all"):
        lab05(reference_kernels(), device, args.repeat)
    if args.lab in ("11", "all"):
        lab11(reference_kernels(ATTENTION_NOTEBOOK, {"TILE": args.tile} if args.tile else None), device, args.repeat)


def lab11(k: dict, device: str, repeat: int) -> None:
    """Lab 11's attention kernels: on a GPU against torch; without one, the simulators' speed."""
    print(f"Lab 11: fused attention (TILE = {k['TILE']}, one thread per query row, blocks of TILE threads)")
    if gpu.GPU:
        print(f"{'kernel':40s} {'time':>10s} {'achieved':>22s} {'SDPA':>10s} {'kernel/SDPA':>11s} {'3 torch ops':>12s} {'max error':>10s}")
        used = set()
        for case in attention_cases(k, big=True, device=device):
            kernel = case["kernel"]
            seconds = time_gpu(lambda: kernel[case["grid"], case["block"]](*case["args"]), repeat)
            error = (case["out"] - case["torch"]()).abs().max().item()
            reference = time_gpu(case["torch"], repeat)
            used.add(dispatched(case["torch"]))
            try:
                naive = f"{time_gpu(case['naive'], repeat) * 1e3:9.3f} ms"
            except torch.cuda.OutOfMemoryError:
                naive = "out of memory"
            print(f"{case['name']:40s} {seconds * 1e3:8.3f} ms {case['bytes'] / seconds / 1e9:7.1f} GB/s "
                  f"{case['flops'] / seconds / 1e12:6.2f} TFLOP/s {reference * 1e3:8.3f} ms {seconds / reference:10.1f}x "
                  f"{naive:>12s} {error:10.1e}")
        print("GB/s: the least traffic any attention needs (read Q, K, V, write O, float32) over the kernel's time; "
              "the kernel itself rereads K and V once per block of TILE query rows.")
        print(f"SDPA = F.scaled_dot_product_attention on (1, heads, n, d) float32, which ran: {', '.join(sorted(used))}\n")
        return
    print("No CUDA GPU: simulators on the CPU, small sizes (threads/s = CUDA threads simulated per second).\n")
    print(f"{'kernel':34s} {'checked':>18s} {'unchecked':>18s} {'numba simulator':>18s} {'torch CPU':>10s} {'max error':>10s}")
    for case in attention_cases(k, big=False, device=device):
        arrays = [a.numpy() if isinstance(a, torch.Tensor) else a for a in case["args"]]
        kernel, grid, block = case["kernel"], case["grid"], case["block"]
        checked = time_cpu(lambda: run_checked(kernel, grid, block, *arrays))
        error = (case["out"] - case["torch"]()).abs().max().item()  # arrays[3] shares case["out"]'s memory
        unchecked = time_cpu(lambda: run_checked(kernel, grid, block, *arrays, checks=False))
        simulator = time_cpu(lambda: kernel[grid, block](*arrays))
        reference = time_cpu(case["torch"])
        per = lambda s: f"{case['threads'] / s:12,.0f} thr/s"
        print(f"{case['name']:34s} {per(checked)} {per(unchecked)} {per(simulator)} {reference * 1e3:7.2f} ms {error:10.1e}")
    print("(an attention thread computes a whole row of O: 2nd multiply-adds and n exponentials; Lab 05's threads one element)\n")


def lab05(k: dict, device: str, repeat: int) -> None:
    """Lab 05's kernels: on a GPU against torch at large sizes; without one, the simulators' speed."""
    print("Lab 05: CUDA kernels")
    if gpu.GPU:
        print(f"{'kernel':40s} {'time':>10s} {'achieved':>18s} {'torch':>10s} {'kernel/torch':>12s}")
        for case in cases(k, big=True, device=device):
            kernel = case["kernel"]
            seconds = time_gpu(lambda: kernel[case["grid"], case["block"]](*case["args"]), repeat)
            reference = time_gpu(case["torch"], repeat)
            print(f"{case['name']:40s} {seconds * 1e3:8.3f} ms {rate(case, seconds)} {reference * 1e3:8.3f} ms "
                  f"{seconds / reference:10.1f}x")
        print()
        return
    print("No CUDA GPU: simulators on the CPU, small sizes (threads/s = CUDA threads simulated per second).\n")
    print(f"{'kernel':34s} {'checked':>18s} {'unchecked':>18s} {'numba simulator':>18s} {'torch CPU':>10s}")
    for case in cases(k, big=False, device=device):
        arrays = [a.numpy() if isinstance(a, torch.Tensor) else a for a in case["args"]]
        kernel, grid, block = case["kernel"], case["grid"], case["block"]
        checked = time_cpu(lambda: run_checked(kernel, grid, block, *arrays))
        unchecked = time_cpu(lambda: run_checked(kernel, grid, block, *arrays, checks=False))
        simulator = time_cpu(lambda: kernel[grid, block](*arrays))
        reference = time_cpu(case["torch"])
        per = lambda s: f"{case['threads'] / s:12,.0f} thr/s"
        print(f"{case['name']:34s} {per(checked)} {per(unchecked)} {per(simulator)} {reference * 1e3:7.2f} ms")
    print()


if __name__ == "__main__":
    main()
