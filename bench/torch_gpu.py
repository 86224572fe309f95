#!/usr/bin/env python3
"""PyTorch on a CUDA GPU, mirroring the refbench training step
(shared/refbench/torch_snn_bench.py, section "train"): 1024 inputs, 8 hidden
layers of 1024 (Linear, SELU, AlphaDropout 0.05), one logit, BCEWithLogits,
batch 128, float32, LeCun-normal weights, 8 fixed synthetic batches from a
random linear teacher, SGD (lr 0.01) or Adam (lr 1e-3). One step is
zero_grad, forward, backward, optimizer step and loss.item() (which waits
for the GPU), as in refbench. Prints one JSON line per optimizer:

  {"kind": "torch", "optimizer": "sgd", "device": "NVIDIA H200", "median_ms": ..., ...}

scripts/cuda.sh check runs it beside selunet's `train gpucheck`.
"""

import argparse
import json
import statistics
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=60, help="timed steps per optimizer")
    ap.add_argument("--warmup", type=int, default=10, help="untimed steps before timing")
    ap.add_argument("--dropout", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--optimizers", default="sgd,adam")
    args = ap.parse_args()
    try:
        import torch
        import torch.nn as nn
    except ImportError as e:
        print(json.dumps({"kind": "torch", "error": "no torch: %s" % e}))
        return 0
    if not torch.cuda.is_available():
        print(json.dumps({"kind": "torch", "error": "torch sees no CUDA device"}))
        return 0
    dev = torch.device("cuda")
    batch, inf, hidden, layers = 128, 1024, 1024, 8

    def lecun(lin):
        nn.init.kaiming_normal_(lin.weight, mode="fan_in", nonlinearity="linear")
        nn.init.zeros_(lin.bias)

    def build():
        mods, width = [], inf
        for _ in range(layers):
            lin = nn.Linear(width, hidden)
            lecun(lin)
            mods += [lin, nn.SELU()]
            if args.dropout > 0:
                mods.append(nn.AlphaDropout(args.dropout))
            width = hidden
        head = nn.Linear(width, 1)
        lecun(head)
        return nn.Sequential(*mods, head)

    gen = torch.Generator().manual_seed(args.seed + 1)
    teacher = torch.randn(inf, generator=gen)
    xs, ys = [], []
    for _ in range(8):
        x = torch.randn(batch, inf, generator=gen)
        xs.append(x.to(dev))
        ys.append((x @ teacher > 0).to(torch.float32).unsqueeze(1).to(dev))

    for name in args.optimizers.split(","):
        torch.manual_seed(args.seed)
        model = build().to(dev).train()
        opt = (torch.optim.SGD(model.parameters(), lr=0.01) if name == "sgd"
               else torch.optim.Adam(model.parameters(), lr=1e-3))
        loss_fn = nn.BCEWithLogitsLoss()
        times, losses = [], []
        for i in range(args.warmup + args.steps):
            torch.cuda.synchronize()
            t0 = time.perf_counter()
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xs[i % 8]), ys[i % 8])
            loss.backward()
            opt.step()
            losses.append(loss.item())
            if i >= args.warmup:
                times.append((time.perf_counter() - t0) * 1e3)
        print(json.dumps({"kind": "torch", "optimizer": name, "device": torch.cuda.get_device_name(0),
                          "torch": torch.__version__, "steps": args.steps,
                          "median_ms": round(statistics.median(times), 4), "min_ms": round(min(times), 4),
                          "loss_first": round(losses[0], 6), "loss_last": round(losses[-1], 6)}))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
