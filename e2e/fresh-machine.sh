#!/usr/bin/env bash
# The two set-ups a newcomer meets, each on a fresh machine: a non-root user with an empty HOME (no ~/.m2, no
# ~/.local) and a fresh copy of the repository (no target/, no .venv).
#
#   (a) laptop: the README's two commands in order. `./rnnlab start --check`, the first command's set-up done
#       headless (.venv created from PyPI, Maven build from an empty ~/.m2, kernel installed for the user,
#       welcome lesson executed); then `jupyter kernelspec list` must show `java` in the user's ~/.local; then
#       `./rnnlab start` itself must serve JupyterLab (its URL is a /lab URL whose page is JupyterLab). Then
#       `./rnnlab test --quick`: the second command's set-up and build and a fast subset of its pytest run (the
#       whole suite runs once already, in the ./rnnlab test that runs this script); it must end with pytest's
#       summary line, all passed.
#   (b) Binder: `binder/postBuild` against a Jupyter the user cannot write to (the repository's .venv, made by
#       the caller; its sys.prefix is not writable for the user, so it must fall back to --user); then the
#       kernel must be installed, every %maven artifact of the lessons must be in ~/.m2, and the welcome lesson
#       must execute -- with the network cut when run as root, as a launch on Binder needs no download.
#
# Each stage gets its own user, HOME (empty ~/.m2 and ~/.local) and repository copy, so a missing build,
# install or warm-up step fails here instead of on a newcomer's machine. The two stages run at the same time:
# both are mostly waiting for Maven Central, so two empty ~/.m2 cost little more wall time than one.
# --seed-m2 runs them one after the other instead and starts (b)'s ~/.m2 as a copy of (a)'s WITHOUT what
# postBuild itself must put there (org/rnnlab, the project's own artifacts, and every artifact a lesson's
# %maven line names), for a machine where downloads are slow.
#
#   e2e/fresh-machine.sh [--seed-m2] [a|b]...      (default: a b)
#
# As root it creates throwaway users (useradd) and runs as them (runuser); as a developer it runs as you with
# HOME=$(mktemp -d) (and -Duser.home=$HOME for Java, which otherwise takes the home from /etc/passwd). Copies
# live under /tmp and are removed at the end. Needs python3-venv, PyPI and Maven Central, and for (b) the
# repository's .venv (./rnnlab venv).
# Prints timings and ends with `fresh-machine: N passed, N failed`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=/usr/bin/python3

M2=separate
STAGES=()
for arg in "$@"; do
    case "$arg" in
        --seed-m2) M2=seed ;;
        a|b) STAGES+=("$arg") ;;
        *) echo "usage: e2e/fresh-machine.sh [--seed-m2] [a|b]..." >&2; exit 2 ;;
    esac
done
[ ${#STAGES[@]} -gt 0 ] || STAGES=(a b)
SEED_M2=

WORK=$(mktemp -d /tmp/rnnlab-fresh.XXXXXX)
chmod 711 "$WORK"
USERS_MADE=()
passed=0
failed=0
started_all=$SECONDS

say() { printf '== %s\n' "$*"; }
ok() { printf '  ok    %s\n' "$*"; passed=$((passed + 1)); }
bad() { printf '  FAIL  %s\n' "$*"; failed=$((failed + 1)); }

cleanup() {
    local u pids
    for u in "${USERS_MADE[@]}"; do
        pids=$(ps -o pid= -u "$u" 2>/dev/null || true)      # only the throwaway user's processes: ours
        [ -z "$pids" ] || kill $pids 2>/dev/null || true
        userdel "$u" 2>/dev/null || true
        rm -rf "/tmp/hsperfdata_$u"                        # the JVMs' perf-data folders of that user
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

# A copy of the repository as a clone would have it: tracked and untracked-but-not-ignored files (no target/,
# no site/, no test artifacts).
copy_repo() {
    local dest=$1
    mkdir -p "$dest"
    if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
        (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard \
            | tar -c --null --ignore-failed-read --exclude='e2e/artifacts' -T - -f - 2>/dev/null) | tar -x -C "$dest"
    else
        tar -c -C "$ROOT" --exclude=target --exclude=site --exclude=.git --exclude='e2e/artifacts' . | tar -x -C "$dest"
    fi
}

# new_user NAME HOME: a throwaway account (as root) or this account with a scratch HOME (as a developer).
new_user() {
    local name=$1 home=$2
    if [ "$(id -u)" = 0 ]; then
        useradd -m -d "$home" -s /bin/bash "$name"
        USERS_MADE+=("$name")
    else
        mkdir -p "$home"
    fi
}

# as NAME HOME CMD...: runs CMD as the fresh user, in a clean login-like environment.
as_argv() {
    local name=$1 home=$2
    shift 2
    local envs=(HOME="$home" PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 TERM=dumb)
    if [ "$(id -u)" = 0 ]; then
        ARGV=(runuser -u "$name" -- env -i USER="$name" LOGNAME="$name" "${envs[@]}" "$@")
    else
        ARGV=(env -i USER="$(id -un)" LOGNAME="$(id -un)" "${envs[@]}" JAVA_TOOL_OPTIONS="-Duser.home=$home" "$@")
    fi
}
as() {
    as_argv "$@"
    "${ARGV[@]}"
}

# offline_as NAME HOME CMD...: as `as`, with no network but loopback (a new network namespace) where possible.
OFFLINE=no
if [ "$(id -u)" = 0 ] && unshare -n -- sh -c 'ip link set lo up' 2>/dev/null; then
    OFFLINE=yes
fi
offline_as() {
    as_argv "$@"
    if [ $OFFLINE = yes ]; then
        unshare -n -- sh -c 'ip link set lo up && exec "$@"' sh "${ARGV[@]}"
    else
        "${ARGV[@]}"
    fi
}

# kernelspec_dir NAME HOME PYTHON: where that Python's Jupyter finds the `java` kernel for that user (empty if
# nowhere).
kernelspec_dir() {
    as "$1" "$2" "$3" -m jupyter_client.kernelspecapp list --json 2>/dev/null \
        | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["kernelspecs"].get("java", {}).get("resource_dir", ""))'
}

check_kernel_in_user_dir() {   # NAME HOME PYTHON
    local name=$1 home=$2 dir
    dir=$(kernelspec_dir "$name" "$home" "$3")
    printf '  jupyter kernelspec list (as %s): java -> %s\n' "$name" "${dir:-<not installed>}"
    case "$dir" in
        "$home"/.local/share/jupyter/kernels/java) ok "kernel \`java\` installed for the user in ~/.local" ;;
        "") bad "no \`java\` kernel visible to Jupyter" ;;
        *) bad "the \`java\` kernel is at $dir, not in the user's ~/.local" ;;
    esac
}

# maven_coordinates REPO: every coordinate on a %maven line of the lessons' code cells, one a line.
maven_coordinates() {
    "$PY" - "$1" <<'PYTHON'
import json, pathlib, sys
root = pathlib.Path(sys.argv[1]) / "notebooks"
found = set()
for path in sorted(root.glob("*.ipynb")) + sorted((root / "assignments").glob("*.ipynb")):
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "code":
            src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            for line in src.split("\n"):
                w = line.split()
                if w[:1] == ["%maven"]:
                    found.update(x.strip("'\"") for x in w[1:])
print("\n".join(sorted(found)))
PYTHON
}

# artifact_dir HOME G:A[:EXT[:CLASSIFIER]]:V: the coordinate's folder in that user's local repository.
artifact_dir() {
    local g a x1 x2 x3
    IFS=: read -r g a x1 x2 x3 <<<"$2"
    printf '%s/.m2/repository/%s/%s/%s\n' "$1" "${g//.//}" "$a" "${x3:-${x2:-$x1}}"
}

NAME_A=rnnlabfa$$ NAME_B=rnnlabfb$$

# step_as NAME HOME REPO CMD LOG: runs CMD in REPO as that user, output to LOG; reports it with its time, or its
# failure with the log's last lines.
step_as() {
    local t=$SECONDS
    if as "$1" "$2" bash -c "cd '$3' && $4" >"$5" 2>&1; then
        ok "$4 in $((SECONDS - t)) s"
    else
        bad "$4 failed after $((SECONDS - t)) s; its last lines:"
        tail -25 "$5" | sed 's/^/        /'
    fi
}

# check_start_serves_jupyterlab NAME HOME REPO: `./rnnlab start` itself, as that user, must start JupyterLab (the
# UI Binder opens) when JupyterLab is installed (it is, in .venv): the URL it prints is a /lab URL, and that page
# is JupyterLab's. The server is stopped afterwards (its process group).
check_start_serves_jupyterlab() {
    local log=$WORK/a-start.log url="" page t=$SECONDS pid
    as_argv "$1" "$2" bash -c "cd '$3' && exec ./rnnlab start"
    setsid "${ARGV[@]}" >"$log" 2>&1 </dev/null &
    pid=$!
    while [ $((SECONDS - t)) -lt 300 ] && kill -0 "$pid" 2>/dev/null; do
        url=$(grep -aoE 'http://127\.0\.0\.1:[0-9]+/[^ ]*token=[0-9a-f]+' "$log" | head -1 || true)
        [ -z "$url" ] || break
        sleep 1
    done
    page=$([ -z "$url" ] || "$PY" -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=30).read().decode())' "$url" 2>&1 || true)
    kill -TERM -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [[ "$url" == */lab\?token=* ]] && grep -q '<title>JupyterLab</title>' <<<"$page"; then
        ok "./rnnlab start serves JupyterLab: ${url%%\?*} in $((SECONDS - t)) s"
    else
        bad "./rnnlab start did not serve JupyterLab (URL: ${url:-none}); its last lines:"
        tail -15 "$log" | sed 's/^/        /'
    fi
}

stage_a() {
    local name=$NAME_A home=$WORK/home-a repo=$WORK/repo-a log=$WORK/a.log
    say "(a) laptop: ./rnnlab start --check as a new user with an empty HOME"
    copy_repo "$repo"
    [ "$(id -u)" != 0 ] || chown -R "$name:" "$repo"
    printf '  user %s, HOME %s (~/.m2: %s, ~/.local: %s)\n' "$name" "$home" \
        "$([ -e "$home/.m2" ] && echo present || echo absent)" "$([ -e "$home/.local" ] && echo present || echo absent)"
    step_as "$name" "$home" "$repo" "./rnnlab start --check" "$log"
    grep -aoE '== .*|^00-welcome.*|^Installed kernelspec.*' "$log" | sed 's/^/  | /' || true   # (mvn -q leaves no newline)
    if grep -q '^00-welcome: ok' "$log"; then ok "welcome lesson executed"; else bad "the welcome lesson did not report ok"; fi
    printf '  ~/.m2 after the build: %s; .venv: %s\n' "$(du -sh "$home/.m2" 2>/dev/null | cut -f1 || echo none)" \
        "$(du -sh "$repo/.venv" 2>/dev/null | cut -f1 || echo none)"
    check_kernel_in_user_dir "$name" "$home" "$repo/.venv/bin/python"
    check_start_serves_jupyterlab "$name" "$home" "$repo"
    if [ "$M2" = seed ] && [ -d "$home/.m2" ]; then SEED_M2=$home/.m2; fi
    step_as "$name" "$home" "$repo" "./rnnlab test --quick" "$WORK/a-test.log"
    grep -aE '^== |^(PASSED|FAILED|ERROR) |^=+ .* in [0-9.]+s' "$WORK/a-test.log" | sed 's/^/  | /' || true
    local last
    last=$(tail -1 "$WORK/a-test.log")
    if [[ "$last" =~ ^=+\ [0-9]+\ passed.*\ in\ [0-9.]+s ]] && [[ "$last" != *failed* ]] && [[ "$last" != *error* ]]; then
        ok "./rnnlab test --quick ends with pytest's summary, all passed: $last"
    else
        bad "./rnnlab test --quick did not end with an all-passed pytest summary; its last line: $last"
    fi
}

stage_b() {
    local name=$NAME_B home=$WORK/home-b repo=$WORK/repo-b t log=$WORK/b.log missing coords c venv
    say "(b) Binder: binder/postBuild as a new user with an empty HOME, against a Jupyter it cannot write to"
    copy_repo "$repo"
    # The Jupyter of the conda environment on Binder: here the repository's .venv (pinned like environment.yml),
    # used in place when the user can reach it, else a copy under $WORK (not writable for the user either).
    venv=$ROOT/.venv
    if ! as "$name" "$home" "$venv/bin/python" -c 'import jupyter_client, nbclient' >/dev/null 2>&1; then
        if [ ! -x "$ROOT/.venv/bin/python" ]; then
            bad "no .venv in $ROOT to run postBuild against: run ./rnnlab venv first"
            return
        fi
        cp -a "$ROOT/.venv" "$WORK/venv"
        venv=$WORK/venv
    fi
    printf '  Jupyter: %s (python3 on PATH for postBuild)\n' "$venv"
    coords=$(maven_coordinates "$repo")
    if [ -n "$SEED_M2" ]; then
        cp -a "$SEED_M2" "$home/.m2"
        rm -rf "$home/.m2/repository/org/rnnlab"
        for c in $coords; do rm -rf "$(artifact_dir "$home" "$c")"; done
        printf '  ~/.m2 seeded from (a) without org/rnnlab and the %%maven artifacts: %s\n' "$(du -sh "$home/.m2" | cut -f1)"
    else
        printf '  ~/.m2: %s\n' "$([ -e "$home/.m2" ] && echo present || echo absent)"
    fi
    [ "$(id -u)" != 0 ] || chown -R "$name:" "$repo" "$home"
    step_as "$name" "$home" "$repo" "PATH='$venv/bin':\$PATH binder/postBuild" "$log"
    printf '  ~/.m2 after postBuild: %s\n' "$(du -sh "$home/.m2" 2>/dev/null | cut -f1 || echo none)"
    check_kernel_in_user_dir "$name" "$home" "$venv/bin/python"
    missing=()
    for c in $coords; do
        [ -d "$(artifact_dir "$home" "$c")" ] || missing+=("$c")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        ok "every %maven artifact of the lessons is in ~/.m2: $(echo ${coords:-none})"
    else
        bad "not in ~/.m2 after postBuild: ${missing[*]}"
    fi
    t=$SECONDS
    if offline_as "$name" "$home" bash -c "cd '$repo' && '$venv/bin/python' notebooks/tools/nbbuild.py run 00-welcome" \
            >"$WORK/b-run.log" 2>&1; then
        ok "welcome lesson executed by the installed kernel in $((SECONDS - t)) s (network cut: $OFFLINE)"
    else
        bad "the welcome lesson failed with the installed kernel (network cut: $OFFLINE):"
        tail -25 "$WORK/b-run.log" | sed 's/^/        /'
    fi
    grep -v 'Picked up JAVA_TOOL_OPTIONS' "$WORK/b-run.log" | sed 's/^/  | /' || true
}

# Users are made here, in this shell, so that cleanup knows them; the stages report into files.
for s in "${STAGES[@]}"; do
    case "$s" in
        a) new_user "$NAME_A" "$WORK/home-a" ;;
        b) new_user "$NAME_B" "$WORK/home-b" ;;
    esac
done
run_stage() {   # run_stage a|b: the stage's report into $WORK/report-X
    "stage_$1" >"$WORK/report-$1" 2>&1 || echo "  FAIL  stage $1 ended early (status $?)" >>"$WORK/report-$1"
}
if [ "$M2" = separate ]; then
    pids=()
    for s in "${STAGES[@]}"; do run_stage "$s" & pids+=($!); done
    for pid in "${pids[@]}"; do wait "$pid" || true; done
else
    for s in "${STAGES[@]}"; do run_stage "$s"; done
fi
for s in "${STAGES[@]}"; do
    cat "$WORK/report-$s"
    passed=$((passed + $(grep -c '^  ok ' "$WORK/report-$s" || true)))
    failed=$((failed + $(grep -c '^  FAIL ' "$WORK/report-$s" || true)))
done
echo "fresh-machine: stages ${STAGES[*]} ($([ "$M2" = separate ] && echo "in parallel, each from an empty ~/.m2" \
    || echo "one after the other, (b)'s ~/.m2 seeded from (a)")) took $((SECONDS - started_all)) s"
echo "fresh-machine: $passed passed, $failed failed"
[ "$failed" = 0 ]
