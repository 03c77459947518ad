"""Shared helpers for the kernel's protocol tests (Debian's jupyter_client, run with /usr/bin/python3).

The kernel under test is the kernelspec named by RNNLAB_KERNEL_NAME (default "java"), found through
JUPYTER_PATH; kernel/scripts/test-kernel.sh installs it into a throwaway prefix and sets both.
"""
import base64
import os
import struct
import time
import zlib

from jupyter_client.manager import start_new_kernel

KERNEL_NAME = os.environ.get("RNNLAB_KERNEL_NAME", "java")
KERNEL_NAME_JDK25 = os.environ.get("RNNLAB_KERNEL_NAME_JDK25", "")
TIMEOUT = 60


def start(kernel_name=KERNEL_NAME, **kwargs):
    """A started kernel and a connected client (the client waits until the kernel answers)."""
    return start_new_kernel(kernel_name=kernel_name, startup_timeout=60, **kwargs)


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=True)


class Result:
    """What one execute request produced."""

    def __init__(self, reply, outputs):
        self.reply = reply
        self.outputs = outputs

    @property
    def status(self):
        return self.reply["content"]["status"]

    def of_type(self, *types):
        return [m for m in self.outputs if m["msg_type"] in types]

    def stream(self, name):
        return "".join(m["content"]["text"] for m in self.of_type("stream") if m["content"]["name"] == name)

    @property
    def error(self):
        errors = self.of_type("error")
        return errors[0]["content"] if errors else None

    def data(self, msg_type="execute_result"):
        found = self.of_type(msg_type)
        return found[-1]["content"]["data"] if found else None

    def __repr__(self):
        return f"Result({self.status}, {[(m['msg_type'], str(m['content'])[:200]) for m in self.outputs]})"


def execute(kc, code, timeout=TIMEOUT, interrupt=None, allow_stdin=None):
    """Runs code and collects its iopub messages until idle; interrupt=(km, seconds) interrupts after a delay."""
    msg_id = kc.execute(code, allow_stdin=allow_stdin)
    if interrupt is not None:
        km, delay = interrupt
        time.sleep(delay)
        km.interrupt_kernel()
    return collect(kc, msg_id, timeout)


def collect(kc, msg_id, timeout=TIMEOUT):
    """The iopub messages of an execute request already sent, until idle, and its reply."""
    outputs = []
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status":
            if msg["content"]["execution_state"] == "idle":
                break
            continue
        if msg["msg_type"] != "execute_input":
            outputs.append(msg)
    while True:
        reply = kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
        if reply["parent_header"].get("msg_id") == msg_id:
            return Result(reply, outputs)


def inspect(kc, code, cursor, timeout=TIMEOUT):
    """The content of the inspect_reply for `code` with the cursor at `cursor` (what Shift-Tab shows)."""
    msg_id = kc.inspect(code, cursor)
    deadline = time.monotonic() + timeout
    while True:
        reply = kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]


def has_jdk_sources(kernel_name=KERNEL_NAME):
    """Whether the kernel's JDK has its sources (lib/src.zip, a dangling link on Debian without openjdk-17-source),
    which is where JShell finds the JDK's documentation comments."""
    return os.path.isfile(os.path.join(java_home_of(kernel_name), "lib", "src.zip"))


MARKUP = r"<[a-zA-Z/!]|\{@|&(#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z]+);"


def png_size(b64):
    """Checks that base64 text is a well-formed PNG (signature, chunk CRCs, IEND) and returns (width, height)."""
    raw = base64.b64decode(b64)
    if raw[:8] != b"\x89PNG\r\n\x1a\n":
        raise AssertionError("not a PNG signature")
    pos, size, seen_end = 8, None, False
    while pos < len(raw):
        length, ctype = struct.unpack(">I4s", raw[pos:pos + 8])
        body = raw[pos + 8:pos + 8 + length]
        crc = struct.unpack(">I", raw[pos + 8 + length:pos + 12 + length])[0]
        if zlib.crc32(ctype + body) & 0xFFFFFFFF != crc:
            raise AssertionError(f"bad CRC in chunk {ctype!r}")
        if ctype == b"IHDR":
            size = struct.unpack(">II", body[:8])
        if ctype == b"IEND":
            seen_end = True
            break
        pos += 12 + length
    if size is None or not seen_end:
        raise AssertionError("PNG without IHDR or IEND")
    return size


def java_home_of(kernel_name=KERNEL_NAME):
    """The JDK the installed kernelspec runs on (argv[0] of its kernel.json)."""
    from jupyter_client.kernelspec import KernelSpecManager
    spec = KernelSpecManager().get_kernel_spec(kernel_name)
    return os.path.dirname(os.path.dirname(spec.argv[0]))


TESTLIB_SOURCE = """
package org.rnnlab.testlib;

/** A library for the kernel tests: a long computation that calls methods but never checks for interrupts. */
public final class Spinner {
    private Spinner() {}
    public static double step(double x) { return Math.sin(x) * 1e-9 + org.rnnlab.testdep.Dep.VALUE; }
    public static double spinForever() { double s = 0; while (true) { s += step(s); } }
    public static String hello() { return "hello from testlib " + org.rnnlab.testdep.Dep.VALUE; }
}
"""

TESTDEP_SOURCE = """
package org.rnnlab.testdep;

public final class Dep {
    private Dep() {}
    public static final int VALUE = 7;
}
"""

POM = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.rnnlab.test</groupId>
  <artifactId>{artifact}</artifactId>
  <version>1.0</version>
  <packaging>{packaging}</packaging>
  {dependencies}
</project>
"""


_REPO_URL = []


def make_maven_repo(root=None):
    """The test repository's URL, built once per test run (see build_maven_repo); `root` is ignored."""
    if not _REPO_URL:
        import atexit
        import shutil
        import tempfile
        where = tempfile.mkdtemp(prefix="rnnlab-test-repo-")
        atexit.register(shutil.rmtree, where, True)
        _REPO_URL.append(build_maven_repo(where))
    return _REPO_URL[0]


def build_maven_repo(root):
    """A file-based Maven repository with org.rnnlab.test:testlib:1.0, which depends on testdep:1.0 declared
    with <type>bundle</type> (as OSGi libraries such as Guava's dependencies do). Returns the repo's URL."""
    import subprocess
    import tempfile
    jdk = java_home_of()
    repo = os.path.join(root, "repo")
    build = tempfile.mkdtemp(dir=root)
    for artifact, source, cls, deps, packaging in (
            ("testdep", TESTDEP_SOURCE, "org/rnnlab/testdep/Dep.java", "", "bundle"),
            ("testlib", TESTLIB_SOURCE, "org/rnnlab/testlib/Spinner.java",
             "<dependencies><dependency><groupId>org.rnnlab.test</groupId><artifactId>testdep</artifactId>"
             "<version>1.0</version><type>bundle</type></dependency></dependencies>", "jar")):
        src_dir = os.path.join(build, artifact, "src")
        out_dir = os.path.join(build, artifact, "classes")
        os.makedirs(os.path.join(src_dir, os.path.dirname(cls)), exist_ok=True)
        os.makedirs(out_dir, exist_ok=True)
        with open(os.path.join(src_dir, cls), "w") as f:
            f.write(source)
        cp = os.path.join(build, "testdep", "classes")
        subprocess.run([os.path.join(jdk, "bin", "javac"), "--release", "17", "-cp", cp, "-d", out_dir,
                        os.path.join(src_dir, cls)], check=True)
        target = os.path.join(repo, "org", "rnnlab", "test", artifact, "1.0")
        os.makedirs(target, exist_ok=True)
        subprocess.run([os.path.join(jdk, "bin", "jar"), "cf", os.path.join(target, f"{artifact}-1.0.jar"),
                        "-C", out_dir, "."], check=True)
        with open(os.path.join(target, f"{artifact}-1.0.pom"), "w") as f:
            f.write(POM.format(artifact=artifact, dependencies=deps, packaging=packaging))
    return "file://" + repo
