"""The library's training step against PyTorch's, in one sitting, interleaved: for each round, thread count and
shape, PyTorch float32, PyTorch float64 and the library's JMH LstmTrainStepBenchmark (float64 on the Vector API
kernels, float64 on the row loops, and with float32 products) run one after the other, so that a slow spell of a shared machine hits all of them.
Prints a Markdown table of the medians over the rounds and the ratios library ÷ PyTorch.

    bench/.venv-torch/bin/python bench/pytorch/compare.py [--rounds 2] [--threads 1,2]

Needs bench/target/benchmarks.jar (mvn -B -ntp -q package -DskipTests) and torch in bench/.venv-torch
(python3 -m venv bench/.venv-torch && bench/.venv-torch/bin/pip install torch numpy). PyTorch is a benchmark
dependency only; the library does not use it.
"""
import argparse
import json
import os
import pathlib
import re
import statistics
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
JAR = HERE.parent / "target" / "benchmarks.jar"
SHAPES = {(65, 128, 25, 1): "h128seq25batch1", (65, 128, 100, 16): "h128seq100batch16",
          (65, 256, 100, 32): "h256seq100batch32"}


def torch_step(shape, dtype, threads):
    out = subprocess.run([sys.executable, str(HERE / "lstm_step.py"), "--shape", ",".join(map(str, shape)),
                          "--dtype", dtype, "--threads", str(threads)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])["steps_per_s"]


def library_step(shape, path, threads, jar=JAR, precision="DOUBLE"):
    method = SHAPES[shape]
    out = subprocess.run(["java", "-jar", str(jar), "-f", "1", "-wi", "5", "-w", "2s", "-i", "3", "-r", "2s",
                          "-p", f"threads={threads}", "-p", f"path={path}", "-p", f"precision={precision}",
                          f"LstmTrainStepBenchmark.{method}$"],
                         check=True, capture_output=True, text=True)
    for line in out.stdout.splitlines():
        if line.startswith("LstmTrainStepBenchmark." + method):
            return float(re.split(r"\s+", line.strip())[-4 if "±" in line else -2])
    raise RuntimeError("no JMH result in:\n" + out.stdout[-2000:])


def machine():
    """One line on what ran where: the CPU, the JDK, PyTorch, and the load average now (a quiet machine is well below
    its number of cores)."""
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    flags = next((l for l in open("/proc/cpuinfo") if l.startswith("flags")), "")
    isa = "AVX-512" if "avx512f" in flags else ("AVX2" if "avx2" in flags else "no AVX2")
    jdk = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    torch = subprocess.run([sys.executable, "-c", "import torch; print(torch.__version__)"], capture_output=True,
                           text=True).stdout.strip()
    return (f"{cpu} ({isa}, {os.cpu_count()} cores), {jdk}, PyTorch {torch}, "
            f"load average {os.getloadavg()[0]:.2f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--jar", default=str(JAR), help="the JMH jar (default bench/target/benchmarks.jar)")
    a = ap.parse_args()
    kinds = [("torch f32", lambda s, n: torch_step(s, "float32", n)),
             ("torch f64", lambda s, n: torch_step(s, "float64", n)),
             ("library VECTOR", lambda s, n: library_step(s, "VECTOR", n, a.jar)),
             ("library ROWS", lambda s, n: library_step(s, "ROWS", n, a.jar)),
             ("library FLOAT", lambda s, n: library_step(s, "VECTOR", n, a.jar, "FLOAT"))]
    print(f"machine: {machine()}", file=sys.stderr, flush=True)
    results = {}
    for r in range(a.rounds):
        for threads in (int(t) for t in a.threads.split(",")):
            for shape in SHAPES:
                for name, run in kinds:
                    v = run(shape, threads)
                    results.setdefault((threads, shape, name), []).append(v)
                    print(f"round {r + 1}, {threads} thread(s), {shape}, {name}: {v:,.0f}", file=sys.stderr, flush=True)
    print(f"at the end: {machine()}", file=sys.stderr, flush=True)
    print("| threads | shape (I, H, T, B) | PyTorch f32 | PyTorch f64 | library f64, Vector API | library f64, row loops"
          " | library float32 products | f64 Vector API ÷ PyTorch f32 | f64 Vector API ÷ PyTorch f64"
          " | f64 Vector API ÷ row loops | float32 products ÷ PyTorch f32 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for threads in (int(t) for t in a.threads.split(",")):
        for shape in SHAPES:
            med = {name: statistics.median(results[(threads, shape, name)]) for name, _ in kinds}
            runs = {name: " / ".join(f"{v:,.0f}" for v in results[(threads, shape, name)]) for name, _ in kinds}
            print(f"| {threads} | {', '.join(map(str, shape))} | {runs['torch f32']} | {runs['torch f64']} | "
                  f"{runs['library VECTOR']} | {runs['library ROWS']} | {runs['library FLOAT']} | "
                  f"{med['library VECTOR'] / med['torch f32']:.2f} | {med['library VECTOR'] / med['torch f64']:.2f} | "
                  f"{med['library VECTOR'] / med['library ROWS']:.2f} | "
                  f"{med['library FLOAT'] / med['torch f32']:.2f} |")


if __name__ == "__main__":
    main()
