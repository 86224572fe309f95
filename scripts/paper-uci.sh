#!/usr/bin/env bash
# paper-uci.sh: our SNN on the UCI-121 data sets (Tables 1 and A11).
# For each fold in FOLDS (default 1), data set and batch size rule in RULES
# (default "b128 s10"; see scripts/papertables/uci.go), runs
# configs/paper/uci-snn.yaml into $RUNS/uci/<rule>/f<fold>/<name>, resumably,
# one at a time under nice -n 19. Data sets run smallest first (N of Table
# A11); DATASETS overrides the list. Two-file data sets (a test file) run
# for fold 1 only. Then writes results/uci/. ARCH=msra runs our MSRAinit
# baseline (configs/paper/uci-msra.yaml) into $RUNS/uci-msra/ instead.
# ARCH=snn-deep runs configs/paper/uci-snn-deep.yaml (the 16- and 32-layer
# points) into $RUNS/uci-snn-deep/; papertables merges its selection with
# the SNN's on validation.
# RESCALE=1 runs with data.uci.rescale_test: true into $RUNS/uci[-msra]-rescale/
# (by default only the 11 two-file data sets whose files are on different
# scales, papertables' defective list; see experiment.UCI.RescaleTest).
#   RULES=s10 FOLDS="2 3 4" scripts/paper-uci.sh
#   RESCALE=1 RULES=b128 scripts/paper-uci.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
arch=${ARCH:-snn}
runs=${RUNS:-/work/runs}/uci
[ "$arch" = snn ] || runs=$runs-$arch
data=${SELUNET_DATA_DIR:?set SELUNET_DATA_DIR to the data directory}
tables=${RUNS:-/work/runs}/bin/papertables
(cd "$root" && go build -o "$tables" ./scripts/papertables)
rescale=()
if [ -n "${RESCALE:-}" ]; then
	runs=$runs-rescale
	rescale=(-set data.uci.rescale_test=true)
	: "${DATASETS:=$("$tables" uci defective)}"
fi
if [ -z "${DATASETS:-}" ]; then
	DATASETS=$(tail -n +2 "$data/uci121/paper_tableA11_fnn_accuracies.csv" | sort -t, -k2,2n -k1,1 | cut -d, -f1 |
		while read -r n; do [ -d "$data/uci121/$n" ] && echo "$n"; done)
fi
for f in ${FOLDS:-1}; do
	for n in $DATASETS; do
		for r in ${RULES:-b128 s10}; do
			read -r _ bs _ files < <("$tables" uci batch -rule "$r" -fold "$f" "$n") || { echo "$n: no data, skipped"; continue; }
			[ "$files" = 2 ] && [ "$f" != 1 ] && continue
			# A rule giving batch 128 trains exactly what b128 trains
			# (same config, same seed): link to that run instead.
			if [ "$r" != b128 ] && [ "$bs" = 128 ]; then
				"$root/scripts/paper-run.sh" "$root/configs/paper/uci-$arch.yaml" "$runs/b128/f$f/$n" \
					-set data.uci.name="$n" -set data.uci.fold="$f" -set train.batch_size=128 "${rescale[@]}" || echo "$n b128 f$f: failed"
				mkdir -p "$runs/$r/f$f"
				[ -e "$runs/$r/f$f/$n" ] || ln -s "../../b128/f$f/$n" "$runs/$r/f$f/$n"
				continue
			fi
			"$root/scripts/paper-run.sh" "$root/configs/paper/uci-$arch.yaml" "$runs/$r/f$f/$n" \
				-set data.uci.name="$n" -set data.uci.fold="$f" -set train.batch_size="$bs" "${rescale[@]}" || echo "$n $r f$f: failed"
		done
	done
done
[ "$arch" = snn ] && [ -z "${RESCALE:-}" ] && cd "$root" && "$tables" uci -runs "$runs" -out results/uci
