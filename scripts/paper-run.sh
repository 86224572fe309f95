#!/usr/bin/env bash
# paper-run.sh CONFIG RUNDIR [-set k=v ...]
#
# Runs one experiment resumably: a finished run (RUNDIR/metrics.json) is left
# alone, an interrupted one (RUNDIR/config.yaml) is continued with -resume,
# otherwise it starts from CONFIG. Each invocation appends one line to
# RUNDIR/wall.tsv: start and end (UTC, ISO 8601), seconds, exit status, the
# commit the binary was built from, and the machine (hostname, CPU count,
# load average at start), so the total wall time of a run interrupted and
# resumed across sessions is the sum of its lines. Runs under nice -n 19;
# a run directory another invocation holds (RUNDIR.lock) is skipped.
#
# TRAIN (default: a binary built from this checkout into $RUNS/bin) and
# SELUNET_DATA_DIR are taken from the environment.
set -euo pipefail
cfg=$1 dir=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
commit=$(git -C "$root" rev-parse --short=12 HEAD)
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no -- . ':!results' 2>/dev/null)" ]; then commit="$commit+dirty"; fi
if [ -z "${TRAIN:-}" ]; then
	bin=${RUNS:-/work/runs}/bin
	mkdir -p "$bin"
	TRAIN=$bin/train-$commit
	[ -x "$TRAIN" ] || (cd "$root" && go build -o "$TRAIN" ./cmd/train)
fi
# One process per run directory: a second caller skips it.
mkdir -p "$(dirname "$dir")"
exec 9>"$dir.lock"
if ! flock -n 9; then
	echo "$dir: running elsewhere, skipped"
	exit 0
fi
if [ -f "$dir/metrics.json" ]; then
	echo "$dir: finished"
	exit 0
fi
if [ -f "$dir/config.yaml" ]; then
	args=(-resume "$dir")
else
	mkdir -p "$(dirname "$dir")"
	args=(-config "$cfg" -out "$dir" "$@")
fi
start=$(date -u +%FT%TZ) t0=$(date +%s)
machine="$(hostname) $(nproc)cpu load $(cut -d' ' -f1-3 /proc/loadavg)"
rc=0
nice -n 19 "$TRAIN" -q "${args[@]}" || rc=$?
mkdir -p "$dir"
printf '%s\t%s\t%d\t%d\t%s\t%s\n' "$start" "$(date -u +%FT%TZ)" $(($(date +%s) - t0)) $rc "$commit" "$machine" >>"$dir/wall.tsv"
exit $rc
