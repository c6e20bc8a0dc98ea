"""Start an IPython kernel for a student's notebook inside limits.

Used as a kernelspec's argv (see ``grader.sandbox.kernelspec``): it applies the limits to its
own process, then becomes the kernel, so everything the student's code runs inherits them.

- ``--memory-mb``: address-space cap (RLIMIT_AS); an allocation past it raises MemoryError.
- ``--no-network``: a fresh network namespace with no interfaces up, where the platform allows
  it (root or unprivileged user namespaces); the kernel talks to the grader over Unix sockets
  (IPC transport), which a network namespace does not cut.
- no core dumps, and its own process group (so the grader can kill every child it starts).
"""

from __future__ import annotations

import argparse
import ctypes
import os
import resource
import sys

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000


def _unshare_network() -> bool:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) == 0:
        return True
    # without root: a user namespace first, then the network namespace inside it
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
        return False
    try:
        with open("/proc/self/setgroups", "w") as f:
            f.write("deny")
        with open("/proc/self/uid_map", "w") as f:
            f.write(f"{uid} {uid} 1")
        with open("/proc/self/gid_map", "w") as f:
            f.write(f"{gid} {gid} 1")
    except OSError:
        pass
    return True


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--memory-mb", type=int, default=0)
    parser.add_argument("--no-network", action="store_true")
    args, kernel_argv = parser.parse_known_args(argv)

    if os.getpgrp() != os.getpid():  # jupyter_client normally starts kernels in a new session already
        os.setpgrp()
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if args.memory_mb > 0:
        limit = args.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    network = "on"
    if args.no_network:
        network = "off" if _unshare_network() else "on (this platform does not allow a private network namespace)"
    os.environ["COURSE_SANDBOX"] = f"memory_mb={args.memory_mb} network={network}"

    from ipykernel.kernelapp import launch_new_instance

    sys.argv = [sys.argv[0], *kernel_argv]
    launch_new_instance()


if __name__ == "__main__":
    main()
