#!/usr/bin/env bash
# paper-htru2.sh: the HTRU2 comparison (Table 3 of Klambauer et al. 2017).
# Runs configs/paper/htru2-<arch>.yaml for the seven architectures one after
# the other into $RUNS/htru2/<arch> (default RUNS=/work/runs), each resumable:
# run it again after an interruption and it continues where it stopped. Then
# it writes results/htru2/ from whatever runs have finished.
#   ARCHS="snn msra" scripts/paper-htru2.sh   # a subset
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-/work/runs}/htru2
for a in ${ARCHS:-snn msra layernorm highway resnet weightnorm batchnorm}; do
	"$root/scripts/paper-run.sh" "$root/configs/paper/htru2-$a.yaml" "$runs/$a"
done
cd "$root" && go run ./scripts/papertables htru2 -runs "$runs" -out results/htru2
