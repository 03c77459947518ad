#!/usr/bin/python3
"""Runs the notebook tests and ends with the line CI reads: `notebooks: N passed, N failed`."""
import pathlib
import sys
import unittest

here = pathlib.Path(__file__).resolve().parent
suite = unittest.defaultTestLoader.discover(str(here), pattern="test_*.py", top_level_dir=str(here))
result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
failed = len(result.failures) + len(result.errors)
print(f"notebooks: {result.testsRun - failed} passed, {failed} failed")
sys.exit(0 if result.wasSuccessful() else 1)
