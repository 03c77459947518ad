"""One training step of a char-level LSTM in PyTorch on the CPU, timed the way JMH times the library's
LstmTrainStepBenchmark: the same model (65 one-hot inputs, one LSTM layer, a linear readout to 65 classes,
cross-entropy averaged over all steps and sequences), the forward pass over the sequence, full BPTT, the global
gradient norm and one Adam update (learning rate 0.01); four seeded random batches take turns.

Prints one JSON line: {"shape": [I, H, T, B], "dtype": ..., "threads": n, "steps_per_s": time steps × batch per
second (the mean over the measured window, like JMH's throughput)}; with --cpu also "steps_per_cpu_s", from the
best single step by the process's CPU time (process_time has a coarse clock on some systems: measure long steps).

    bench/.venv-torch/bin/python bench/pytorch/lstm_step.py --shape 65,128,100,16 --dtype float32 --threads 1
"""
import argparse
import json
import time

import torch


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shape", default="65,128,100,16", help="input,hidden,seq,batch")
    ap.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up")
    ap.add_argument("--measure", type=float, default=3.0, help="seconds measured")
    ap.add_argument("--cpu", action="store_true",
                    help="also report the best single step by the process's CPU time (for a busy machine; with one "
                         "thread, comparable to the library's CpuTimeProbe)")
    a = ap.parse_args()
    alphabet, hidden, steps, batch = (int(v) for v in a.shape.split(","))
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    dtype = getattr(torch, a.dtype)
    lstm = torch.nn.LSTM(alphabet, hidden).to(dtype)
    readout = torch.nn.Linear(hidden, alphabet).to(dtype)
    params = list(lstm.parameters()) + list(readout.parameters())
    opt = torch.optim.Adam(params, lr=0.01)
    gen = torch.Generator().manual_seed(2)
    batches = []
    for _ in range(4):
        text = torch.randint(alphabet, (steps + 1, batch), generator=gen)
        x = torch.nn.functional.one_hot(text[:-1], alphabet).to(dtype)        # (T, B, I)
        batches.append((x, text[1:].reshape(-1)))

    def step(i):
        x, y = batches[i % 4]
        opt.zero_grad(set_to_none=False)
        h, _ = lstm(x)
        loss = torch.nn.functional.cross_entropy(readout(h).reshape(-1, alphabet), y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, float("inf"))              # the global norm, as the library's step
        opt.step()

    i = 0
    end = time.perf_counter() + a.warmup
    while time.perf_counter() < end:
        step(i)
        i += 1
    n = 0
    best_cpu = float("inf")
    start = time.perf_counter()
    while True:
        cpu = time.process_time()
        step(i)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        i += 1
        n += 1
        spent = time.perf_counter() - start
        if spent >= a.measure:
            break
    result = {"shape": [alphabet, hidden, steps, batch], "dtype": a.dtype, "threads": a.threads,
              "steps_per_s": n * steps * batch / spent, "torch": torch.__version__}
    if a.cpu:
        result["steps_per_cpu_s"] = steps * batch / best_cpu
    print(json.dumps(result))


if __name__ == "__main__":
    main()
