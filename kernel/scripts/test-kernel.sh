#!/usr/bin/env bash
# Protocol tests of the Java kernel, through a real Jupyter client: pytest from the project's .venv on
# kernel/src/test/python. The root conftest.py installs the built kernel into a throwaway prefix (JUPYTER_PATH,
# JUPYTER_DATA_DIR, ... point there, so the user's own Jupyter folders are neither needed nor changed), also for
# JDK 25 when it is present (RNNLAB_JDK25, default /usr/lib/jvm/temurin-25-jdk-amd64; empty: skip those tests).
# `./rnnlab test` runs the same tests in its one pytest run; this script is for working on the kernel.
#
#   kernel/scripts/test-kernel.sh [pytest arguments]        e.g. -k interrupt, or test_protocol.py
#
# Needs the kernel jar: mvn -B -ntp -q package -DskipTests at the top level first.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
jar="$root/kernel/target/rnnlab-kernel-0.1.0.jar"
if [ ! -f "$jar" ]; then
    echo "test-kernel.sh: $jar is missing; run 'mvn -B -ntp -q package -DskipTests' at the top level first" >&2
    exit 1
fi
"$root/rnnlab" venv >&2
cd "$root"
args=()
for a in "$@"; do
    if [ -f "kernel/src/test/python/$a" ]; then args+=("kernel/src/test/python/$a"); else args+=("$a"); fi
done
[ ${#args[@]} -gt 0 ] && [ -e "${args[0]%%::*}" ] || args=(kernel/src/test/python "${args[@]}")
exec "$root/.venv/bin/python" -m pytest "${args[@]}"
