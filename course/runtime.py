"""Where code runs and how to say so: device choice, seeding, and a one-line description of the
machine and versions that every printed result carries."""

from __future__ import annotations

import os
import platform
import random

import numpy as np


def pick_device(name: str | None = None):
    """``torch.device(name)``; ``None`` gives CUDA when a GPU is present, else the CPU."""
    import torch

    if name is None:
        name = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(name)


def set_threads(most: int = 2) -> int:
    """Give torch ``most`` threads (no more than the machine's CPUs), unless the environment
    already says how many (``OMP_NUM_THREADS``: the grader gives each of its parallel kernels its
    share, and two kernels that each take both cores of a laptop slow each other down many times).
    Returns the number set."""
    import torch

    given = os.environ.get("OMP_NUM_THREADS", "")
    threads = int(given) if given.isdigit() and int(given) > 0 else max(1, min(most, os.cpu_count() or 1))
    torch.set_num_threads(threads)
    return threads


def seed_everything(seed: int) -> None:
    """Seed Python's, numpy's and torch's global generators (CPU and every GPU)."""
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def environment(device=None) -> str:
    """E.g. ``"x86_64 CPU, 2 cores, 2 torch threads; torch 2.13.0+cpu, numpy 2.4.6"``."""
    import torch

    device = pick_device() if device is None else torch.device(device)
    if device.type == "cuda":
        where = f"{torch.cuda.get_device_name(device)} (CUDA {torch.version.cuda})"
    else:
        where = f"{platform.machine()} CPU, {os.cpu_count()} cores, {torch.get_num_threads()} torch threads"
    return f"{where}; torch {torch.__version__}, numpy {np.__version__}, Python {platform.python_version()}"
