"""The course library: what students' labs and the book's chapters import.

- ``course.data``: the datasets, offline and with seeded splits (documented on the site's data pages);
- ``course.gpu``: where a CUDA kernel runs (a GPU, or the checking simulator) and ``launch``;
- ``course.cuda_check``: the simulator that checks bounds, races and barriers.

It is separate from ``grader/`` (the instructor's tools): no lab or chapter imports ``grader``.
"""
