#!/usr/bin/env bash
# The set-up tests: the three ways a newcomer meets RNN Lab, tested as they meet them, with pytest from .venv
# (`./rnnlab test` runs them in its one pytest run; this script runs only these).
#
#   binder    binder/tests/test_environment.py: the conda files (pins agree with requirements-dev.txt) and
#             postBuild, statically and with stubs; binder/badge.py, which writes the README's Binder badge
#   fresh     e2e/test_fresh_machine.py -> e2e/fresh-machine.sh: the README's commands, `./rnnlab start --check`,
#             `./rnnlab start` (must serve JupyterLab), then `./rnnlab test --quick`, and `binder/postBuild`, each
#             as a new user with an empty HOME on a fresh copy (PyPI and Maven Central needed). It starts in the
#             background as soon as pytest has collected it, as it mostly waits for downloads.
#   browser   e2e/test_browser.py: the classic Notebook UI (nbclassic) in headless Chromium: Restart & Run All
#             through the UI on the welcome lesson and a heavy one (images, tables, figures), the scratch notebook
#             (progress display updated in place, interrupt button with the state kept, Tab completion, Shift-Tab),
#             keyboard input.
#   lab       e2e/test_jupyterlab.py: the same in JupyterLab 4 (jupyter_ui.py holds what the two share).
#             Screenshots of both in e2e/artifacts/
#   book      e2e/test_book.py: the course as a book (book/build.py, Sphinx + MyST-NB), built offline and read
#             from file:// in headless Chromium: images, figures, outputs, equations, next/previous, search
#
#   e2e/run.sh [binder] [fresh] [browser] [lab] [book]        (default: all five)
set -euo pipefail
cd "$(dirname "$0")/.."
declare -A FILES=([binder]=binder/tests/test_environment.py [fresh]=e2e/test_fresh_machine.py
                  [browser]=e2e/test_browser.py [lab]=e2e/test_jupyterlab.py [book]=e2e/test_book.py)
PARTS=("$@")
[ ${#PARTS[@]} -gt 0 ] || PARTS=(binder fresh browser lab book)
args=()
for p in "${PARTS[@]}"; do
    [ -n "${FILES[$p]:-}" ] || { echo "usage: e2e/run.sh [binder] [fresh] [browser] [lab] [book]" >&2; exit 2; }
    args+=("${FILES[$p]}")
done
if [[ " ${PARTS[*]} " == *" browser "* || " ${PARTS[*]} " == *" lab "* ]] && [ ! -f kernel/target/rnnlab-kernel-0.1.0.jar ]; then
    mvn -B -ntp -q package -DskipTests
fi
./rnnlab venv >&2
exec .venv/bin/python -m pytest "${args[@]}"
