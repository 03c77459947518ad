#!/usr/bin/env bash
# The set-up tests: the three ways a newcomer meets RNN Lab, tested as they meet them.
#
#   binder    binder/tests/test_environment.py: the conda files and postBuild, statically and with stubs;
#             binder/badge.py, which writes the README's Binder badge
#   fresh     e2e/fresh-machine.sh: `./rnnlab start --check` and `binder/postBuild`, each as a new user with an
#             empty HOME on a fresh copy (Maven Central needed)
#   browser   e2e/test_browser.py: Jupyter in headless Chromium, Restart & Run All through the UI on the welcome
#             lesson and a heavy one; the static site from file://. Screenshots in e2e/artifacts/
#
#   e2e/run.sh [binder] [fresh] [browser]        (default: all three; fresh runs alongside the others, as it
#                                                  mostly waits for downloads)
#
# Ends with `setup: N passed, N failed` and exits non-zero on a failure. Needs: JDK 17, Maven, Debian's
# python3-notebook, python3-nbclient, python3-nbconvert, python3-yaml, python3-selenium, chromium,
# chromium-driver. Uses the `java` kernel on JUPYTER_PATH if there is one (./rnnlab test sets it), else installs
# the built kernel into a scratch prefix.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=/usr/bin/python3
started=$SECONDS
PARTS=("$@")
[ ${#PARTS[@]} -gt 0 ] || PARTS=(binder fresh browser)
LOGS=$(mktemp -d /tmp/rnnlab-e2e.XXXXXX)
FRESH_PID=
passed=0
failed=0
skipped=0

want() { local p; for p in "${PARTS[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }
say() { printf '== %s\n' "$*"; }

cleanup() {
    if [ -n "$FRESH_PID" ] && kill -0 "$FRESH_PID" 2>/dev/null; then
        kill "$FRESH_PID" 2>/dev/null   # its own trap removes its users and copies
        wait "$FRESH_PID" 2>/dev/null
    fi
    rm -rf "$LOGS"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# unittest FILE: runs a unittest file verbosely and adds its counts.
unittest_file() {
    local out=$LOGS/$(basename "$1").counts
    "$PY" - "$1" "$out" <<'PYTHON'
import pathlib, sys, unittest
path = pathlib.Path(sys.argv[1]).resolve()
sys.path.insert(0, str(path.parent))
suite = unittest.defaultTestLoader.loadTestsFromName(path.stem)
result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
bad = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
skipped = len(result.skipped)
pathlib.Path(sys.argv[2]).write_text(f"{result.testsRun - bad - skipped} {bad} {skipped}\n")
PYTHON
    local p f s
    if [ -f "$out" ]; then
        read -r p f s <"$out"
    else
        p=0 f=1 s=0      # the file did not even load
    fi
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}

for p in "${PARTS[@]}"; do
    case "$p" in binder|fresh|browser) ;; *) echo "usage: e2e/run.sh [binder] [fresh] [browser]" >&2; exit 2 ;; esac
done

if want fresh; then
    say "fresh machine: started in the background (log shown at the end)"
    e2e/fresh-machine.sh >"$LOGS/fresh.log" 2>&1 &
    FRESH_PID=$!
fi

if want binder; then
    say "binder: environment files and postBuild"
    t=$SECONDS
    unittest_file binder/tests/test_environment.py
    say "binder: $((SECONDS - t)) s"
fi

if want browser; then
    say "browser: Jupyter Notebook in headless Chromium, and the static site"
    t=$SECONDS
    if [ ! -f kernel/target/rnnlab-kernel-0.1.0.jar ]; then
        mvn -B -ntp -q install -DskipTests || { echo "build failed"; failed=$((failed + 1)); }
    fi
    unittest_file e2e/test_browser.py
    say "browser: $((SECONDS - t)) s (screenshots in e2e/artifacts/)"
fi

if [ -n "$FRESH_PID" ]; then
    say "fresh machine: waiting for it"
    wait "$FRESH_PID"
    rc=$?
    FRESH_PID=
    cat "$LOGS/fresh.log"
    line=$(grep -E '^fresh-machine: [0-9]+ passed, [0-9]+ failed$' "$LOGS/fresh.log" | tail -1)
    if [ -n "$line" ]; then
        p=$(sed -E 's/.* ([0-9]+) passed.*/\1/' <<<"$line")
        f=$(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$line")
        passed=$((passed + p)) failed=$((failed + f))
        [ "$rc" = 0 ] || [ "$f" -gt 0 ] || failed=$((failed + 1))
    else
        failed=$((failed + 1))
        echo "fresh-machine.sh ended without its result line (status $rc)"
    fi
fi

say "set-up tests took $((SECONDS - started)) s"
[ "$skipped" = 0 ] || echo "setup: $skipped skipped"
echo "setup: $passed passed, $failed failed"
[ "$failed" = 0 ]
