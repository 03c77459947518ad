"""Starts e2e/fresh-machine.sh in the background as soon as pytest has collected e2e/test_fresh_machine.py.

The fresh-machine run mostly waits for PyPI and Maven Central (two new users, each with an empty HOME), so it
runs alongside the rest of the suite; test_fresh_machine.py waits for it and reads its report. pytest's main
process starts it and owns it (with pytest-xdist, the workers collect and the main process hears of it through
pytest_xdist_node_collection_finished; without, through pytest_collection_finish), so it runs once however many
workers there are. At the end, names the folder of the browser tests' screenshots (e2e/artifacts/) just before
pytest's summary line."""
import os
import pathlib
import shutil
import subprocess
import tempfile

import pytest

from fresh_background import FRESH, start_fresh_machine

FRESH_TEST = "e2e/test_fresh_machine.py"


def _is_worker(config):
    return hasattr(config, "workerinput")


def pytest_configure(config):
    if "RNNLAB_FRESH_DIR" not in os.environ:          # a worker has the main process's
        os.environ["RNNLAB_FRESH_DIR"] = tempfile.mkdtemp(prefix="rnnlab-fresh-run-")
        FRESH["owner"] = True


def _start_if_collected(nodeids):
    if os.environ.get("RNNLAB_FRESH_IN_BACKGROUND", "1") == "1" \
            and any(nodeid.split("::")[0].endswith(FRESH_TEST) for nodeid in nodeids):
        start_fresh_machine()


def pytest_collection_finish(session):
    if not _is_worker(session.config):
        _start_if_collected(item.nodeid for item in session.items)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    _start_if_collected(ids)


def pytest_sessionfinish(session, exitstatus):
    proc = FRESH.get("proc")
    if proc is not None and proc.poll() is None:
        proc.terminate()        # its own trap removes its users and copies
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
    if FRESH.get("owner"):
        shutil.rmtree(os.environ.pop("RNNLAB_FRESH_DIR"), ignore_errors=True)


def pytest_terminal_summary(terminalreporter):
    """Where the browser tests' screenshots are (CI keeps e2e/artifacts/), just before pytest's summary."""
    artifacts = pathlib.Path(__file__).resolve().parent / "artifacts"
    shots = sorted(artifacts.glob("*.png")) if artifacts.is_dir() else []
    if shots:
        terminalreporter.write_line(f"browser screenshots: {len(shots)} PNG files in {artifacts}")
