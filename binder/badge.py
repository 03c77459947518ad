#!/usr/bin/env python3
"""Puts the Binder badge for this repository (or a fork) into README.md.

A Binder link names the GitHub repository it builds, so the badge can only be written once the repository is on
GitHub. This reads OWNER/REPO from the argument, or else from `git remote get-url origin` when that is a GitHub
address, and rewrites the part of README.md between the markers

    <!-- binder-badge -->  …  <!-- /binder-badge -->

with a badge that opens the welcome lesson in JupyterLab. Run it through `./rnnlab badge [OWNER/REPO]`.
Standard library only; any Python 3.
"""
import argparse
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
WELCOME = "notebooks/00-welcome.ipynb"
BEGIN = "<!-- binder-badge -->"
END = "<!-- /binder-badge -->"
# GitHub owner and repository names: letters, digits, '-', '_' and '.'.
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9_.-]+$")
# https://github.com/OWNER/REPO(.git), git@github.com:OWNER/REPO(.git), ssh://git@github.com/OWNER/REPO(.git)
GITHUB_URL = re.compile(r"github\.com[:/]([A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9_.-]+?)(?:\.git)?/?$")


def badge(repo):
    """The Markdown of a Binder badge that builds `repo` (OWNER/REPO) and opens the welcome lesson in JupyterLab."""
    return (f"[![Binder](https://mybinder.org/badge_logo.svg)]"
            f"(https://mybinder.org/v2/gh/{repo}/HEAD?urlpath=lab/tree/{WELCOME})")


def repo_from_remote(root):
    """OWNER/REPO of the `origin` remote when it is on GitHub, else None."""
    try:
        url = subprocess.run(["git", "-C", str(root), "remote", "get-url", "origin"], capture_output=True,
                             text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    m = GITHUB_URL.search(url)
    return m.group(1) if m else None


def write_badge(readme, repo):
    """Replaces the text between the badge markers of `readme` with the badge of `repo`; returns the badge."""
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"{readme} has no {BEGIN} … {END} block to put the badge in")
    line = badge(repo)
    readme.write_text(text[:start + len(BEGIN)] + "\n" + line + "\n" + text[end:], encoding="utf-8")
    return line


def main(argv=None):
    parser = argparse.ArgumentParser(description="Put this repository's Binder badge into README.md.")
    parser.add_argument("repo", nargs="?", help="OWNER/REPO on GitHub (default: from `git remote get-url origin`)")
    parser.add_argument("--readme", type=pathlib.Path, default=ROOT / "README.md", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    repo = args.repo or repo_from_remote(args.readme.resolve().parent)
    if repo is None:
        print("badge: no GitHub repository given and `origin` is not a GitHub address. Run, for example:\n"
              "  ./rnnlab badge your-name/rnn-lab", file=sys.stderr)
        return 2
    if not NAME.match(repo):
        print(f"badge: '{repo}' is not a GitHub OWNER/REPO (e.g. your-name/rnn-lab)", file=sys.stderr)
        return 2
    try:
        line = write_badge(args.readme, repo)
    except ValueError as e:
        print(f"badge: {e}", file=sys.stderr)
        return 2
    print(f"README.md now opens {repo} on Binder:\n{line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
