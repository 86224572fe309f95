#!/usr/bin/env python3
"""Prints the table of scripts/cuda.sh check from the raw results in DIR
(gpu.jsonl and cpu.jsonl from `train gpucheck`, torch.jsonl from
bench/torch_gpu.py, tests.txt from the cuda test binaries, quick-*/metrics.json
from configs/quick.yaml). Thresholds: op forward/backward relative difference
<= 1e-5; refbench losses without dropout within 1e-3 relative at every step;
with alpha dropout 0.05 the final losses within noise (twice the standard
deviation of the CPU's last 20 losses)."""

import json
import os
import statistics
import sys


def records(path):
    out = []
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    try:
                        out.append(json.loads(line))
                    except ValueError:
                        pass
    except OSError:
        pass
    return out


def text(path, default=""):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return default


def verdict(ok):
    return "PASS" if ok else "FAIL"


def main(d):
    gpu, cpu, torch = records(os.path.join(d, "gpu.jsonl")), records(os.path.join(d, "cpu.jsonl")), records(os.path.join(d, "torch.jsonl"))
    fails = 0
    env = next((r for r in gpu if r.get("kind") == "env"), {})
    print("selunet GPU check: %s (compute %s.%s, driver %s, %s), %s CPU threads; %s s" % (
        env.get("Name", "?"), env.get("Major", "?"), env.get("Minor", "?"), env.get("Driver", "?"),
        env.get("CUBLAS", "?"), next((r.get("gomaxprocs") for r in cpu if r.get("kind") == "env"), "?"),
        text(os.path.join(d, "seconds"), "?")))
    runs = sorted(f[:-3] for f in os.listdir(d) if f.endswith(".rc") and not f.startswith("quick"))
    for name in runs:
        rc = text(os.path.join(d, name + ".rc"), "?")
        if rc != "0":
            fails += 1
            err = text(os.path.join(d, name + ".err"))
            if len(err) > 900:
                err = err[:600] + "\n  ...\n" + err[-300:]
            print("  %s failed (rc %s%s): %s" % (name, rc, ", timed out" if rc == "124" else "", err))
    print()
    print("%-14s %11s %11s  %-10s %s" % ("op (float32)", "fwd rel", "bwd rel", "gradcheck", "verdict"))
    ops = [r for r in gpu if r.get("kind") == "op"]
    for r in ops:
        ok = not r.get("err") and r["fwd_rel"] <= 1e-5 and r["bwd_rel"] <= 1e-5 and r["gradcheck"] == "ok"
        fails += not ok
        gc = "ok" if r["gradcheck"] == "ok" else "FAIL"
        print("%-14s %11.3g %11.3g  %-10s %s%s" % (r["op"], r["fwd_rel"], r["bwd_rel"], gc, verdict(ok),
                                                   (" " + (r.get("err") or r["gradcheck"])[:200]) if not ok else ""))
    if not ops:
        fails += 1
        print("(no op results)")
    tests = text(os.path.join(d, "tests.txt"))
    tok = "--- FAIL" not in tests and "rc=0" in tests and "\nFAIL" not in tests
    fails += not tok
    print("cuda test binaries (-test.run GPU): %s" % verdict(tok))
    print()
    print("refbench, 200 SGD steps from the same weights and batches")
    print("%-18s %12s %12s %14s  %s" % ("", "GPU final", "CPU final", "max rel diff", "verdict"))
    for dropout in (0, 0.05):
        g = next((r for r in gpu if r.get("kind") == "train" and r["dropout"] == dropout), None)
        c = next((r for r in cpu if r.get("kind") == "train" and r["dropout"] == dropout), None)
        label = "no dropout" if dropout == 0 else "alpha dropout .05"
        if not g or not c or len(g["losses"]) != len(c["losses"]):
            fails += 1
            print("%-18s (missing)" % label)
            continue
        rel = max(abs(a - b) / max(abs(b), 1e-12) for a, b in zip(g["losses"], c["losses"]))
        if dropout == 0:
            ok, note = rel <= 1e-3, "every step <= 1e-3"
        else:
            tail = c["losses"][-20:]
            noise = 2 * statistics.pstdev(tail)
            ok = abs(g["losses"][-1] - c["losses"][-1]) <= max(noise, 1e-3 * abs(c["losses"][-1]))
            note = "final within 2 sd of the CPU's last 20 (%.3g)" % noise
        fails += not ok
        print("%-18s %12.6g %12.6g %14.3g  %s (%s)" % (label, g["losses"][-1], c["losses"][-1], rel, verdict(ok), note))
    print()
    print("refbench step time, median (ms)")
    print("%-6s %10s %10s %12s %12s %12s" % ("", "GPU", "CPU", "PyTorch GPU", "CPU/GPU", "GPU/PyTorch"))
    sgd_gpu = None
    for opt in ("sgd", "adam"):
        g = next((r for r in gpu if r.get("kind") == "time" and r["optimizer"] == opt), None)
        c = next((r for r in cpu if r.get("kind") == "time" and r["optimizer"] == opt), None)
        t = next((r for r in torch if r.get("kind") == "torch" and r.get("optimizer") == opt), None)
        gm = g["median_ms"] if g else float("nan")
        cm = c["median_ms"] if c else float("nan")
        tm = t["median_ms"] if t else float("nan")
        if opt == "sgd":
            sgd_gpu = gm
        print("%-6s %10.2f %10.2f %12.3f %12.2f %12.1f" % (opt, gm, cm, tm, cm / gm if gm else float("nan"), gm / tm if tm else float("nan")))
    terr = next((r.get("error") for r in torch if r.get("error")), None)
    if terr:
        print("  PyTorch: %s" % terr)
    if sgd_gpu is not None:
        print("speed target: SGD step <= 10 ms on the GPU: %s (%.2f ms)" % ("met" if sgd_gpu <= 10 else "NOT met", sgd_gpu))
    cp = next((r for r in gpu if r.get("kind") == "copies"), None)
    if cp and sgd_gpu:
        floor = cp["htod_ms"] + cp["dtoh_ms"]
        print("transfers: weights %.1f MB up %.2f ms + gradients down %.2f ms = %.2f ms, %.0f%% of the SGD step"
              " (Gorgonia's VM copies both every step)" % (cp["bytes"] / 1e6, cp["htod_ms"], cp["dtoh_ms"], floor, 100 * floor / sgd_gpu))
    print()
    aucs = {}
    for side in ("gpu", "cpu"):
        m = {}
        try:
            with open(os.path.join(d, "quick-" + side, "metrics.json")) as f:
                m = json.load(f)
        except (OSError, ValueError):
            pass
        aucs[side] = m.get("test_auc")
    ok = aucs["gpu"] is not None and aucs["cpu"] is not None and abs(aucs["gpu"] - aucs["cpu"]) <= 0.01
    fails += not ok
    fmt = lambda v: "%.4f" % v if isinstance(v, (int, float)) else "missing"
    print("configs/quick.yaml test AUC: GPU %s, CPU %s: %s" % (fmt(aucs["gpu"]), fmt(aucs["cpu"]), verdict(ok)))
    if not ok:
        for side in ("gpu", "cpu"):
            print("  quick-%s: %s" % (side, text(os.path.join(d, "quick-%s.out" % side))[-400:]))
    print("\n%s (%d failed); raw results in %s" % ("ALL PASS" if fails == 0 else "FAILED", fails, d))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
