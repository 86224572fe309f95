#!/usr/bin/python3
"""Print the Go/PyTorch comparison table from the JSON lines that
bench/compare.sh writes: go_t{T}.jsonl, torch_t{T}.jsonl, go_scale.jsonl,
torch_scale.jsonl in the directory given as the only argument. Ratios are
Go time / PyTorch time (below 1: Go is faster). A '*' marks a measurement
during which other processes used more than the idle threshold.
--stat picks the statistic (default median; min is the better estimate of
the undisturbed time on a busy machine)."""

import glob
import json
import os
import sys


def load(path):
    recs = []
    if os.path.exists(path):
        with open(path) as fh:
            for line in fh:
                line = line.strip()
                if line.startswith("{"):
                    recs.append(json.loads(line))
    return recs


STAT = "median"


def index(recs):
    """Map row key -> (value, disturbed), value being the STAT statistic of
    each record, and the median over records (rounds) with the same key."""
    vals = {}
    for r in recs:
        dist = bool(r.get("disturbed"))
        if r.get("kind") == "micro":
            shape = "x".join(str(s) for s in r["shape"])
            vals.setdefault(("micro", r["op"], r["mode"], shape), []).append((r[STAT], dist))
        elif r.get("kind") == "train":
            key = (r["optimizer"], r["layers"], r["hidden"])
            vals.setdefault(("train",) + key, []).append((r[STAT], dist))
            vals.setdefault(("eval",) + key, []).append((r["eval_forward_median_ms"], dist))
        elif r.get("kind") == "trainer":
            vals.setdefault(("trainer", r["optimizer"], r["layers"], r["hidden"]), []).append((r[STAT], dist))
    return {k: (median([x for x, _ in v]), any(d for _, d in v)) for k, v in vals.items()}


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def rounds(recs):
    return sum(1 for r in recs if r.get("kind") == "env")


def fmt(v):
    if v is None:
        return "-"
    val, dist = v
    return ("%.1f" if val >= 100 else "%.2f") % val + ("*" if dist else "")


def ratio(g, t):
    if g is None or t is None:
        return "-"
    return "%.2f" % (g[0] / t[0])


def env_line(recs):
    for r in recs:
        if r.get("kind") == "env":
            if "backend" in r:
                return "Go %s, backend %s, GOMAXPROCS %s, BLAS threads %s, activation: %s, dropout: %s" % (
                    r.get("go"), r.get("backend"), r.get("gomaxprocs"), r.get("blas_threads"),
                    r.get("activation"), r.get("dropout_impl"))
            return "PyTorch %s, torch threads %s, OpenBLAS threads %s" % (
                r.get("torch"), r.get("torch_threads"), r.get("openblas_threads"))
    return "(none)"


def main():
    global STAT
    args = sys.argv[1:]
    if len(args) == 3 and args[0] == "--stat" and args[1] in ("median", "min", "p10", "p90", "mean"):
        STAT, args = args[1], args[2:]
    if len(args) != 1:
        sys.exit("usage: compare_table.py [--stat median|min|p10|p90|mean] RESULTS_DIR")
    d = args[0]
    threads = sorted({int(os.path.basename(p)[4:-6]) for p in glob.glob(os.path.join(d, "go_t*.jsonl"))})
    go = {t: load(os.path.join(d, "go_t%d.jsonl" % t)) for t in threads}
    th = {t: load(os.path.join(d, "torch_t%d.jsonl" % t)) for t in threads}
    for t in threads:
        print("threads %d: %s | %s" % (t, env_line(go[t]), env_line(th[t])))
    gi = {t: index(go[t]) for t in threads}
    ti = {t: index(th[t]) for t in threads}

    rows = []
    for shape in ("128x1024", "1024x1024"):
        for op, name in (("selu", "SELU"), ("alpha_dropout", "AlphaDropout")):
            for mode in ("fwd", "fwd+bwd"):
                rows.append(("%s %s %s (us)" % (name, mode, shape), ("micro", op, mode, shape)))
    rows.append(("train step SGD (ms)", ("train", "sgd", 8, 1024)))
    rows.append(("train step Adam (ms)", ("train", "adam", 8, 1024)))
    rows.append(("train.Trainer step SGD (ms)", ("trainer", "sgd", 8, 1024), ("train", "sgd", 8, 1024)))
    rows.append(("train.Trainer step Adam (ms)", ("trainer", "adam", 8, 1024), ("train", "adam", 8, 1024)))
    rows.append(("eval forward, batch 128 (ms)", ("eval", "sgd", 8, 1024)))

    head = "| measurement |"
    sep = "|---|"
    for t in threads:
        head += " Go %dt | PyTorch %dt | Go/PyTorch %dt |" % (t, t, t)
        sep += "---|---|---|"
    print()
    print(head)
    print(sep)
    for row in rows:
        label, key = row[0], row[1]
        tkey = row[2] if len(row) > 2 else key
        line = "| %s |" % label
        for t in threads:
            g, p = gi[t].get(key), ti[t].get(tkey)
            line += " %s | %s | %s |" % (fmt(g), fmt(p), ratio(g, p))
        print(line)

    gs, ts = index(load(os.path.join(d, "go_scale.jsonl"))), index(load(os.path.join(d, "torch_scale.jsonl")))
    keys = sorted({k for k in list(gs) + list(ts) if k[0] == "train"}, key=lambda k: (k[3] != 1024, k[2], k[3]))
    if keys:
        print()
        print("| SGD step, 1 thread: depth x width | Go (ms) | PyTorch (ms) | Go/PyTorch |")
        print("|---|---|---|---|")
        for k in keys:
            print("| %d x %d | %s | %s | %s |" % (k[2], k[3], fmt(gs.get(k)), fmt(ts.get(k)), ratio(gs.get(k), ts.get(k))))
    print()
    n = sorted({rounds(go[t]) for t in threads} | {rounds(th[t]) for t in threads})
    print("Times are %ss (eval forward: always the median) of each run, then the median over rounds" % STAT)
    print("(runs per program and thread count: %s); ratios are Go/PyTorch (< 1: Go faster);" % "/".join(map(str, n)))
    print("* = other processes used more than the idle threshold during that measurement.")
    print("'train step' is bench.Model (nets graph + solver, fixed batches); 'train.Trainer step' is the project's")
    print("training loop (batch filling from a float64 dataset, shuffling) compared with the same PyTorch step.")


if __name__ == "__main__":
    main()
