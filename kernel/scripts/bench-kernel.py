#!/usr/bin/python3
"""Speed of the RNN Lab Java kernel through a real Jupyter client (jupyter_client).

Measures, for the installed kernelspec (default name: java):
  * start: process launch to the kernel_info reply,
  * first cell: `1+1` sent right after that reply, until its execute_reply,
  * trivial cell: median round trip (execute_request -> execute_reply and idle) over N cells.

Run with Debian's Jupyter:  /usr/bin/python3 kernel/scripts/bench-kernel.py [--kernel java] [--cells 200] [--starts 3]
Point JUPYTER_PATH at the prefix the kernel was installed in (kernel/scripts/test-kernel.sh does).
Targets: start <= 1.0 s, first cell <= 0.5 s, trivial cell <= 25 ms median.
"""
import argparse
import statistics
import sys
import time

from jupyter_client.manager import KernelManager


def wait_reply(kc, msg_id, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_shell_msg(timeout=max(0.01, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def wait_idle(kc, msg_id, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.01, deadline - time.monotonic()))
        if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"):
            return msg


def one_start(kernel, cells):
    km = KernelManager(kernel_name=kernel)
    t0 = time.monotonic()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        msg_id = kc.kernel_info()
        wait_reply(kc, msg_id)
        t_info = time.monotonic()
        msg_id = kc.execute("1+1")
        reply = wait_reply(kc, msg_id)
        assert reply["content"]["status"] == "ok", reply["content"]
        t_first = time.monotonic()
        wait_idle(kc, msg_id)
        trips = []
        for _ in range(cells):
            t = time.monotonic()
            msg_id = kc.execute("1+1")
            reply = wait_reply(kc, msg_id)
            wait_idle(kc, msg_id)
            trips.append(time.monotonic() - t)
            assert reply["content"]["status"] == "ok"
        return t_info - t0, t_first - t_info, trips
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel", default="java")
    ap.add_argument("--cells", type=int, default=200)
    ap.add_argument("--starts", type=int, default=3)
    args = ap.parse_args()
    starts, firsts, trips = [], [], []
    for i in range(args.starts):
        s, f, t = one_start(args.kernel, args.cells if i == 0 else 10)
        starts.append(s)
        firsts.append(f)
        if i == 0:
            trips = t
    med = statistics.median(trips)
    p90 = sorted(trips)[int(0.9 * len(trips)) - 1]
    print(f"kernel: {args.kernel}")
    print(f"start to kernel_info reply: median {statistics.median(starts):.3f} s, max {max(starts):.3f} s  (runs: "
          + ", ".join(f"{x:.3f}" for x in starts) + ")")
    print(f"first 1+1 after kernel_info: median {statistics.median(firsts):.3f} s, max {max(firsts):.3f} s  (runs: "
          + ", ".join(f"{x:.3f}" for x in firsts) + ")")
    print(f"trivial cell round trip over {len(trips)} cells: median {med * 1000:.1f} ms, p90 {p90 * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
