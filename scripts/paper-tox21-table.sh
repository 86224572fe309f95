#!/usr/bin/env bash
# paper-tox21-table.sh: Tox21 Table 2 (architectures × depths).
# For each depth in DEPTHS and architecture in ARCHS runs
# configs/paper/tox21-table-<arch>.yaml with model.layers=<depth> into
# $RUNS/tox21-table/<arch>-d<depth>, resumably, one at a time under
# nice -n 19 (ResNet skips 32 blocks, as the paper), then writes
# results/tox21-table/. FEATURES overrides data.tox21.features.
# VALIDATION=leaderboard validates on the challenge's leaderboard compounds
# (data.tox21.validation) and writes $RUNS/tox21-table-leaderboard and
# results/tox21-table-leaderboard instead.
#   DEPTHS="2" scripts/paper-tox21-table.sh          # one depth, all seven
#   ARCHS=snn scripts/paper-tox21-table.sh           # the SNN column
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
table=tox21-table
feat=()
[ -n "${FEATURES:-}" ] && feat=(-set "data.tox21.features=$FEATURES")
if [ -n "${VALIDATION:-}" ]; then
	feat+=(-set "data.tox21.validation=$VALIDATION")
	table=$table-$VALIDATION
fi
runs=${RUNS:-/work/runs}/$table
for d in ${DEPTHS:-2 3 4 6 8 16 32}; do
	for a in ${ARCHS:-snn msra layernorm highway resnet weightnorm batchnorm}; do
		[ "$a" = resnet ] && [ "$d" = 32 ] && continue
		"$root/scripts/paper-run.sh" "$root/configs/paper/tox21-table-$a.yaml" "$runs/$a-d$d" \
			-set model.layers="$d" "${feat[@]}" || echo "$a depth $d: failed"
	done
done
cd "$root" && go run ./scripts/papertables tox21table -runs "$runs" -out "results/$table"
