"""A throw-away nbgrader course directory for one lab, and the nbgrader API that drives it.

nbgrader expects ``<root>/source/<lab>/``, ``<root>/submitted/<student>/<lab>/`` and so on. The
course keeps its notebooks elsewhere (``solutions/``, ``labs/``), so every command stages a course
root, copies the lab's solution in as the nbgrader "source", and lets nbgrader do the rest.
"""

from __future__ import annotations

import os
import shutil
import sys
import warnings
from pathlib import Path

from sqlalchemy.exc import SAWarning

from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import ClearSolutions
from nbgrader.converters import GenerateAssignment, GenerateFeedback
from traitlets.config import Config

from grader.labs import Lab
from grader.preprocessors import ClearSolutionsNamingTask, HideHiddenTests, SanitizeOutputs, clean_html
from grader.limits import CELL_TIMEOUT_S

COURSE_ID = "dl-course"

# nbgrader 0.9.6 triggers SQLAlchemy autoflush warnings on every submission; they are harmless.
warnings.filterwarnings("ignore", category=SAWarning, module="nbgrader")

# nbgrader runs the `alembic` executable and Jupyter kernels by name: make sure the ones next to
# this interpreter (the course's virtual environment) come first, also when it is not activated.
_BIN = str(Path(sys.executable).parent)
if _BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _BIN + os.pathsep + os.environ.get("PATH", "")


def nbgrader_config(root: Path, db_url: str | None = None, cell_timeout: int = CELL_TIMEOUT_S) -> Config:
    """nbgrader settings shared by release, autograde and feedback."""
    c = Config()
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.course_id = COURSE_ID
    c.CourseDirectory.db_url = db_url or f"sqlite:///{root / 'gradebook.db'}"
    c.Exchange.root = str(root / "exchange")  # inside the course folder: formgrader shows the lab released
    c.GenerateAssignment.preprocessors = [
        ClearSolutionsNamingTask if p is ClearSolutions else p
        for p in GenerateAssignment.class_traits()["preprocessors"].default()
    ]
    feedback_config(c)
    # validate once after all preprocessors, not after each (nbformat recompiles its schema on
    # every relaxed validation: about a second per submission)
    c.Exporter.optimistic_validation = True
    c.Execute.timeout = cell_timeout
    c.Execute.interrupt_on_timeout = True
    c.Execute.kernel_name = "python3"
    return c


def feedback_config(c: Config) -> Config:
    """Feedback pages: hidden tests by name, points and outcome only; HTML from notebooks cleaned.

    Also loaded by the ``nbgrader_config.py`` that ``autograde`` writes into its course folder,
    so nbgrader's own tools (formgrader's "Generate Feedback") do the same."""
    feedback = list(GenerateFeedback.class_traits()["preprocessors"].default())
    c.GenerateFeedback.preprocessors = [HideHiddenTests, *feedback, SanitizeOutputs]
    c.HTMLExporter.sanitize_html = True  # markdown cells and outputs through the filter below
    c.HTMLExporter.filters = {"clean_html": clean_html}  # nbconvert's own would escape headings and tables
    return c


NBGRADER_CONFIG = """\
# Written by `python -m grader autograde`; read by nbgrader's own tools (`python -m grader formgrader`
# opens this folder in JupyterLab's formgrader). Scores and comments entered there reach grades.csv
# and the feedback pages with `python -m grader report`.
import os

here = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.root = here
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.db_url = {db_url}
c.Exchange.root = os.path.join(here, "exchange")
# Feedback shows hidden tests by name, points and outcome only, and HTML from notebooks is cleaned.
# (The autograded notebooks kept here hold no hidden-test code and no scripts anyway.)
try:
    from grader.course import feedback_config
    feedback_config(c)
except ImportError:  # the course's package is not installed here: nbconvert's own cleaner
    c.HTMLExporter.sanitize_html = True
# submitted/<student>/<lab>/ holds no notebook (the grader keeps what was handed in outside this
# folder), so formgrader's "Autograde" button, which would run students' code without the sandbox,
# stops at "No notebooks were matched".
"""


def write_nbgrader_config(root: Path, db_url: str | None = None) -> Path:
    """The course folder's ``nbgrader_config.py``, for nbgrader's own tools (formgrader) run there."""
    url = repr(db_url) if db_url else 'f"sqlite:///{os.path.join(here, \'gradebook.db\')}"'
    path = root / "nbgrader_config.py"
    path.write_text(NBGRADER_CONFIG.format(course_id=COURSE_ID, db_url=url))
    return path


def stage_course(lab: Lab, root: Path, db_url: str | None = None, cell_timeout: int = CELL_TIMEOUT_S) -> NbGraderAPI:
    """Copy ``lab``'s solution into ``root/source/`` and return an nbgrader API for ``root``.

    The assignment is generated once, which records every graded cell (hidden tests included)
    in the gradebook; autograde later restores test cells from there.
    """
    source = root / "source" / lab.lab_id
    if source.exists():
        shutil.rmtree(source)
    shutil.copytree(lab.source_dir, source, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "mutants"))
    config = nbgrader_config(root, db_url, cell_timeout)
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    result = api.generate_assignment(lab.lab_id, force=True, create=True)
    if not result["success"]:
        raise RuntimeError(f"nbgrader could not generate {lab.lab_id}:\n{result.get('error', '')}\n{result.get('log', '')}")
    return api
