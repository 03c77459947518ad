#!/usr/bin/python3
"""Memory and CPU one student's kernel needs: executes lessons with nbclient against the installed `java`
kernel (a fresh kernel per lesson, as when a student opens it) and reads the kernel JVM's /proc entries.

    /usr/bin/python3 e2e/measure.py [NAME...]      (default: the welcome lesson and the first heavy lesson)

For each lesson it prints: wall time, the kernel's CPU time (user + system, all JVM threads: JIT and GC
included) at ready and at the end, and its peak resident memory (VmHWM) at ready and at the end. Uses the
`java` kernel Jupyter finds (set JUPYTER_PATH for a scratch install).
"""
import json
import os
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "e2e"))
TICKS = os.sysconf("SC_CLK_TCK")


def heavy_lesson():
    for prefix in ["02-", "05-", "03-", "07-", "06-", "04-", "01-"]:
        found = sorted((ROOT / "notebooks").glob(f"{prefix}*.ipynb"))
        if found:
            return found[0].stem
    return None


def cpu_seconds(pid):
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS   # utime, stime (fields 14 and 15 of stat)


def status_kib(pid, field):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def measure(name):
    path = ROOT / "notebooks" / f"{name}.ipynb"
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="java", timeout=600, allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    t0 = time.monotonic()
    with client.setup_kernel():
        pid = client.km.provisioner.process.pid
        info = client.wait_for_reply(client.kc.kernel_info())
        client.nb.metadata["language_info"] = info["content"]["language_info"]
        ready = {"wall": time.monotonic() - t0, "cpu": cpu_seconds(pid), "hwm": status_kib(pid, "VmHWM")}
        for index, cell in enumerate(client.nb.cells):
            client.execute_cell(cell, index)
        end = {"wall": time.monotonic() - t0, "cpu": cpu_seconds(pid), "hwm": status_kib(pid, "VmHWM"),
               "rss": status_kib(pid, "VmRSS")}
        cmdline = pathlib.Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    errors = sum(1 for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                 if o.output_type == "error")
    heap = next((a.decode() for a in cmdline if a.startswith(b"-Xmx")), "?")
    print(f"{name}: wall {end['wall']:.1f} s (kernel ready after {ready['wall']:.1f} s); kernel CPU "
          f"{end['cpu']:.1f} s ({ready['cpu']:.1f} s of it starting); kernel peak RSS "
          f"{end['hwm'] / 1024:.0f} MiB ({ready['hwm'] / 1024:.0f} MiB when ready, {end['rss'] / 1024:.0f} MiB "
          f"at the end); heap cap {heap}; errors {errors}", flush=True)
    return errors


def main(names):
    names = names or [n for n in ("00-welcome", heavy_lesson()) if n]
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    failures = sum(measure(n) > 0 for n in names)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
