"""Start an IPython kernel for a student's notebook inside limits.

Used as a kernelspec's argv (see ``grader.sandbox.kernelspec``): it applies the limits to its
own process, then becomes the kernel, so everything the student's code runs inherits them.

- ``--memory-mb``: address-space cap (RLIMIT_AS); an allocation past it raises MemoryError.
- ``--no-network``: a fresh network namespace with no interfaces up, where the platform allows
  it (root or unprivileged user namespaces); the kernel talks to the grader over Unix sockets
  (IPC transport), which a network namespace does not cut.
- ``--hide DIR`` (repeatable) and ``--workdir DIR``: in a private mount namespace, every hidden
  folder is covered by an empty tmpfs, except the kernel's own working folder, which is mounted
  back in place; so the instructor's notebooks, the gradebook and other students' work cannot be
  read. Needs the same platform support as ``--no-network``.
- no core dumps, and its own process group (so the grader can kill every child it starts).
"""

from __future__ import annotations

import argparse
import ctypes
import os
import resource
import sys

CLONE_NEWNS = 0x00020000
CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18
_libc = ctypes.CDLL(None, use_errno=True)


def _unshare(flags: int) -> bool:
    """New namespaces for this process: directly as root, inside a user namespace otherwise."""
    if _libc.unshare(flags) == 0:
        return True
    uid, gid = os.getuid(), os.getgid()
    if _libc.unshare(CLONE_NEWUSER | flags) != 0:
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


def _mount(source: str | None, target: str, fstype: str | None, flags: int) -> None:
    enc = lambda v: v.encode() if v is not None else None  # noqa: E731
    if _libc.mount(enc(source), enc(target), enc(fstype), flags, None) != 0:
        raise OSError(ctypes.get_errno(), f"mount {target}: {os.strerror(ctypes.get_errno())}")


def _hide(hidden: list[str], workdir: str) -> None:
    """Cover each hidden folder with an empty tmpfs; mount the kernel's own folder back."""
    import tempfile

    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    stash = tempfile.mkdtemp(prefix="keep-")
    _mount(workdir, stash, None, MS_BIND | MS_REC)
    for folder in hidden:
        if os.path.isdir(folder):
            _mount("tmpfs", folder, "tmpfs", 0)
    os.makedirs(workdir, exist_ok=True)
    _mount(stash, workdir, None, MS_BIND | MS_REC)
    os.chdir(workdir)  # re-enter through the new mount, so ".." leads into the tmpfs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--memory-mb", type=int, default=0)
    parser.add_argument("--no-network", action="store_true")
    parser.add_argument("--hide", action="append", default=[])
    parser.add_argument("--workdir", default="")
    args, kernel_argv = parser.parse_known_args(argv)

    if os.getpgrp() != os.getpid():  # jupyter_client normally starts kernels in a new session already
        os.setpgrp()
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if args.memory_mb > 0:
        limit = args.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    network, files = "on", "visible"
    flags = (CLONE_NEWNET if args.no_network else 0) | (CLONE_NEWNS if args.hide else 0)
    if flags and _unshare(flags):
        network = "off" if args.no_network else "on"
        if args.hide:
            workdir = os.path.realpath(args.workdir or os.getcwd())
            _hide([os.path.realpath(h) for h in args.hide], workdir)
            files = "hidden"
    elif flags:
        network = "on (this platform does not allow private namespaces)"
    os.environ["COURSE_SANDBOX"] = f"memory_mb={args.memory_mb} network={network} grader_files={files}"
    os.environ["COURSE_CHECK_KERNELS"] = "1"  # CUDA kernels always run under course.cuda_check when graded

    from ipykernel.kernelapp import launch_new_instance

    sys.argv = [sys.argv[0], *kernel_argv]
    launch_new_instance()


if __name__ == "__main__":
    main()
