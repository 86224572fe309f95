#!/usr/bin/env bash
# The GPU check (scripts/cuda.sh check): runs on a machine with an NVIDIA GPU,
# python3 (torch with CUDA for the PyTorch column) and no Go. It needs the
# binaries that `scripts/cuda.sh build` made on the build machine: bin/train-cuda,
# bin/train (the CPU build) and bin/cuda-tests/*.test, or the single archive
# bin/cuda-carry.tar.xz holding them (the one path to carry to the GPU machine
# besides the work tree). Prints one table (scripts/cuda_table.py); the raw
# results stay in $CHECK_DIR (default: a new temporary directory), with a CPU profile
# of every gpucheck section (SIDE-SECTION.pprof: where the host time of a step goes;
# `go tool pprof -top bin/train-cuda gpu-time.pprof` on a machine with Go).
set -uo pipefail
cd "$(dirname "$0")/.."
R=${CHECK_DIR:-$(mktemp -d /tmp/selunet-cuda-check.XXXXXX)}
mkdir -p "$R"
say() { echo "cuda check: $*" >&2; }

if [ ! -x bin/train-cuda ] && [ -f bin/cuda-carry.tar.xz ]; then
	say "unpacking bin/cuda-carry.tar.xz"
	python3 -c 'import tarfile; tarfile.open("bin/cuda-carry.tar.xz").extractall(".")' || exit 1
fi
for b in bin/train-cuda bin/train; do
	[ -x "$b" ] || { say "missing $b: run scripts/cuda.sh build on a machine with Go, then carry bin/cuda-carry.tar.xz"; exit 1; }
done

# cuBLAS: the binaries load libcublas.so.13 (or .12, .11) at start-up. Python
# wheels (nvidia-cublas) keep it under site-packages/nvidia/*/lib.
if ! ldconfig -p 2>/dev/null | grep -q 'libcublas\.so\.1[123] '; then
	lib=$(python3 - <<'PY' 2>/dev/null
import glob, os, site, sys
dirs = [p for p in sys.path if p] + site.getsitepackages()
for d in dirs:
    for pat in ("nvidia/*/lib/libcublas.so.1[123]", "nvidia/cublas/lib/libcublas.so.1[123]", "torch/lib/libcublas.so.1[123]"):
        hits = sorted(glob.glob(os.path.join(d, pat)), reverse=True)
        if hits:
            print(os.path.dirname(hits[0]))
            sys.exit(0)
PY
)
	if [ -n "$lib" ]; then
		export LD_LIBRARY_PATH=$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
		say "cuBLAS from $lib"
	fi
fi

t0=$(date +%s)
command -v nvidia-smi >/dev/null && nvidia-smi >"$R/nvidia-smi.txt" 2>&1
# Each section in its own process, so that a failure in one still leaves the others.
# run_sections SIDE BINARY SECTION:LIMIT...: SIDE.jsonl, SIDE-SECTION.err/.rc. The
# limits keep the worst case (every step timing out) under 9 minutes.
run_sections() {
	local side=$1 bin=$2 arg sec
	shift 2
	: >"$R/$side.jsonl"
	for arg in "$@"; do
		sec=${arg%%:*}
		say "$side: $sec"
		timeout "${arg##*:}" "$bin" gpucheck -sections "$sec" -cpuprofile "$R/$side-$sec.pprof" >>"$R/$side.jsonl" 2>"$R/$side-$sec.err"
		echo $? >"$R/$side-$sec.rc"
	done
}
run_sections gpu bin/train-cuda env:30 ops:80 train:80 time:50 copies:20
run_sections cpu bin/train env:10 train:50 time:30
say "PyTorch on the GPU (bench/torch_gpu.py)"
timeout 40 python3 bench/torch_gpu.py >"$R/torch.jsonl" 2>"$R/torch.err"
echo $? >"$R/torch.rc"
say "configs/quick.yaml: CPU (background) and GPU; cuda test binaries"
(timeout 90 bin/train -config configs/quick.yaml -q -out "$R/quick-cpu" >"$R/quick-cpu.out" 2>&1; echo $? >"$R/quick-cpu.rc") &
cpu_pid=$!
timeout 90 bin/train-cuda -config configs/quick.yaml -device cuda -q -out "$R/quick-gpu" >"$R/quick-gpu.out" 2>&1
echo $? >"$R/quick-gpu.rc"
: >"$R/tests.txt"
for t in bin/cuda-tests/*.test; do
	[ -x "$t" ] || continue
	echo "== $t" >>"$R/tests.txt"
	timeout 60 "$t" -test.v -test.run 'GPU' >>"$R/tests.txt" 2>&1
	echo "rc=$?" >>"$R/tests.txt"
done
wait "$cpu_pid"
echo $(($(date +%s) - t0)) >"$R/seconds"
python3 scripts/cuda_table.py "$R"
