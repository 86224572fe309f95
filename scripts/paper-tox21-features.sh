#!/usr/bin/env bash
# paper-tox21-features.sh: does the SNN gain from the count features?
# Runs configs/paper/tox21-snn.yaml with each feature set below (seeds in
# SEEDS, default 1) into $RUNS/tox21-features/<variant>-s<seed>, resumably,
# one at a time under nice -n 19, then writes results/tox21-features/.
#   SEEDS="1 2 3" VARIANTS="base counts" scripts/paper-tox21-features.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-/work/runs}/tox21-features
declare -A sets=(
	[base]='data.tox21.features=[rdkit, ecfp4]'
	[counts]='data.tox21.features=[rdkit, ecfp_counts]'
	[counts-fcfp-maccs]='data.tox21.features=[rdkit, ecfp_counts, fcfp_counts, maccs]'
	[all]='data.tox21.features=[rdkit, ecfp4, ecfp_counts, fcfp_counts, maccs]'
)
# Count columns kept when non-zero in more than 0.4% of the training
# compounds (over 48 of 12,060; about 950 ECFP-like and 830 FCFP-like).
mcf=${MIN_COUNT_FRAC:-0.004}
for s in ${SEEDS:-1}; do
	for v in ${VARIANTS:-base counts counts-fcfp-maccs all}; do
		"$root/scripts/paper-run.sh" "$root/configs/paper/tox21-snn.yaml" "$runs/$v-s$s" \
			-set "${sets[$v]}" -set data.tox21.min_count_frac="$mcf" -set seed="$s"
	done
done
cd "$root" && go run ./scripts/papertables tox21 -runs "$runs" -out results/tox21-features
