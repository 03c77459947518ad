#!/usr/bin/python3
"""Static and stubbed checks of the Binder (repo2docker) configuration.

repo2docker reads only binder/ when that folder exists, so binder/environment.yml must be the root
environment.yml byte for byte, and binder/postBuild must build the project, install the kernel and warm the
Maven cache for every `%maven` line the lessons use. JupyterLab and conda cannot be installed on the CI
machine, so the conda files are checked here statically; postBuild is also run once with stub `mvn`, `java`
and `python3` commands (no network, nothing built) to see which commands it would run.

    .venv/bin/python -m pytest binder/tests/test_environment.py

The venv's requirements-dev.txt (PyPI) and environment.yml (conda) must pin JupyterLab and Notebook to the same
exact versions: what CI tests is what Binder runs.
"""
import json
import os
import pathlib
import re
import shutil
import stat
import subprocess
import tempfile
import unittest
from xml.etree import ElementTree

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
ENV_ROOT = ROOT / "environment.yml"
ENV_BINDER = ROOT / "binder" / "environment.yml"
POSTBUILD = ROOT / "binder" / "postBuild"
REQUIREMENTS = ROOT / "requirements-dev.txt"
# Packages pinned exactly in both environment.yml and requirements-dev.txt, to the same version.
PINNED_IN_BOTH = ["jupyterlab", "notebook"]

# What postBuild runs, and so what the conda environment must provide.
NEEDED = ["openjdk", "maven", "jupyterlab", "notebook", "nbclient"]

# A conda match spec: name, then an optional version constraint ("openjdk=17", "maven >=3.8", "python=3.11").
SPEC = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*$")
# group:artifact[:extension[:classifier]]:version, each part a plain Maven token.
COORDINATE = re.compile(r"^[A-Za-z0-9_.\-]+(:[A-Za-z0-9_.\-]+){2,4}$")


def conda_specs(path):
    """name -> version constraint ('' when unconstrained) of a conda environment file's dependencies."""
    env = yaml.safe_load(path.read_text())
    if not isinstance(env, dict):
        raise AssertionError(f"{path} is not a YAML mapping")
    specs = {}
    for dep in env.get("dependencies") or []:
        if isinstance(dep, str):
            m = SPEC.match(dep)
            specs[m.group(1).lower()] = m.group(2)
        elif isinstance(dep, dict) and "pip" in dep:
            specs["pip:"] = dep["pip"]
    return env, specs


def notebook_files():
    return sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "notebooks" / "assignments").glob("*.ipynb"))


def maven_coordinates_in_code():
    """{coordinate: [notebook:cell, ...]} for every coordinate on a `%maven` line of a code cell, split as the
    kernel splits them (a line may name several)."""
    found = {}
    for path in notebook_files():
        nb = json.loads(path.read_text(encoding="utf-8"))
        for i, cell in enumerate(nb.get("cells", [])):
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            for line in source.split("\n"):
                words = line.strip().split()
                if words and words[0] == "%maven":
                    for c in words[1:]:
                        found.setdefault(c.strip("'\""), []).append(f"{path.relative_to(ROOT)}:cell {i}")
    return found


def postbuild_text():
    return POSTBUILD.read_text()


def commands(text):
    """postBuild's lines without comments and blank lines, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", text)
    out = []
    for line in joined.split("\n"):
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


STUB = """#!/bin/sh
printf '%s' "$(basename "$0")" >> "$STUB_LOG"
for a in "$@"; do printf ' %s' "$a" >> "$STUB_LOG"; done
printf '\\n' >> "$STUB_LOG"
exit 0
"""
# python3: asked for sys.prefix it answers STUB_PYTHON_PREFIX (a prefix nobody can write); anything else runs
# Debian's python3 (postBuild may read the notebooks with it).
PYTHON_STUB = """#!/bin/sh
case "$*" in
  *sys.prefix*) echo "$STUB_PYTHON_PREFIX" ;;
  *) exec /usr/bin/python3 "$@" ;;
esac
"""


def run_postbuild_with_stubs(extra_env, script=None):
    """Runs binder/postBuild (or `script`) with `mvn` and `java` replaced by stubs that log their arguments;
    returns (exit status, output, [logged command lines])."""
    with tempfile.TemporaryDirectory(prefix="rnnlab-postbuild-stub.") as tmp:
        tmp = pathlib.Path(tmp)
        bin_dir = tmp / "bin"
        bin_dir.mkdir()
        for name, text in (("mvn", STUB), ("java", STUB), ("python3", PYTHON_STUB)):
            (bin_dir / name).write_text(text)
            (bin_dir / name).chmod(0o755)
        log = tmp / "log"
        log.touch()
        home = tmp / "home"
        home.mkdir()
        env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(home), "STUB_LOG": str(log),
               "STUB_PYTHON_PREFIX": "/nonexistent-python-prefix", "LANG": "C.UTF-8"}
        env.update(extra_env)
        p = subprocess.run(["bash", str(script or POSTBUILD)], env=env, capture_output=True, text=True, timeout=120)
        return p.returncode, p.stdout + p.stderr, log.read_text().splitlines()


class EnvironmentFiles(unittest.TestCase):
    def test_binder_copy_is_identical(self):
        a, b = ENV_ROOT.read_bytes(), ENV_BINDER.read_bytes()
        print(f"\n  environment.yml {len(a)} bytes, binder/environment.yml {len(b)} bytes")
        self.assertEqual(a, b, "binder/environment.yml differs from environment.yml (repo2docker reads only "
                               "binder/): cp environment.yml binder/environment.yml")

    def test_both_parse_and_list_what_postbuild_needs(self):
        for path in (ENV_ROOT, ENV_BINDER):
            with self.subTest(path=str(path.relative_to(ROOT))):
                env, specs = conda_specs(path)
                print(f"\n  {path.relative_to(ROOT)}: channels {env.get('channels')}, dependencies "
                      + ", ".join(f"{k}{v}" for k, v in specs.items()))
                self.assertIn("conda-forge", env.get("channels") or [], "the conda-forge channel is missing")
                missing = [n for n in NEEDED if n not in specs]
                self.assertEqual(missing, [], f"{path.name} lacks {missing}; postBuild and ./rnnlab need them")
                self.assertRegex(specs["openjdk"], r"^(==?|>=)\s*17(\b|\.)",
                                 "openjdk must be pinned to 17 (e.g. openjdk=17): the project targets Java 17")


def requirement_pins(path):
    """{normalised name: version} of a requirements file's `name==version` lines."""
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        m = re.match(r"^([A-Za-z0-9_.\-]+)\s*==\s*([^\s;]+)", line)
        if m:
            pins[re.sub(r"[-_.]+", "-", m.group(1)).lower()] = m.group(2)
        elif line:
            raise AssertionError(f"{path.name}: '{line}' is not pinned as name==version")
    return pins


class PinsAgree(unittest.TestCase):
    """The venv (requirements-dev.txt, PyPI) and the conda environment (environment.yml: Binder, conda users) run
    the same JupyterLab and Notebook, pinned exactly, JupyterLab 4 and Notebook 7."""

    def check(self, env_path, req_path):
        _, specs = conda_specs(env_path)
        pins = requirement_pins(req_path)
        problems = []
        for name in PINNED_IN_BOTH:
            conda = specs.get(name, "")
            m = re.match(r"^(?:==?)\s*([0-9][^\s,*|<>=]*)$", conda)
            if not m:
                problems.append(f"{env_path.name}: {name} must be pinned exactly (e.g. {name}={pins.get(name, 'X.Y.Z')}),"
                                f" not '{conda or 'unpinned'}'")
            elif pins.get(name) != m.group(1):
                problems.append(f"{name}: {env_path.name} pins {m.group(1)}, {req_path.name} pins "
                                f"{pins.get(name, 'nothing')}; make them equal (and cp environment.yml binder/)")
        return problems, specs, pins

    def test_jupyterlab_and_notebook_pinned_alike(self):
        problems, specs, pins = self.check(ENV_ROOT, REQUIREMENTS)
        print("\n  " + ", ".join(f"{n}: conda {specs.get(n)!r}, pip {pins.get(n)!r}" for n in PINNED_IN_BOTH))
        self.assertEqual([], problems)
        self.assertTrue(pins["jupyterlab"].startswith("4."), "JupyterLab 4 is what Binder and lecturers run")
        self.assertTrue(pins["notebook"].startswith("7."), "Notebook 7 is what Binder and lecturers run")
        for name in ("nbgrader", "jupytext", "pytest", "nbclassic", "selenium", "jupyter-kernel-test"):
            self.assertIn(name, pins, f"requirements-dev.txt must pin {name}: the tests use it")

    def test_a_disagreeing_pin_is_caught(self):
        with tempfile.TemporaryDirectory(prefix="rnnlab-pins.") as tmp:
            env, req = pathlib.Path(tmp) / "environment.yml", pathlib.Path(tmp) / "requirements-dev.txt"
            env.write_text(ENV_ROOT.read_text())
            req.write_text(re.sub(r"(?m)^jupyterlab==\S+", "jupyterlab==4.0.0", REQUIREMENTS.read_text()))
            self.assertTrue(any("jupyterlab" in p for p in self.check(env, req)[0]))
            env.write_text(re.sub(r"(?m)^(\s*- notebook)\S*", r"\1>=7", ENV_ROOT.read_text()))
            req.write_text(REQUIREMENTS.read_text())
            self.assertTrue(any("pinned exactly" in p for p in self.check(env, req)[0]))


class PostBuild(unittest.TestCase):
    def test_strict_mode_first(self):
        cmds = commands(postbuild_text())
        first = postbuild_text().split("\n", 1)[0]
        print(f"\n  shebang {first!r}, first command {cmds[0]!r}")
        self.assertTrue(first.startswith("#!") and "bash" in first, "postBuild needs a bash shebang")
        self.assertEqual(cmds[0], "set -euo pipefail", "postBuild's first command must be `set -euo pipefail`")

    def test_executable(self):
        mode = POSTBUILD.stat().st_mode
        print(f"\n  mode {stat.filemode(mode)}")
        self.assertTrue(mode & stat.S_IXUSR and mode & stat.S_IXOTH,
                        "postBuild must be executable (chmod +x binder/postBuild; git keeps the bit)")

    def test_builds_then_installs_the_kernel(self):
        cmds = commands(postbuild_text())
        build = [i for i, c in enumerate(cmds) if re.match(r"^mvn\b.*\binstall\b", c) and "dependency:get" not in c]
        install = [i for i, c in enumerate(cmds) if re.search(r"\bjava\b.*-jar\b.*\binstall\b", c)]
        print(f"\n  build commands at {build}, kernel install commands at {install}")
        self.assertTrue(build, "postBuild does not build the project (mvn ... install)")
        self.assertTrue(install, "postBuild does not install the kernel (java -jar ... install)")
        self.assertLess(build[0], install[0], "postBuild installs the kernel before building it")
        text = postbuild_text()
        self.assertIn("--sys-prefix", text, "postBuild must install into the conda environment (--sys-prefix)")
        self.assertIn("--user", text, "postBuild must fall back to --user where the prefix is not writable")
        pom = ElementTree.parse(ROOT / "kernel" / "pom.xml").getroot()
        ns = {"m": "http://maven.apache.org/POM/4.0.0"}
        v = (pom.findtext("m:version", namespaces=ns) or pom.findtext("m:parent/m:version", namespaces=ns)).strip()
        artifact = pom.findtext("m:artifactId", namespaces=ns).strip()
        self.assertIn(f"kernel/target/{artifact}-{v}.jar", text,
                      f"postBuild does not install the jar the build makes (kernel/target/{artifact}-{v}.jar)")

    def test_sys_prefix_on_binder(self):
        with tempfile.TemporaryDirectory(prefix="rnnlab-conda.") as conda:
            rc, out, log = run_postbuild_with_stubs({"CONDA_PREFIX": conda})
        print("\n  CONDA_PREFIX writable -> " + "; ".join(l for l in log if l.startswith("java")))
        self.assertEqual(rc, 0, out)
        self.assertTrue(any(re.search(r"^java .*-jar \S+ install --sys-prefix\b", l) for l in log),
                        f"with a writable CONDA_PREFIX (Binder) postBuild must install --sys-prefix; ran {log}")

    def test_user_fallback_where_prefix_is_not_writable(self):
        rc, out, log = run_postbuild_with_stubs({"CONDA_PREFIX": "/nonexistent-conda-prefix/env"})
        rc2, out2, log2 = run_postbuild_with_stubs({})  # no conda: python3's sys.prefix (stubbed, not writable)
        print("\n  prefix not writable -> " + "; ".join(l for l in log + log2 if l.startswith("java")))
        for r, o, lg in ((rc, out, log), (rc2, out2, log2)):
            self.assertEqual(r, 0, o)
            self.assertTrue(any(re.search(r"^java .*-jar \S+ install --user\b", l) for l in lg),
                            f"where the prefix is not writable postBuild must install --user; ran {lg}")
            self.assertFalse(any("--sys-prefix" in l for l in lg if l.startswith("java")),
                             f"postBuild tried --sys-prefix on a prefix it cannot write; ran {lg}")

    def test_warms_every_maven_artifact_the_notebooks_use(self):
        used = maven_coordinates_in_code()
        rc, out, log = run_postbuild_with_stubs({"CONDA_PREFIX": "/nonexistent-conda-prefix/env"})
        self.assertEqual(rc, 0, out)
        warmed = []
        for line in log:
            m = re.search(r"^mvn .*dependency:get\b.*-Dartifact=(\S+)", line)
            if m:
                warmed.append(m.group(1))
        print(f"\n  {len(notebook_files())} notebooks; %maven coordinates used: {sorted(used) or 'none'}; "
              f"postBuild fetches: {sorted(warmed) or 'none'}")
        missing = {c: where for c, where in used.items() if c not in warmed}
        self.assertEqual(missing, {}, "postBuild's %maven loop misses these coordinates (a launch would "
                                      "download them): " + json.dumps(missing))
        bad = [c for c in warmed if not COORDINATE.match(c) or c not in used]
        self.assertEqual(bad, [], "postBuild would run `mvn dependency:get` on these, which are not coordinates "
                                  "a code cell's %maven line uses (prose or an output matched the grep?); under "
                                  "set -e one that does not resolve fails the Binder build")
        if not used:
            print("  (no notebook uses %maven yet: the loop is checked against an empty set)")

    def run_on_scratch_notebooks(self, cells):
        """Runs a copy of postBuild (stubbed commands) on a scratch tree holding one notebook made of `cells`
        (("code" | "markdown", source) pairs); returns the coordinates it fetches."""
        with tempfile.TemporaryDirectory(prefix="rnnlab-loop.") as tmp:
            tree = pathlib.Path(tmp)
            (tree / "binder").mkdir()
            shutil.copy2(POSTBUILD, tree / "binder" / "postBuild")
            (tree / "notebooks" / "assignments").mkdir(parents=True)
            nb = {"cells": [{"cell_type": kind, "source": src, "metadata": {}, **(
                {"outputs": [], "execution_count": None} if kind == "code" else {})} for kind, src in cells],
                  "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            (tree / "notebooks" / "x.ipynb").write_text(json.dumps(nb, indent=1))
            rc, out, log = run_postbuild_with_stubs({"CONDA_PREFIX": "/nonexistent-conda-prefix/env"},
                                                    script=tree / "binder" / "postBuild")
        self.assertEqual(rc, 0, out)
        return [m.group(1) for m in (re.search(r"^mvn .*dependency:get\b.*-Dartifact=(\S+)", l) for l in log) if m]

    def test_loop_finds_the_forms_lessons_use(self):
        """One coordinate per line, at the start of a cell, indented, with an extension, after code."""
        found = self.run_on_scratch_notebooks([
            ("code", "%maven org.example:one:1.0"), ("code", "  %maven org.example:two:2.0-SNAPSHOT"),
            ("code", "%maven org.example:three:jar:3.0\nint x = 1;"), ("code", "var a = 1;\n%maven org.example:four:4.0")])
        print(f"\n  fetches: {found}")
        self.assertEqual(sorted(found), ["org.example:four:4.0", "org.example:one:1.0",
                                         "org.example:three:jar:3.0", "org.example:two:2.0-SNAPSHOT"])

    def test_loop_takes_several_coordinates_and_ignores_prose(self):
        """`%maven a b` (the kernel takes several per line) fetches both; prose that mentions %maven and a cell's
        output are not code, so nothing from them is fetched (under set -e a placeholder fails the build)."""
        found = self.run_on_scratch_notebooks([
            ("code", "%maven org.example:five:5.0 org.example:six:6.0"),
            ("markdown", "Add a library with `%maven group:artifact:version`, e.g. `%maven org.example:seven:7.0`.")])
        print(f"\n  fetches: {found}")
        self.assertEqual(sorted(found), ["org.example:five:5.0", "org.example:six:6.0"],
                         "postBuild's loop should read %maven lines of code cells only, every coordinate on them")


class BinderBadge(unittest.TestCase):
    """`./rnnlab badge` writes the README's Binder badge for the repository's GitHub address."""
    BADGE = ROOT / "binder" / "badge.py"

    def scratch_clone(self, remote):
        """A temporary folder with a git repository (remote `origin` = `remote`, or none) and a copy of README.md."""
        tmp = pathlib.Path(tempfile.mkdtemp(prefix="rnnlab-badge-"))
        self.addCleanup(shutil.rmtree, tmp, ignore_errors=True)
        subprocess.run(["git", "init", "-q", str(tmp)], check=True)
        if remote:
            subprocess.run(["git", "-C", str(tmp), "remote", "add", "origin", remote], check=True)
        shutil.copy(ROOT / "README.md", tmp / "README.md")
        return tmp

    def run_badge(self, tree, *args):
        return subprocess.run(["/usr/bin/python3", str(self.BADGE), "--readme", str(tree / "README.md"), *args],
                              capture_output=True, text=True)

    def assert_badge_for(self, tree, repo):
        text = (tree / "README.md").read_text()
        url = f"https://mybinder.org/v2/gh/{repo}/HEAD?urlpath=lab/tree/notebooks/00-welcome.ipynb"
        self.assertIn(f"[![Binder](https://mybinder.org/badge_logo.svg)]({url})", text)
        before, _, rest = (ROOT / "README.md").read_text().partition("<!-- binder-badge -->")
        _, _, after = rest.partition("<!-- /binder-badge -->")
        self.assertTrue(text.startswith(before) and text.endswith(after), "only the badge block may change")

    def test_readme_has_the_block_and_the_welcome_lesson_exists(self):
        text = (ROOT / "README.md").read_text()
        self.assertLess(text.index("<!-- binder-badge -->"), text.index("<!-- /binder-badge -->"))
        self.assertTrue((ROOT / "notebooks" / "00-welcome.ipynb").is_file(), "the badge opens the welcome lesson")
        for m in re.finditer(r"mybinder\.org/v2/gh/([^/)\s]+/[^/)\s]+)/HEAD\?urlpath=lab/tree/(\S+?)\)", text):
            self.assertNotIn("OWNER", m.group(1), "a badge in the README must name a real repository")
            self.assertTrue((ROOT / m.group(2)).is_file(), f"the badge opens {m.group(2)}, which is not in the repo")

    def test_https_remote_gives_the_badge(self):
        tree = self.scratch_clone("https://github.com/someone/rnn-lab.git")
        r = self.run_badge(tree)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_badge_for(tree, "someone/rnn-lab")

    def test_ssh_remote_gives_the_badge_and_a_second_run_replaces_it(self):
        tree = self.scratch_clone("git@github.com:a-fork/rnn.lab")
        self.assertEqual(self.run_badge(tree).returncode, 0)
        r = self.run_badge(tree, "another/fork")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_badge_for(tree, "another/fork")
        self.assertNotIn("a-fork/rnn.lab", (tree / "README.md").read_text())

    def test_without_a_github_remote_it_says_what_to_run_and_changes_nothing(self):
        for remote in (None, "https://gitlab.com/someone/rnn-lab.git"):
            tree = self.scratch_clone(remote)
            r = self.run_badge(tree)
            self.assertEqual(r.returncode, 2)
            self.assertIn("./rnnlab badge", r.stderr)
            self.assertEqual((tree / "README.md").read_text(), (ROOT / "README.md").read_text())

    def test_a_malformed_name_is_refused(self):
        tree = self.scratch_clone(None)
        r = self.run_badge(tree, "not a repo")
        self.assertEqual(r.returncode, 2)
        self.assertIn("OWNER/REPO", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
