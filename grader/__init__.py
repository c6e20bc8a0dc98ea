"""The course's grading tools: release student labs, autograde submissions, check the tests.

Run ``python -m grader --help``. nbgrader is the engine; this package adds the course's
conventions (one solution notebook per lab, task ids such as "Task 1.4") around it.
"""
