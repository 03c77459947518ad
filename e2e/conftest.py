"""Starts e2e/fresh-machine.sh in the background as soon as pytest has collected e2e/test_fresh_machine.py.

The fresh-machine run mostly waits for PyPI and Maven Central (two new users, each with an empty HOME), so it
runs alongside the rest of the suite; test_fresh_machine.py waits for it and reads its report. At the end, names
the folder of the browser tests' screenshots (e2e/artifacts/) just before pytest's summary line."""
import os
import pathlib
import subprocess

from fresh_background import FRESH, start_fresh_machine


def pytest_collection_finish(session):
    if any(item.nodeid.split("::")[0].endswith("test_fresh_machine.py") for item in session.items) \
            and os.environ.get("RNNLAB_FRESH_IN_BACKGROUND", "1") == "1":
        start_fresh_machine()


def pytest_sessionfinish(session, exitstatus):
    proc = FRESH.get("proc")
    if proc is not None and proc.poll() is None:
        proc.terminate()        # its own trap removes its users and copies
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
    if "log" in FRESH:
        FRESH["log"].unlink(missing_ok=True)


def pytest_terminal_summary(terminalreporter):
    """Where the browser tests' screenshots are (CI keeps e2e/artifacts/), just before pytest's summary."""
    artifacts = pathlib.Path(__file__).resolve().parent / "artifacts"
    shots = sorted(artifacts.glob("*.png")) if artifacts.is_dir() else []
    if shots:
        terminalreporter.write_line(f"browser screenshots: {len(shots)} PNG files in {artifacts}")
