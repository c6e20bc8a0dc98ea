"""``python -m grader formgrader --lab NN``: the graded course folder in JupyterLab's formgrader.

``autograde`` leaves ``grades/<lab>/course/``, an nbgrader course folder with its own
``nbgrader_config.py``. This starts JupyterLab there (nbgrader's tools read the configuration of the
folder they start in) with the instructor's settings from ``jupyter/instructor/``: Formgrader on,
the exchange screens off, and formgrader's pages loading the course's MathJax from this server
instead of a CDN. In JupyterLab: menu Nbgrader > Formgrader. Scores and comments entered there reach
``grades.csv`` and the feedback pages with ``python -m grader report --lab NN``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from grader.labs import REPO, Lab

INSTRUCTOR = REPO / "jupyter" / "instructor"


def formgrader_command(course: Path, options: list[str]) -> tuple[list[str], dict[str, str]]:
    """The ``jupyter lab`` command line and environment that open ``course`` for grading."""
    env = dict(os.environ)
    env["JUPYTER_CONFIG_DIR"] = str(INSTRUCTOR)
    # first on the data path: its nbconvert/templates/base/mathjax.html.j2 replaces the CDN MathJax
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(INSTRUCTOR), os.environ.get("JUPYTER_PATH", "")]))
    jupyter = str(Path(sys.executable).parent / "jupyter")
    argv = [jupyter, "lab", f"--ServerApp.root_dir={course}",
            f"--ServerApp.extra_static_paths={REPO / '_vendor'}", *options]
    if os.geteuid() == 0:  # containers often run as root, where JupyterLab otherwise refuses to start
        argv.append("--allow-root")
    return argv, env


def open_formgrader(lab: Lab, out_dir: Path, options: list[str]) -> None:
    """Replace this process by JupyterLab, started in ``out_dir/course`` (never returns)."""
    course = Path(out_dir).resolve() / "course"
    if not (course / "nbgrader_config.py").is_file():
        raise SystemExit(f"formgrader: no graded course folder at {course}; "
                         f"run `python -m grader autograde SUBMISSIONS --lab {lab.number}` first")
    argv, env = formgrader_command(course, options)
    if not (REPO / "_vendor" / "mathjax" / "tex-chtml.js").is_file():
        print("note: _vendor/mathjax/ is missing (`make env` makes it): formgrader will show math as source", flush=True)
    print(f"formgrader for {lab.lab_id}: {course}\n"
          "In JupyterLab: menu Nbgrader > Formgrader. Afterwards, "
          f"`python -m grader report --lab {lab.number}` writes hand scores and comments into grades.csv and the feedback.",
          flush=True)
    os.chdir(course)
    os.execve(argv[0], argv, env)
