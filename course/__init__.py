"""The course library: what students' labs and the book's chapters import.

- ``course.data``: the datasets, offline and with seeded splits (documented on the site's data pages);
- ``course.gpu``: where a CUDA kernel runs (a GPU, or the checking simulator) and ``launch``;
- ``course.cuda_check``: the simulator that checks bounds, races and barriers.

It is separate from ``grader/`` (the instructor's tools): no lab or chapter imports ``grader``.

A student who downloaded a single lab notebook gets it with the course: either clone the
repository and open the lab from there (``make lab LAB=01``), or copy this ``course/`` folder (pure
Python, a few files) next to the notebook and install the pinned packages of ``requirements.txt``;
Jupyter starts the kernel in the notebook's folder, so ``import course`` finds it.
"""
