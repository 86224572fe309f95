#!/usr/bin/env bash
# Compare the Go SNN benchmark (bench/cmd/snnbench) with the PyTorch 1.13
# reference (shared/refbench/torch_snn_bench.py) on this machine and print one
# table of Go/PyTorch ratios, then how a training step grows with depth and
# width.
#
#   bash bench/compare.sh [REFBENCH_DIR]
#
# REFBENCH_DIR (or env REFBENCH) defaults to ../shared/refbench relative to the
# repository root. PyTorch is skipped (Go numbers only) when /usr/bin/python3
# cannot import torch or the script is missing
# (apt-get install -y python3-torch).
#
# Environment:
#   TAGS=openblas|none   Go build tags (default: openblas when libopenblas is
#                        installed, apt-get install -y libopenblas-dev)
#   THREADS="1 2"        thread counts (Go: GOMAXPROCS + OpenBLAS threads;
#                        PyTorch: torch + OpenBLAS threads)
#   SCALING=1            also time SGD steps at depth 8/16/32 and width
#                        256/1024/2048 at 1 thread (0 to skip)
#   WAIT_IDLE=60         seconds to wait for an idle machine before each
#                        measurement (both programs re-measure disturbed
#                        cases up to RETRIES=2 times)
#   ROUNDS=2             measurement rounds; each runs Go and PyTorch at every
#                        thread count, alternating which goes first, and the
#                        table shows the median over rounds
#   OUT=dir              where the JSON lines go (default: a new temp dir)
#   QUICK=1              few repetitions: a smoke test, not a measurement
#   STAT=median          statistic in the table: median, min, p10, p90, mean
#                        (min estimates the undisturbed time on a busy machine)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
refbench=${1:-${REFBENCH:-$root/../shared/refbench}}
threads=${THREADS:-1 2}
scaling=${SCALING:-1}
wait_idle=${WAIT_IDLE:-60}
retries=${RETRIES:-2}
rounds=${ROUNDS:-2}
out=${OUT:-$(mktemp -d /tmp/selunet-compare.XXXXXX)}
mkdir -p "$out"
# The runs append to these files: start from empty ones.
rm -f "$out"/go_t*.jsonl "$out"/torch_t*.jsonl "$out/go_scale.jsonl" "$out/torch_scale.jsonl"

if [[ -z ${TAGS+x} ]]; then
	if ls /usr/lib/*/libopenblas.so >/dev/null 2>&1 || ls /usr/lib/libopenblas.so >/dev/null 2>&1; then
		TAGS=openblas
	else
		TAGS=none
	fi
fi
tags=$TAGS
[[ $tags == none ]] && tags=""

echo "# building bench/cmd/snnbench (tags: ${tags:-none})" >&2
if ! (cd "$root" && go build -tags "$tags" -o "$out/snnbench" ./bench/cmd/snnbench); then
	if [[ -n $tags ]]; then
		echo "# build with tags '$tags' failed; falling back to the pure-Go build" >&2
		tags=""
		(cd "$root" && go build -o "$out/snnbench" ./bench/cmd/snnbench)
	else
		exit 1
	fi
fi

torch=""
if [[ -f $refbench/torch_snn_bench.py ]] && /usr/bin/python3 -c 'import torch' >/dev/null 2>&1; then
	torch="$refbench/torch_snn_bench.py"
else
	echo "# PyTorch reference skipped: need $refbench/torch_snn_bench.py and /usr/bin/python3 with torch" >&2
fi

common=(--json --wait-idle "$wait_idle" --retries "$retries")
goq=()
if [[ ${QUICK:-0} == 1 ]]; then
	common+=(--reps 10 --warmup 2 --min-time 0.1 --steps 5 --warmup-steps 2)
	goq=(-reps 10 -warmup 2 -min-time 0.1 -steps 5 -warmup-steps 2)
fi
echo "# results in $out; load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
run_go() { # threads round
	echo "# round $2: Go, $1 thread(s)" >&2
	"$out/snnbench" -threads "$1" -sections micro,train,trainer -label "go_t$1_r$2" \
		-json -wait-idle "$wait_idle" -retries "$retries" ${goq[@]+"${goq[@]}"} >>"$out/go_t$1.jsonl"
}
run_torch() { # threads round
	[[ -n $torch ]] || return 0
	echo "# round $2: PyTorch, $1 thread(s)" >&2
	/usr/bin/python3 "$torch" --threads "$1" --sections micro,train --label "torch_t$1_r$2" \
		--stable-env "${common[@]}" >>"$out/torch_t$1.jsonl"
}
# Rounds alternate which program goes first, so that a slow drift of the
# machine's speed (other tenants of the host) does not favour either side;
# the table takes the median over rounds.
for ((r = 1; r <= rounds; r++)); do
	for t in $threads; do
		if ((r % 2 == 1)); then
			run_go "$t" "$r"
			run_torch "$t" "$r"
		else
			run_torch "$t" "$r"
			run_go "$t" "$r"
		fi
	done
done

if [[ $scaling == 1 ]]; then
	for shape in "8 1024" "16 1024" "32 1024" "8 256" "8 2048"; do
		set -- $shape
		echo "# scaling: depth $1, width $2 (SGD, 1 thread)" >&2
		"$out/snnbench" -threads 1 -sections train -optimizers sgd -layers "$1" -hidden "$2" \
			-steps 30 -warmup-steps 5 -label "go_scale" -json -wait-idle "$wait_idle" \
			-retries "$retries" ${goq[@]+"${goq[@]}"} >>"$out/go_scale.jsonl"
		if [[ -n $torch ]]; then
			/usr/bin/python3 "$torch" --threads 1 --sections train --optimizers sgd --layers "$1" \
				--hidden "$2" --label "torch_scale" --stable-env \
				"${common[@]}" --steps 30 --warmup-steps 5 >>"$out/torch_scale.jsonl"
		fi
	done
fi

/usr/bin/python3 "$here/compare_table.py" --stat "${STAT:-median}" "$out"
