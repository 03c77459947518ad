"""Session set-up shared by every Python test: the Java kernel, installed into a throwaway prefix.

Before collection, kernel/target/rnnlab-kernel-0.1.0.jar (built by Maven) is installed into a temporary prefix
as the kernelspec `java`, and as `java25` with the JDK 25 named by RNNLAB_JDK25 (default
/usr/lib/jvm/temurin-25-jdk-amd64; empty: skip) when it exists. JUPYTER_PATH, JUPYTER_DATA_DIR,
JUPYTER_RUNTIME_DIR, JUPYTER_CONFIG_DIR and IPYTHONDIR point into that prefix, so the user's own Jupyter folders
are neither needed nor changed, and every test (kernel protocol, lessons, grader, nbgrader, browser) runs the
kernel that was just built. RNNLAB_KERNEL_NAME and RNNLAB_KERNEL_NAME_JDK25 name the two kernelspecs.

With pytest-xdist (`./rnnlab test` runs `pytest -n 2 --dist loadscope`), every worker is a process of its own and
makes its own scratch prefix (pytest_configure runs in each), so two tests that run at once never share Jupyter's
runtime, data or config folders. pytest_collection_modifyitems (below) cuts the tests into the work units the
workers share out, and orders them longest first.

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

import pytest

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


# -- work units for the two workers (pytest-xdist, --dist loadscope) and their order
#
# A work unit runs on one worker, its tests in their usual order. By default a unit is a test class (a unittest
# class with its setUpClass, e.g. one kernel or one JupyterHub for all its tests) or, for test functions, their
# module (module-scoped fixtures). Tests that share state across classes or modules are one unit: the
# assignments' grading run (test_assignments.GradingTest) is read by test_nbgrader.py. Tests that share nothing
# and take long are a unit each: every lesson, every notebook on JJava.
SHARED = {
    "grader/tests/test_assignments.py::GradingTest": "graded submissions",
    "grader/tests/test_nbgrader.py": "graded submissions",
}
ONE_TEST_EACH = ("notebooks/tests/test_lessons.py::LessonTest::", "notebooks/tests/test_other_kernels.py::")
# Seconds each unit took in a whole run in one process (pytest's junit XML of `./rnnlab test` on 2026-12-06, a
# benchmark running beside it; README "Tests"): the units start longest first, so that the last ones to start
# are short and both workers end together. A unit not named here counts as short; a name stands for every unit
# it begins. e2e/test_fresh_machine.py only waits for the fresh-machine run that started in the background when
# pytest had collected it (e2e/conftest.py), so it goes last, when that run is long done.
LESSON = "notebooks/tests/test_lessons.py::LessonTest::test_"
ON_JJAVA = "notebooks/tests/test_other_kernels.py::test_the_notebook_shows_on_jjava_what_it_shows_on_ours["
SECONDS = {
    "graded submissions": 442,
    "hub/tests/test_hub.py::CourseHubTest": 151,
    "e2e/test_jupyterlab.py::JupyterLab": 85,
    "e2e/test_browser.py::Lessons": 81,
    "hub/tests/test_hub.py::CullingTest": 51,
    LESSON + "05": 47, LESSON + "04": 43, LESSON + "07": 42, LESSON + "03": 41, LESSON + "06": 34,
    LESSON + "02": 28, LESSON + "01": 18, LESSON + "00": 13,
    ON_JJAVA + "03": 32, ON_JJAVA + "04": 32, ON_JJAVA + "07": 30, ON_JJAVA + "05": 30, ON_JJAVA + "a4": 27,
    ON_JJAVA + "02": 23, ON_JJAVA + "06": 21, ON_JJAVA + "01": 20, ON_JJAVA + "a1": 19, ON_JJAVA + "00": 18,
    ON_JJAVA + "a3": 16, ON_JJAVA + "a2": 15,
    "e2e/test_book.py": 29,
    "kernel/src/test/python/test_protocol.py::KernelLifecycleTests": 28,
    "kernel/src/test/python/test_protocol.py::NotebookFeatureTests": 24,
    "kernel/src/test/python/test_student_classloading.py": 16,
    "kernel/src/test/python/test_jdk25.py": 14,
    "kernel/src/test/python/test_conformance.py": 10,
}
LAST = ("e2e/test_fresh_machine.py",)


def work_unit(nodeid):
    """The work unit of a test (a name; a test that is a unit of its own is named by its node id)."""
    if nodeid.startswith(ONE_TEST_EACH):
        return nodeid
    path, _, rest = nodeid.partition("::")
    names = rest.split("::")
    unit = f"{path}::{names[0]}" if len(names) > 1 else path
    return SHARED.get(unit) or SHARED.get(path) or unit


def estimated_seconds(unit):
    if unit.startswith(LAST):
        return -1.0
    prefixes = [name for name in SECONDS if unit.startswith(name)]
    return SECONDS[max(prefixes, key=len)] if prefixes else 0.0


def pytest_collection_modifyitems(config, items):
    """Puts each work unit's tests together, the units longest first (with xdist, every worker collects and
    orders alike, and the scheduler below hands out the units in this order)."""
    units = {}
    for item in items:
        units.setdefault(work_unit(item.nodeid), []).append(item)
    order = sorted(units, key=lambda unit: -estimated_seconds(unit))          # stable: ties keep their order
    items[:] = [item for unit in order for item in units[unit]]


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """With --dist loadscope, the scopes that pytest-xdist hands out whole are the work units above. (Its own
    loadgroup marks do not group under pytest 9: xdist 3.8 renames the node id through an attribute pytest 9 no
    longer reads.)"""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class WorkUnitScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return work_unit(nodeid)

    return WorkUnitScheduling(config, log)
