"""A corpus of damaged and hostile submissions, built from Lab 01, each with its expected outcome.

Every case is a function that receives the instructor's and the released notebook (as nbformat
nodes) and returns the bytes a student might hand in, plus what the grader must make of it.

``escapes(targets)`` adds attempts to get out of the sandbox, built for a given grading run: a
student who knows where the repository, the grading output and the other submissions are (as
one who read the course's code would) tries to read the solutions, tamper with the grader's
files, kill or trace the grader, outlive the kernel or exhaust the machine. Each one prints what
it achieved on a line starting ``verdict:``; the suite checks that line in the graded notebook.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from textwrap import dedent
from typing import Callable

import nbformat
from nbformat.v4 import new_code_cell

# Failures are injected right after Task 1.4's solution: tasks 1.1-1.3 have run by then.


@dataclass(frozen=True)
class Expect:
    status: str  # graded / ungradable
    total: str  # "full", "zero" or "first-three" (tasks 1.1-1.3 only)
    reason: str = ""  # a phrase the row's reason must contain
    shows: str = ""  # a phrase the graded notebook's outputs must contain


def _dump(nb) -> bytes:
    return nbformat.writes(nb).encode()


def _grade_id(cell) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")


def _inject_after(nb, grade_id: str, code: str) -> bytes:
    nb = copy.deepcopy(nb)
    index = next(i for i, c in enumerate(nb.cells) if _grade_id(c) == grade_id)
    nb.cells.insert(index + 1, new_code_cell(code))
    return _dump(nb)


def invalid_json(sol, rel):
    return b'{"cells": [ {"cell_type": "code", "source": "x = 1" ', Expect("ungradable", "zero", "unreadable notebook")


def old_nbformat_v3(sol, rel):
    return nbformat.writes(nbformat.convert(copy.deepcopy(sol), 3), version=3).encode(), Expect("graded", "full")


def missing_cell_ids(sol, rel):
    data = json.loads(_dump(sol))
    data["nbformat_minor"] = 4
    for cell in data["cells"]:
        cell.pop("id", None)
    return json.dumps(data).encode(), Expect("graded", "full")


def duplicated_cell_ids(sol, rel):
    data = json.loads(_dump(sol))
    for cell in data["cells"]:
        cell["id"] = "same-id"
    return json.dumps(data).encode(), Expect("graded", "full")


def deleted_test_cells(sol, rel):
    nb = copy.deepcopy(sol)
    nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")]
    return _dump(nb), Expect("graded", "full")


def duplicated_and_moved_test_cells(sol, rel):
    nb = copy.deepcopy(sol)
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    others = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")]
    nb.cells = copy.deepcopy(tests) + others + copy.deepcopy(tests)
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
    return _dump(nb), Expect("graded", "full")


def edited_test_cells(sol, rel):
    """The blank student version with every test cell replaced by `assert True`: no gain."""
    nb = copy.deepcopy(rel)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.source = "assert True  # Task 1.1: visible tests"
    return _dump(nb), Expect("graded", "zero")


def stripped_metadata(sol, rel):
    """What another editor leaves: no nbgrader metadata, no ids; solutions are found by function."""
    data = json.loads(_dump(sol))
    data["nbformat_minor"] = 4
    for cell in data["cells"]:
        cell.pop("id", None)
        cell["metadata"] = {}
    return json.dumps(data).encode(), Expect("graded", "full")


def stripped_metadata_blank(sol, rel):
    data = json.loads(_dump(rel))
    for cell in data["cells"]:
        cell["metadata"] = {}
    return json.dumps(data).encode(), Expect("graded", "zero")


def kernel_exit(sol, rel):
    return _inject_after(sol, "task_1_4_solution", "import os\nos._exit(3)"), Expect("graded", "first-three", "kernel died")


def kernel_segfault(sol, rel):
    return _inject_after(sol, "task_1_4_solution", "import ctypes\nctypes.string_at(0)"), Expect("graded", "first-three", "kernel died")


def ignores_interrupts(sol, rel):
    loop = "import time\nwhile True:\n    try:\n        time.sleep(0.05)\n    except KeyboardInterrupt:\n        pass"
    return _inject_after(sol, "task_1_4_solution", loop), Expect("graded", "first-three", "longer than")


def sys_exit_is_only_an_error(sol, rel):
    return _inject_after(sol, "task_1_4_solution", "import sys\nsys.exit(1)"), Expect("graded", "full")


def memory_hog(sol, rel):
    """Past the memory cap the allocation fails in its own cell; the kernel and grades survive."""
    return _inject_after(sol, "task_1_4_solution", "import numpy as np\nhog = np.ones((50_000, 50_000))"), Expect("graded", "full")


CASES: dict[str, Callable] = {f.__name__: f for f in [
    invalid_json, old_nbformat_v3, missing_cell_ids, duplicated_cell_ids, deleted_test_cells,
    duplicated_and_moved_test_cells, edited_test_cells, stripped_metadata, stripped_metadata_blank,
    kernel_exit, kernel_segfault, ignores_interrupts, sys_exit_is_only_an_error, memory_hog,
]}


def tamper_comparisons(sol, rel):
    """Stubs that return None; every comparison the tests use, and the grader's own helpers, replaced."""
    nb = copy.deepcopy(rel)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = "\n".join(
                line.split("raise")[0] + "return None" if "raise NotImplementedError" in line else line
                for line in cell.source.splitlines()
            )
    patch = (
        "import builtins, numpy as np, torch\n"
        "always = lambda *a, **k: True\n"
        "np.allclose = np.isclose = np.array_equal = always\n"
        "np.testing.assert_allclose = lambda *a, **k: None\n"
        "torch.allclose = always\n"
        "builtins.all = builtins.any = always\n"
        "import grader.rpc\n"
        "grader.rpc.save = lambda *a, **k: None  # the channel that brings results back\n"
        "def __course_rpc__(*a, **k):  # the grader's helper in the kernel\n"
        "    pass\n"
        "print('Task 1.1: visible tests passed')"
    )
    nb.cells.insert(1, new_code_cell(patch))
    return _dump(nb), Expect("graded", "zero")


def reads_instructor_files(sol, rel):
    """Tries to load the instructor's notebook (solutions, hidden tests) and the gradebook."""
    nb = copy.deepcopy(rel)
    thief = (
        "import glob, json, os, course\n"
        "repo = os.path.dirname(os.path.dirname(course.__file__))\n"
        "stolen = 0\n"
        "for path in glob.glob('../../../source/*/*.ipynb') + glob.glob(repo + '/solutions/*/*.ipynb'):\n"
        "    try:\n"
        "        for cell in json.load(open(path))['cells']:\n"
        "            if cell['metadata'].get('nbgrader', {}).get('solution'):\n"
        "                exec(''.join(cell['source']), globals()); stolen += 1\n"
        "    except Exception:\n"
        "        pass\n"
        "print('stolen cells:', stolen)"
    )
    index = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "task_1_1_solution")
    nb.cells[index].source += "\n\n" + thief
    return _dump(nb), Expect("graded", "zero")


CASES.update({f.__name__: f for f in [tamper_comparisons, reads_instructor_files]})


@dataclass(frozen=True)
class Targets:
    """What the escape attempts aim at: the host's paths, as a well-informed student would know them."""

    repo: str  # the course repository (solutions/ with the instructor's notebooks)
    out: str  # the grading output (grades.csv, gradebook, feedback)
    subs: str  # the submissions folder (every student's notebook)
    marker: str  # a word the background processes carry, so the suite can look for survivors


# Reads the instructor's notebook under ROOT (a path prefix such as /proc/1/root) and runs its
# solution cells here; returns how many it ran. Success would earn the blank notebook points.
_STEAL = """
import glob as _glob, json as _json
def steal(prefix):
    ran = 0
    for path in _glob.glob(prefix + REPO + '/solutions/01-*/*.ipynb'):  # this lab's instructor notebook
        for cell in _json.load(open(path))['cells']:
            if cell['metadata'].get('nbgrader', {}).get('solution'):
                try:
                    exec(''.join(cell['source']), globals())
                    ran += 1
                except Exception:
                    pass
    return ran
"""


# Attempts that would damage the machine if they ever ran with root's rights (a sandbox that failed
# to start, a run with --no-sandbox) stop first; the case then loses its expected outcome.
_ONLY_SANDBOXED = """
import os as _os
if _os.getuid() == 0:
    raise SystemExit('verdict: ESCAPED (this kernel runs as root; the attempt stops here)')
"""


def _in_blank(rel, code: str) -> bytes:
    """The released notebook with ``code`` run inside Task 1.1's solution cell."""
    nb = copy.deepcopy(rel)
    index = next(i for i, c in enumerate(nb.cells) if _grade_id(c) == "task_1_1_solution")
    nb.cells[index].source += "\n\n" + code
    return _dump(nb)


def escapes(t: Targets) -> dict[str, Callable]:
    """Escape attempts against the grading run described by ``t``, each with its expected outcome."""
    head = f"REPO, OUT, SUBS, MARKER = {t.repo!r}, {t.out!r}, {t.subs!r}, {t.marker!r}\n"
    steal = head + _STEAL

    def proc_root_of_ancestors(sol, rel):
        """Through /proc/<pid>/root and /cwd of every visible process, the parent and pid 1 first."""
        code = steal + dedent("""
            import os
            pids = ['1', str(os.getppid())] + [p for p in os.listdir('/proc') if p.isdigit()]
            ran, refused = 0, []
            for pid in pids:
                for link in ('root', 'cwd'):
                    try:
                        ran += steal(f'/proc/{pid}/{link}')
                    except OSError as exc:
                        refused.append(f'{pid}/{link}: {type(exc).__name__}')
            ran += steal('')
            print('verdict:', f'ESCAPED ({ran} cells)' if ran else 'blocked', refused)
        """)
        return _in_blank(rel, code), Expect("graded", "zero", shows="verdict: blocked")

    def unmount_and_remount(sol, rel):
        """umount and remount every mount point, here and in a new user namespace (a child)."""
        code = steal + _ONLY_SANDBOXED + dedent("""
            import ctypes, os
            libc = ctypes.CDLL(None, use_errno=True)
            def mounts():
                return [line.split()[4] for line in open('/proc/self/mountinfo')][::-1]
            def attack():
                done = []
                for target in mounts():
                    if libc.umount2(target.encode(), 2) == 0:  # MNT_DETACH
                        done.append('umount ' + target)
                    if libc.mount(None, target.encode(), None, 32 | 4096, None) == 0:  # MS_REMOUNT | MS_BIND, rw
                        done.append('remount ' + target)
                return done
            done = attack()
            reader, writer = os.pipe()
            child = os.fork()
            if child == 0:  # new user and mount namespaces: root inside them, locked mounts still
                os.close(reader)
                try:
                    uid = os.getuid()
                    if libc.unshare(0x10000000 | 0x00020000) == 0:
                        open('/proc/self/setgroups', 'w').write('deny')
                        open('/proc/self/uid_map', 'w').write(f'0 {uid} 1')
                        more = attack()
                        os.write(writer, ('\\n'.join(more) + f'\\nstolen {steal("")}').encode())
                    else:
                        os.write(writer, b'no user namespace')
                finally:
                    os._exit(0)
            os.close(writer)
            os.waitpid(child, 0)
            child_said = os.read(reader, 100000).decode()
            print('in a new user namespace:', child_said)
            ran = steal('')
            print('verdict:', 'ESCAPED' if ran or done else 'blocked', done)
        """)
        return _in_blank(rel, code), Expect("graded", "zero", shows="verdict: blocked")

    def grader_command_line_and_environment(sol, rel):
        """Every visible process's command line and environment; the grader's must not be among them."""
        code = dedent("""
            import os
            found = []
            for pid in sorted(p for p in os.listdir('/proc') if p.isdigit()):
                for what in ('cmdline', 'environ'):
                    try:
                        text = open(f'/proc/{pid}/{what}', 'rb').read().replace(bytes(1), b' ').decode(errors='replace')
                    except OSError as exc:
                        print(pid, what, type(exc).__name__)
                        continue
                    print(pid, what, text[:3000])
                    mine = os.stat(f'/proc/{pid}').st_uid == os.getuid()
                    if (what == 'environ' and not mine) or any(w in text for w in ('spawn_main', 'pytest', 'autograde')):
                        found.append(f'{pid} {what}')
            print('verdict:', 'ESCAPED' if found else 'blocked', found)
        """)
        return _inject_after(sol, "task_1_4_solution", code), Expect("graded", "full", shows="verdict: blocked")

    def ptrace_the_grader(sol, rel):
        """PTRACE_ATTACH to every other visible process, and read its memory."""
        code = dedent("""
            import ctypes, os
            libc = ctypes.CDLL(None, use_errno=True)
            gained = []
            for pid in [int(p) for p in os.listdir('/proc') if p.isdigit()] + [os.getppid()]:
                if pid == os.getpid():
                    continue
                if libc.ptrace(16, pid, None, None) == 0:  # PTRACE_ATTACH
                    gained.append(f'attached {pid}')
                try:
                    open(f'/proc/{pid}/mem', 'rb').read(1)
                    gained.append(f'memory of {pid}')
                except OSError:
                    pass
            print('verdict:', 'ESCAPED' if gained else 'blocked', gained)
        """)
        return _inject_after(sol, "task_1_4_solution", code), Expect("graded", "full", shows="verdict: blocked")

    def kill_the_parent(sol, rel):
        code = _ONLY_SANDBOXED + dedent("""
            import os, signal
            refused = []
            for pid in {os.getppid(), 1}:
                for sig in (signal.SIGKILL, signal.SIGTERM):
                    try:
                        os.kill(pid, sig)
                    except OSError as exc:
                        refused.append(f'{pid} {sig.name}: {type(exc).__name__}')
            print('verdict:', 'blocked' if len(refused) == 2 * len({os.getppid(), 1}) else 'ESCAPED', refused)
        """)
        return _inject_after(sol, "task_1_4_solution", code), Expect("graded", "full", shows="verdict: blocked")

    def kill_process_group_zero(sol, rel):
        code = "import os, signal\nos.kill(0, signal.SIGKILL)"
        return _inject_after(sol, "task_1_4_solution", code), Expect("graded", "first-three", "kernel died")

    def kill_minus_one(sol, rel):
        """kill(-1) spares the caller (here it finds no one else), so a child does it too: the kernel dies."""
        code = _ONLY_SANDBOXED + dedent("""
            import os, signal
            try:
                os.kill(-1, signal.SIGKILL)
            except ProcessLookupError:
                print('no process to kill but this one')
            if os.fork() == 0:
                os.kill(-1, signal.SIGKILL)
        """)
        return _inject_after(sol, "task_1_4_solution", code), Expect("graded", "first-three", "kernel died")

    def write_into_grader_files(sol, rel):
        """Writes into the grading output, the gradebook, another student's folder and the repository."""
        code = head + _ONLY_SANDBOXED + dedent("""
            import glob, os
            wrote = []
            places = [OUT, OUT + '/course', OUT + '/results', OUT + '/feedback', SUBS, REPO, REPO + '/solutions']
            places += glob.glob(SUBS + '/*')
            for folder in places:
                try:
                    open(folder + '/PWNED-by-student', 'w').write('x')
                    wrote.append(folder)
                except OSError:
                    pass
            for path in [OUT + '/grades.csv', OUT + '/course/gradebook.db'] + glob.glob(SUBS + '/*/*.ipynb'):
                try:
                    open(path, 'a').write('x')
                    wrote.append(path)
                except OSError:
                    pass
            print('verdict:', 'ESCAPED' if wrote else 'blocked', wrote)
        """)
        return _inject_after(sol, "task_1_4_solution", code), Expect("graded", "full", shows="verdict: blocked")

    def background_survivor(sol, rel):
        """A daemon (setsid and double fork) and a detached subprocess, both meant to outlive grading."""
        code = head + dedent("""
            import os, subprocess, sys
            sleeper = [sys.executable, '-c', 'import time; time.sleep(3600)', MARKER]
            subprocess.Popen(sleeper, start_new_session=True, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    os.execv(sys.executable, sleeper)
                os._exit(0)
            os.wait()
            print('verdict: started')
        """)
        return _inject_after(sol, "task_1_4_solution", code), Expect("graded", "full", shows="verdict: started")

    def fork_bomb(sol, rel):
        code = _ONLY_SANDBOXED + dedent("""
            import os
            while True:
                try:
                    os.fork()
                except OSError:
                    pass
        """)
        return _inject_after(sol, "task_1_4_solution", code), Expect("graded", "first-three", "longer than")

    def fill_the_disk(sol, rel):
        """Writes 16 MiB chunks wherever it can until nothing more fits; reports where and how much."""
        code = head + _ONLY_SANDBOXED + dedent("""
            import os
            chunk, wrote = b'x' * 2**24, {}
            for folder in ['/tmp', os.getcwd(), os.path.expanduser('~'), '/var/tmp', '/dev/shm', '/', OUT, SUBS, REPO]:
                total = 0
                try:
                    for n in range(64):
                        with open(f'{folder}/fill-{n}', 'wb') as f:
                            for _ in range(16):
                                f.write(chunk)
                                total += len(chunk)
                except OSError:
                    pass
                wrote[folder] = total // 2**20
            print('MiB written:', wrote)
            outside = [k for k, v in wrote.items() if v and not os.path.realpath(k).startswith('/tmp')]
            print('verdict:', 'blocked' if not outside and sum(wrote.values()) <= 1024 else 'ESCAPED')
        """)
        return _inject_after(sol, "task_1_4_solution", code), Expect("graded", "full", shows="verdict: blocked")

    def print_a_gigabyte(sol, rel):
        code = "for _ in range(1024):\n    print('x' * 2**20)"
        return _inject_after(sol, "task_1_4_solution", code), Expect("graded", "full", shows="output truncated")

    def print_past_the_kernels_cap(sol, rel):
        """The same gigabyte through ipykernel's own stream class, past the kernel's cap: the grader
        drops what it cannot keep (messages over 8 MiB, output past 2 MB a cell)."""
        code = dedent("""
            import sys
            from ipykernel.iostream import OutStream
            sys.stdout.__class__ = OutStream
            for _ in range(1024):
                print('y' * 2**20)
        """)
        return _inject_after(sol, "task_1_4_solution", code), Expect("graded", "full")

    def huge_notebook(sol, rel):
        """A notebook of 300 MB (an enormous output saved with it): refused before it is read."""
        data = json.loads(_dump(sol))
        data["metadata"]["padding"] = "PAD"
        text = json.dumps(data).encode()
        return text.replace(b'"PAD"', b'"' + b"x" * 300_000_000 + b'"', 1), Expect("ungradable", "zero", "the limit is")

    def hostile_html(sol, rel):
        """Outputs that would run script in the browser of whoever opens the feedback page."""
        code = dedent("""
            from IPython.display import HTML, Markdown, SVG, Javascript, display
            act = "document.title='PW'+'NED';document.body.setAttribute('data-'+'pwned',1)"
            display(HTML(f'<script>{act}</script><b>bold stays</b>'))
            display(HTML(f'<img src="x" onerror="{act}"><a href="javascript:{act}">click</a>'))
            display(HTML(f'<iframe srcdoc="<script>parent.{act}</script>"></iframe><svg onload="{act}"></svg>'))
            display(Markdown(f'[a link](javascript:{act}) and <details open ontoggle="{act}">x</details>'))
            display(Javascript(act))
            display(SVG(f'<svg xmlns="http://www.w3.org/2000/svg" onload="{act}"><script>{act}</script></svg>'))
            display({'text/html': f'<object data="javascript:{act}"></object><form action="javascript:{act}"><button>go</button></form>'}, raw=True)
        """)
        return _inject_after(sol, "task_1_4_solution", code), Expect("graded", "full", shows="bold stays")

    return {f.__name__: f for f in [
        proc_root_of_ancestors, unmount_and_remount, grader_command_line_and_environment, ptrace_the_grader,
        kill_the_parent, kill_process_group_zero, kill_minus_one, write_into_grader_files, background_survivor,
        fork_bomb, fill_the_disk, print_a_gigabyte, print_past_the_kernels_cap, huge_notebook, hostile_html,
    ]}
