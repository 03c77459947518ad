#!/usr/bin/env bash
# Protocol tests of the Java kernel, through a real Jupyter client.
#
# Needs `mvn -B install` at the top level first (the kernel jar, and org.rnnlab:rnnlab-lib in ~/.m2).
# Installs the kernel into a throwaway prefix (JUPYTER_PATH/JUPYTER_DATA_DIR/... point there, so the
# user's own Jupyter folders are neither needed nor changed), also for JDK 25 when it is present, runs every
# Python test with Debian's /usr/bin/python3 and ends with "kernel protocol: N passed, N failed".
#
#   kernel/scripts/test-kernel.sh [test_module ...]
#
# Environment: JAVA (the JDK 17 java, default: java on PATH), RNNLAB_JDK25 (default
# /usr/lib/jvm/temurin-25-jdk-amd64; set it empty to skip the JDK 25 tests).
set -u

here=$(cd "$(dirname "$0")" && pwd)
kernel_dir=$(dirname "$here")
jar="$kernel_dir/target/rnnlab-kernel-0.1.0.jar"
python=/usr/bin/python3
java_bin=${JAVA:-$(command -v java)}
jdk25=${RNNLAB_JDK25-/usr/lib/jvm/temurin-25-jdk-amd64}

if [ ! -f "$jar" ]; then
    echo "test-kernel.sh: $jar is missing; run 'mvn -B install' at the top level first" >&2
    echo "kernel protocol: 0 passed, 1 failed"
    exit 1
fi
if ! "$python" -c 'import jupyter_client, jupyter_kernel_test, nbclient, nbformat, zmq' 2>/dev/null; then
    echo "test-kernel.sh: Debian's Jupyter packages are missing; apt-get install python3-jupyter-client" \
         "python3-jupyter-kernel-test python3-nbclient python3-nbformat python3-zmq" >&2
    echo "kernel protocol: 0 passed, 1 failed"
    exit 1
fi

work=$(mktemp -d -t rnnlab-kernel-tests.XXXXXX)
trap 'rm -rf "$work"' EXIT
export JUPYTER_PATH="$work/prefix/share/jupyter"
export JUPYTER_DATA_DIR="$work/data"
export JUPYTER_RUNTIME_DIR="$work/runtime"
export JUPYTER_CONFIG_DIR="$work/config"
export JUPYTER_PLATFORM_DIRS=1
export IPYTHONDIR="$work/ipython"
export RNNLAB_KERNEL_NAME=java

if ! "$java_bin" -jar "$jar" install --prefix "$work/prefix" --name java; then
    echo "kernel protocol: 0 passed, 1 failed"
    exit 1
fi
export RNNLAB_KERNEL_NAME_JDK25=""
if [ -n "$jdk25" ] && [ -x "$jdk25/bin/java" ]; then
    if "$java_bin" -jar "$jar" install --prefix "$work/prefix" --name java25 --display-name "Java 25 (RNN Lab)" \
            --java "$jdk25/bin/java"; then
        export RNNLAB_KERNEL_NAME_JDK25=java25
    fi
fi

cd "$kernel_dir/src/test/python" || exit 1
"$python" run_tests.py "$@"
