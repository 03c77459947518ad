"""The background run of e2e/fresh-machine.sh, shared by e2e/conftest.py (starts it) and test_fresh_machine.py
(waits for it)."""
import pathlib
import subprocess
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
FRESH = {}


def start_fresh_machine():
    if "proc" not in FRESH:
        log = tempfile.NamedTemporaryFile(prefix="rnnlab-fresh-", suffix=".log", delete=False)
        FRESH["log"] = pathlib.Path(log.name)
        FRESH["proc"] = subprocess.Popen(["bash", str(HERE / "fresh-machine.sh")], stdout=log,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
    return FRESH
