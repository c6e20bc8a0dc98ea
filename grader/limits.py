"""What a student's notebook may use while it is graded: the defaults, in one place.

``python -m grader autograde`` shows them as its options' defaults; ``autograde()``, the grading
worker and the sandbox (``grader.bwrap.Limits``) take them from here.
"""

CELL_TIMEOUT_S = 120  # one cell; the kernel is stopped after this many seconds
WALL_LIMIT_S = 600  # the whole notebook
MEMORY_MB = 4096  # address space of each of the kernel's processes
PROCESSES = 128  # processes and threads of the sandbox's uid together
FILE_MB = 256  # largest file the kernel may write
TMP_MB = 512  # its private /tmp (also its home and working folder)
