"""The README's commands on a fresh machine, as a new user would run them: e2e/fresh-machine.sh.

(a) `./rnnlab start --check`, `./rnnlab start` (it must serve JupyterLab), then `./rnnlab test --quick`, as a new user with an empty HOME on a fresh copy of
the repository; (b) `binder/postBuild` likewise, then the welcome lesson with the network cut. The script prints
its checks and ends with `fresh-machine: N passed, N failed`; this test passes when it ran its checks and none
failed. It starts in the background when pytest has collected it (e2e/conftest.py); set
RNNLAB_FRESH_IN_BACKGROUND=0 to run it only when this test's turn comes.
"""
import re
import sys

from fresh_background import wait_for_fresh_machine

TIMEOUT = 45 * 60


def test_readme_commands_on_a_fresh_machine():
    rc, report = wait_for_fresh_machine(TIMEOUT)
    print(report, file=sys.stderr)
    assert rc is not None, f"e2e/fresh-machine.sh still runs after {TIMEOUT} s; its output so far:\n{report[-4000:]}"
    lines = re.findall(r"^fresh-machine: (\d+) passed, (\d+) failed$", report, re.M)
    assert lines, f"e2e/fresh-machine.sh ended (status {rc}) without its result line; its output:\n{report[-4000:]}"
    passed, failed = map(int, lines[-1])
    fails = [l.strip() for l in report.splitlines() if l.startswith("  FAIL")]
    assert failed == 0 and rc == 0, f"{failed} fresh-machine checks failed (status {rc}):\n" + "\n".join(fails)
    assert passed >= 8, f"only {passed} fresh-machine checks ran; expected both stages' checks"
