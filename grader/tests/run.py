#!/usr/bin/python3
"""Runs the assignment tests and ends with the line CI reads: `assignments: N passed, N failed`.

Needs the Java kernel (set JUPYTER_PATH to its installation) and the library with org.rnnlab.grading in the local
Maven repository (`mvn install`). GRADER_TEST_JOBS (default 2) sets how many submissions grade at a time."""
import pathlib
import sys
import time
import unittest

here = pathlib.Path(__file__).resolve().parent
started = time.monotonic()
suite = unittest.defaultTestLoader.discover(str(here), pattern="test_*.py", top_level_dir=str(here))
result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
failed = len(result.failures) + len(result.errors)
print(f"assignment tests took {time.monotonic() - started:.0f} s")
print(f"assignments: {result.testsRun - failed} passed, {failed} failed")
sys.exit(0 if result.wasSuccessful() else 1)
