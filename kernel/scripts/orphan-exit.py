#!/usr/bin/python3
"""How long an abandoned RNN Lab Java kernel lives on, through a real Jupyter client (jupyter_client).

Each trial starts the kernel from a child Python with KernelManager (as a notebook server does, so the kernel gets
JPY_PARENT_PID), lets it answer a cell, ends that child with os._exit without shutting the kernel down, and
measures the time until the kernel's JVM has ended (polled every 50 ms; a JVM still running after --limit seconds
is killed and counted as "never").

Run with Debian's Jupyter:  /usr/bin/python3 kernel/scripts/orphan-exit.py [--kernel java] [--trials 10]
Point JUPYTER_PATH at the prefix the kernel was installed in (kernel/scripts/test-kernel.sh does).
"""
import argparse
import os
import signal
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "python"))
from test_protocol import ABANDONING_STARTER, jvm_running, seconds_until_gone  # noqa: E402


def one_trial(kernel, limit):
    env = dict(os.environ)
    env.pop("JPY_PARENT_PID", None)
    child = subprocess.Popen([sys.executable, "-c", ABANDONING_STARTER, kernel, "0", "attached"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    pid = int(child.stdout.readline())
    child.stdout.readline()
    child.wait()
    child.stdout.close()
    gone = seconds_until_gone(pid, limit)
    if gone is None and jvm_running(pid):
        os.kill(pid, signal.SIGKILL)
    return gone


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel", default="java")
    ap.add_argument("--trials", type=int, default=10)
    ap.add_argument("--limit", type=float, default=15.0)
    args = ap.parse_args()
    times = [one_trial(args.kernel, args.limit) for _ in range(args.trials)]
    ended = [t for t in times if t is not None]
    print(f"kernel: {args.kernel}")
    print("JVM ended after the starter's exit (s): " + ", ".join(f"{t:.2f}" if t is not None else "never"
                                                                 for t in times))
    if ended:
        print(f"median {statistics.median(ended):.2f} s, max {max(ended):.2f} s; "
              f"{len(times) - len(ended)} of {len(times)} still running after {args.limit:.0f} s")
    return 0 if len(ended) == len(times) else 1


if __name__ == "__main__":
    sys.exit(main())
