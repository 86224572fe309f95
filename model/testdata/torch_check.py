"""Rebuild selunet models in PyTorch from their safetensors export and
compare predictions with selunet's.

usage: python3 torch_check.py DIR [DIR...]

Each DIR holds model.safetensors (written by `train export` /
model.WriteSafetensors), rows.csv (raw feature rows with a header) and
want.csv (selunet's probabilities, header = output names). The network is
rebuilt from the metadata's JSON ("selunet": architecture, preprocessing,
output names) and the tensors alone, following the format description in
package model; no selunet code is used. Exits 1 when a probability differs
by more than 1e-5 (float32) or 1e-9 (float64).
"""
import csv
import json
import math
import struct
import sys

import torch

DTYPES = {"F32": (torch.float32, 4, "f"), "F64": (torch.float64, 8, "d")}


def load_safetensors(path):
    """Parse the safetensors layout with struct/json (no safetensors package)."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    data = raw[8 + n:]
    tensors = {}
    for name, e in header.items():
        dt, size, code = DTYPES[e["dtype"]]
        begin, end = e["data_offsets"]
        count = (end - begin) // size
        values = struct.unpack("<%d%s" % (count, code), data[begin:end])
        tensors[name] = torch.tensor(values, dtype=dt).reshape(e["shape"])
    return meta, tensors


def build(info, t):
    spec = info["spec"]
    arch, layers = spec["arch"], spec["layers"]
    eps = 1e-5

    def lin(name, h):
        return h @ t[name + "/W"] + t[name + "/b"]

    def proj(name, h):
        if name + "/proj/W" in t:
            return torch.relu(lin(name + "/proj", h))
        return h

    def forward(x):
        h = x
        for i in range(1, layers + 1):
            name = "layer%02d" % i
            if arch == "snn":
                h = torch.selu(lin(name, h))
            elif arch == "msra":
                h = torch.relu(lin(name, h))
            elif arch == "batchnorm":
                z = lin(name, h)
                z = (z - t[name + "/running_mean"]) / torch.sqrt(t[name + "/running_var"] + eps)
                h = torch.relu(z * t[name + "/bn/gamma"] + t[name + "/bn/beta"])
            elif arch == "layernorm":
                z = lin(name, h)
                m = z.mean(dim=1, keepdim=True)
                v = ((z - m) ** 2).mean(dim=1, keepdim=True)
                z = (z - m) / torch.sqrt(v + eps)
                h = torch.relu(z * t[name + "/ln/gamma"] + t[name + "/ln/beta"])
            elif arch == "weightnorm":
                v = t[name + "/V"]
                w = v * (t[name + "/g"] / torch.sqrt((v * v).sum(dim=0)))
                h = torch.relu(h @ w + t[name + "/b"])
            elif arch == "resnet":
                h = proj(name, h)
                r = torch.relu(lin(name + "/a", h))
                h = torch.relu(h + lin(name + "/b", r))
            elif arch == "highway":
                h = proj(name, h)
                hh = torch.relu(lin(name + "/H", h))
                gate = torch.sigmoid(lin(name + "/T", h))
                h = h + gate * (hh - h)
            else:
                raise ValueError("unknown arch " + arch)
        z = lin("out", h)
        if info["head"] == "multiclass":
            return torch.softmax(z, dim=1)
        return torch.sigmoid(z)

    return forward


def preprocess(info, rows, dtype):
    p = info["preprocess"]
    out = []
    for r in rows:
        z = []
        for j, v in enumerate(r):
            if p["transform"] == "slog1p":
                v = math.copysign(math.log1p(abs(v)), v)
            v = (v - p["mean"][j]) / p["std"][j]
            if p["clip"] > 0:
                v = max(-p["clip"], min(p["clip"], v))
            z.append(v)
        out.append(z)
    return torch.tensor(out, dtype=torch.float64).to(dtype)


def read_csv(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    return rows[0], [[float(v) for v in r] for r in rows[1:]]


def check(d):
    meta, tensors = load_safetensors(d + "/model.safetensors")
    info = json.loads(meta["selunet"])
    dtype = next(iter(tensors.values())).dtype
    cols, rows = read_csv(d + "/rows.csv")
    order = [cols.index(f) for f in info["preprocess"]["features"]]
    rows = [[r[k] for k in order] for r in rows]
    names, want = read_csv(d + "/want.csv")
    assert names == info["output_names"], (names, info["output_names"])
    with torch.no_grad():
        got = build(info, tensors)(preprocess(info, rows, dtype)).double()
    diff = (got - torch.tensor(want, dtype=torch.float64)).abs().max().item()
    tol = 1e-5 if dtype == torch.float32 else 1e-9
    print("%s: %s %s, max |torch - selunet| = %.3g (tolerance %g)" % (d, info["spec"]["arch"], dtype, diff, tol))
    return diff <= tol


if __name__ == "__main__":
    ok = [check(d) for d in sys.argv[1:]]
    sys.exit(0 if all(ok) else 1)
