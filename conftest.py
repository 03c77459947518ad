"""Session set-up shared by every Python test: the Java kernel, installed into a throwaway prefix.

Before collection, kernel/target/rnnlab-kernel-0.1.0.jar (built by Maven) is installed into a temporary prefix
as the kernelspec `java`, and as `java25` with the JDK 25 named by RNNLAB_JDK25 (default
/usr/lib/jvm/temurin-25-jdk-amd64; empty: skip) when it exists. JUPYTER_PATH, JUPYTER_DATA_DIR,
JUPYTER_RUNTIME_DIR, JUPYTER_CONFIG_DIR and IPYTHONDIR point into that prefix, so the user's own Jupyter folders
are neither needed nor changed, and every test (kernel protocol, lessons, grader, nbgrader, browser) runs the
kernel that was just built. RNNLAB_KERNEL_NAME and RNNLAB_KERNEL_NAME_JDK25 name the two kernelspecs.

JJava (the pip package `jjava`, pinned as JJAVA_PIN in ./rnnlab) installs its kernelspec as `java`, the name of
ours, so `./rnnlab test` installs it into a prefix of its own, .venv/jjava, which no Jupyter searches (in .venv
itself it would shadow ours: Jupyter prefers an environment's kernelspecs to the user's). Its kernelspec is copied
from there into the scratch prefix as `jjava` (RNNLAB_JJAVA_KERNEL_NAME; empty, with RNNLAB_JJAVA_PROBLEM saying
why, when it is missing), for notebooks/tests/test_other_kernels.py.
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent
KERNEL_JAR = ROOT / "kernel" / "target" / "rnnlab-kernel-0.1.0.jar"
_SCRATCH = None


def _install(java, prefix, *extra):
    subprocess.run([java, "-jar", str(KERNEL_JAR), "install", "--prefix", str(prefix), *extra],
                   check=True, stdout=subprocess.DEVNULL)


JJAVA_SPEC = ROOT / ".venv" / "jjava" / "share" / "jupyter" / "kernels" / "java"


def _install_jjava(prefix):
    """Copies JJava's kernelspec from .venv/jjava to PREFIX/share/jupyter/kernels/jjava; returns its name."""
    spec_file = JJAVA_SPEC / "kernel.json"
    if not spec_file.is_file():
        os.environ["RNNLAB_JJAVA_PROBLEM"] = (f"{spec_file} is missing: ./rnnlab test installs JJava there "
                                              "(or: .venv/bin/pip install --no-deps --prefix .venv/jjava jjava==1.0a8)")
        return ""
    spec = json.loads(spec_file.read_text())
    if not any("jjava" in arg for arg in spec["argv"]):
        os.environ["RNNLAB_JJAVA_PROBLEM"] = f"{spec_file} is not JJava's kernelspec: rm -rf .venv/jjava; ./rnnlab test"
        return ""
    target = prefix / "share" / "jupyter" / "kernels" / "jjava"
    shutil.copytree(JJAVA_SPEC, target, dirs_exist_ok=True)
    pin = (JJAVA_SPEC.parents[3] / ".pin")
    version = pin.read_text().strip().split("==")[-1] if pin.is_file() else "?"
    spec["display_name"] = f"Java (JJava {version})"
    (target / "kernel.json").write_text(json.dumps(spec, indent=2))
    return "jjava"


def pytest_configure(config):
    global _SCRATCH
    if _SCRATCH is not None:
        return
    _SCRATCH = pathlib.Path(tempfile.mkdtemp(prefix="rnnlab-pytest-"))
    prefix = _SCRATCH / "prefix"
    os.environ.update({
        "JUPYTER_PATH": str(prefix / "share" / "jupyter"),
        "JUPYTER_DATA_DIR": str(_SCRATCH / "data"),
        "JUPYTER_RUNTIME_DIR": str(_SCRATCH / "runtime"),
        "JUPYTER_CONFIG_DIR": str(_SCRATCH / "config"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "IPYTHONDIR": str(_SCRATCH / "ipython"),
        "RNNLAB_KERNEL_NAME": "java",
        "RNNLAB_KERNEL_NAME_JDK25": "",
    })
    os.environ["RNNLAB_JJAVA_KERNEL_NAME"] = _install_jjava(prefix)
    if not KERNEL_JAR.is_file():
        print(f"\nconftest: {KERNEL_JAR.relative_to(ROOT)} is missing, so no `java` kernel is installed and every "
              "test that runs one fails: build it first (mvn -B -ntp -q package -DskipTests, or ./rnnlab test)",
              file=sys.stderr)
        return
    java = os.environ.get("JAVA") or shutil.which("java") or "java"
    _install(java, prefix, "--name", "java")
    jdk25 = os.environ.get("RNNLAB_JDK25", "/usr/lib/jvm/temurin-25-jdk-amd64")
    if jdk25 and os.access(os.path.join(jdk25, "bin", "java"), os.X_OK):
        _install(java, prefix, "--name", "java25", "--display-name", "Java 25 (RNN Lab)",
                 "--java", os.path.join(jdk25, "bin", "java"))
        os.environ["RNNLAB_KERNEL_NAME_JDK25"] = "java25"


def pytest_report_header(config):
    return [f"java kernel: {os.environ.get('JUPYTER_PATH')} (jdk25 kernelspec: "
            f"{os.environ.get('RNNLAB_KERNEL_NAME_JDK25') or 'none'}, JJava kernelspec: "
            f"{os.environ.get('RNNLAB_JJAVA_KERNEL_NAME') or 'none'})", f"python: {sys.executable}"]


def pytest_unconfigure(config):
    if _SCRATCH is not None:
        shutil.rmtree(_SCRATCH, ignore_errors=True)
