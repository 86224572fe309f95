package main

import (
	"context"
	"flag"
	"fmt"
	"math/bits"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/selunet/selunet/datasets"
	tox21data "github.com/selunet/selunet/datasets/tox21"
	"github.com/selunet/selunet/experiment"
)

// fingerprint is a row's set bits, packed.
type fingerprint []uint64

// tanimoto is |a∩b| / |a∪b|, 0 for two empty fingerprints.
func tanimoto(a, b fingerprint) float64 {
	var in, un int
	for k := range a {
		in += bits.OnesCount64(a[k] & b[k])
		un += bits.OnesCount64(a[k] | b[k])
	}
	if un == 0 {
		return 0
	}
	return float64(in) / float64(un)
}

// fingerprints packs the non-zero features of the rows idx of s.
func fingerprints(s *datasets.Set, idx []int) []fingerprint {
	out := make([]fingerprint, len(idx))
	for k, i := range idx {
		f := make(fingerprint, (s.D+63)/64)
		for c, v := range s.Row(i) {
			if v != 0 {
				f[c/64] |= 1 << (c % 64)
			}
		}
		out[k] = f
	}
	return out
}

// nearest returns, for each query, the Tanimoto similarity of its nearest
// reference.
func nearest(query, ref []fingerprint) []float64 {
	out := make([]float64, len(query))
	for i, q := range query {
		for _, r := range ref {
			out[i] = max(out[i], tanimoto(q, r))
		}
	}
	return out
}

// rows returns 0, 1, …, n-1.
func rows(n int) []int {
	r := make([]int, n)
	for i := range r {
		r[i] = i
	}
	return r
}

// tox21Shift writes how far each validation choice's compounds are from the
// compounds that train beside them, and how far the test compounds are, in
// nearest-neighbour Tanimoto similarity of the ECFP4 fingerprints.
func tox21Shift(args []string) error {
	fs := flag.NewFlagSet("tox21shift", flag.ExitOnError)
	data := fs.String("data", os.Getenv(datasets.EnvDataDir), "data directory")
	out := fs.String("out", "results/tox21-table", "output directory (writes shift.md)")
	frac := fs.Float64("val-fraction", 0.1, "validation share of the random and grouped splits")
	seed := fs.Uint64("seed", 1, "config seed: the validation rows are those a run with this seed validates on")
	fs.Parse(args)
	cfg := experiment.Default()
	cfg.Seed = *seed
	cfg.Data.Dataset, cfg.Data.Dir, cfg.Data.ValFraction = "tox21", *data, *frac
	cfg.Data.Tox21.Features = []string{tox21data.GroupECFP4}
	cfg.Data.Tox21.MinBitFrac = 0
	ctx := context.Background()
	type choice struct{ name, what string }
	choices := []choice{{tox21data.ValidationRandom, "random (the table's)"}, {tox21data.ValidationGrouped, "grouped"}, {tox21data.ValidationLeaderboard, "leaderboard"}}
	splits := map[string]experiment.HoldOutRows{}
	for _, c := range choices {
		cfg.Data.Tox21.Validation = c.name
		h, err := experiment.LoadHoldOut(ctx, cfg)
		if err != nil {
			return err
		}
		splits[c.name] = h
	}
	train, test := splits[tox21data.ValidationRandom].Pool, splits[tox21data.ValidationRandom].Test
	var b strings.Builder
	fmt.Fprintf(&b, "# Tox21: how far the validation compounds are from the training compounds\n\n")
	fmt.Fprintf(&b, "For each choice of `data.tox21.validation`, the Tanimoto similarity (ECFP4, all %d bits that vary over the training compounds) of each validation compound to its nearest training compound of that split, and the same for the 647 test compounds against all 12,060 training compounds. The challenge's test compounds were chosen apart from its training compounds; a validation part should be as far from its training part as the test set is, or it ranks models by how well they recall compounds they have seen.\n\n", train.D)
	b.WriteString("| validation | validation compounds | training compounds | median | mean | share ≥ 0.7 | share = 1 (the same fingerprint) |\n| --- | --- | --- | --- | --- | --- | --- |\n")
	row := func(name string, q, ref []fingerprint) {
		nn := nearest(q, ref)
		slices.Sort(nn)
		var sum float64
		var hi, same int
		for _, v := range nn {
			sum += v
			if v >= 0.7 {
				hi++
			}
			if v == 1 {
				same++
			}
		}
		n := float64(len(nn))
		fmt.Fprintf(&b, "| %s | %d | %d | %.3f | %.3f | %.2f | %.2f |\n", name, len(q), len(ref), nn[len(nn)/2], sum/n, float64(hi)/n, float64(same)/n)
	}
	for _, c := range choices {
		h := splits[c.name]
		row(c.what, fingerprints(h.Pool, h.Val), fingerprints(h.Pool, h.Train))
	}
	all := fingerprints(train, rows(train.N))
	row("*the test set*", fingerprints(test, rows(test.N)), all)
	distinct := map[string]bool{}
	for _, f := range all {
		distinct[fmt.Sprint(f)] = true
	}
	fmt.Fprintf(&b, "\nThe 12,060 training compounds have %d distinct fingerprints. Command:\n\n    go run ./scripts/papertables tox21shift -data $SELUNET_DATA_DIR -out %s\n", len(distinct), *out)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(*out, "shift.md"), []byte(b.String()), 0o644)
}
