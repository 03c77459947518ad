"""The background run of e2e/fresh-machine.sh, shared by e2e/conftest.py (starts it) and test_fresh_machine.py
(waits for it).

The run lives in a folder named by RNNLAB_FRESH_DIR: `log` (its output) and, once it has ended, `status` (its
exit status). The process that starts it (pytest's main process, which with pytest-xdist runs no test itself)
waits for it in a thread and writes `status`; the test, possibly in a worker process, reads the two files. The
main process sets RNNLAB_FRESH_DIR before it starts the workers, so they all see the same folder.
"""
import os
import pathlib
import subprocess
import threading
import time

HERE = pathlib.Path(__file__).resolve().parent
FRESH = {}          # in the process that started the run: "proc", the Popen


def folder():
    """The folder of this pytest run's fresh-machine run (None before e2e/conftest.py has made it)."""
    path = os.environ.get("RNNLAB_FRESH_DIR")
    return pathlib.Path(path) if path else None


def start_fresh_machine():
    """Starts e2e/fresh-machine.sh in the background, once per pytest run; returns its folder."""
    where = folder()
    if "proc" in FRESH or (where / "log").exists():
        return where
    log = open(where / "log", "wb")
    proc = FRESH["proc"] = subprocess.Popen(["bash", str(HERE / "fresh-machine.sh")], stdout=log,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    log.close()

    def note_status():
        (where / "status.tmp").write_text(str(proc.wait()))
        (where / "status.tmp").rename(where / "status")

    threading.Thread(target=note_status, daemon=True).start()
    return where


def wait_for_fresh_machine(timeout):
    """Waits (at most TIMEOUT seconds) for the run to end; returns (exit status or None if it had not, log text)."""
    where = start_fresh_machine()
    deadline = time.monotonic() + timeout
    while not (where / "status").exists() and time.monotonic() < deadline:
        time.sleep(2)
    status = int((where / "status").read_text()) if (where / "status").exists() else None
    return status, (where / "log").read_text(errors="replace")
