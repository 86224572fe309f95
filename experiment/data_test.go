package experiment

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/datasets/datatest"
	"github.com/selunet/selunet/datasets/tox21"
)

// TestHoldOutVal: fixed validation rows are used as they are and the rest
// trains; without them a stratified fraction validates; fixed rows on a
// pool carved from the data (no official test set) are an error.
func TestHoldOutVal(t *testing.T) {
	all := &datasets.Set{N: 6, D: 1, T: 1, X: make([]float64, 6), Y: []float64{0, 1, 0, 1, 0, 1}}
	test := all.Subset([]int{0})
	tr, va, err := holdOutVal(loaded{all: all, test: test, val: []int{1, 4}}, all, 0.5, 1)
	if err != nil || !slices.Equal(tr, []int{0, 2, 3, 5}) || !slices.Equal(va, []int{1, 4}) {
		t.Errorf("fixed rows: got train %v val %v err %v, want [0 2 3 5] [1 4]", tr, va, err)
	}
	tr, va, err = holdOutVal(loaded{all: all, test: test}, all, 0.5, 1)
	if err != nil || len(tr) != 3 || len(va) != 3 {
		t.Errorf("a fraction: got train %v val %v err %v, want 3 and 3 rows", tr, va, err)
	}
	groups := []int{0, 1, 0, 1, 2, 2}
	tr, va, err = holdOutVal(loaded{all: all, test: test, groups: groups}, all, 0.3, 1)
	if err != nil || len(tr)+len(va) != 6 {
		t.Fatalf("groups: got train %v val %v err %v", tr, va, err)
	}
	side := map[int]bool{}
	for _, i := range va {
		side[groups[i]] = true
	}
	for _, i := range tr {
		if side[groups[i]] {
			t.Errorf("groups: group of row %d on both sides (train %v val %v)", i, tr, va)
		}
	}
	for _, l := range []loaded{{all: all, val: []int{1}}, {all: all, groups: make([]int, 3)}} {
		if _, _, err := holdOutVal(l, all.Subset([]int{1, 2, 3}), 0.5, 1); err == nil {
			t.Error("fixed rows or groups on a carved pool: got no error")
		}
	}
}

// TestTox21Validation: with data.tox21.validation leaderboard the holdout
// split validates on the 296 leaderboard compounds and trains on the other
// 11,764; with grouped no fingerprint is on both sides (shared data only).
func TestTox21Validation(t *testing.T) {
	dir := datatest.DataDir(t, "tox21/tox21_train.csv", "tox21/tox21_test.csv",
		"tox21/derived/tox21_train_ecfp4_2048.csv.gz", "tox21/derived/tox21_train_rdkit_descriptors.csv.gz")
	d := Default().Data
	d.Dataset, d.Dir, d.Protocol = "tox21", dir, "holdout"
	d.Tox21 = tox21.DefaultOptions()
	d.Tox21.Validation = tox21.ValidationLeaderboard
	l, err := load(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	s, err := splits(l, d, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != 1 || s[0].Train.N != 11764 || s[0].Val.N != 296 || s[0].Test.N != tox21.TestRows {
		t.Fatalf("got %d splits, the first %d/%d/%d rows, want one of 11764/296/647", len(s), s[0].Train.N, s[0].Val.N, s[0].Test.N)
	}
	val := map[string]bool{}
	for _, id := range s[0].Val.IDs {
		val[id] = true
	}
	for _, id := range s[0].Train.IDs {
		if val[id] {
			t.Fatalf("compound %s both trains and validates", id)
		}
	}

	d.Tox21.Validation = tox21.ValidationGrouped
	if l, err = load(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	if s, err = splits(l, d, 1); err != nil {
		t.Fatal(err)
	}
	if n := s[0].Val.N; n < 1150 || n > 1260 || s[0].Train.N+n != tox21.TrainRows {
		t.Errorf("grouped: %d training and %d validation rows, want about 10%% of %d validating", s[0].Train.N, n, tox21.TrainRows)
	}
	group := map[string]int{}
	for i, id := range l.all.IDs {
		group[id] = l.groups[i]
	}
	valGroups := map[int]bool{}
	for _, id := range s[0].Val.IDs {
		valGroups[group[id]] = true
	}
	for _, id := range s[0].Train.IDs {
		if valGroups[group[id]] {
			t.Fatalf("grouped: compound %s trains with a fingerprint that validates", id)
		}
	}
}

// TestLoadHoldOut: LoadHoldOut assigns the rows Run's holdout split uses
// (a test share, then a validation share of the rest, partitioning the 90
// rows of testdata/cv-diverge.csv), unstandardized: standardizing its rows
// with the split's statistics gives the split's sets.
func TestLoadHoldOut(t *testing.T) {
	cfg := Default()
	cfg.Data.Dataset, cfg.Data.CSV.Path, cfg.Data.Protocol = "csv", filepath.Join("testdata", "cv-diverge.csv"), "holdout"
	cfg.Data.CSV.Labels = []string{"y"}
	cfg.Data.TestFraction, cfg.Data.ValFraction, cfg.Seed = 0.2, 0.25, 3
	h, err := LoadHoldOut(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if h.Test.N != 18 || h.Pool.N != 72 || len(h.Val) != 18 || len(h.Train) != 54 {
		t.Fatalf("got %d test, %d pool (%d train, %d val) rows, want 18, 72 (54, 18)", h.Test.N, h.Pool.N, len(h.Train), len(h.Val))
	}
	if all := slices.Sorted(slices.Values(append(slices.Clone(h.Train), h.Val...))); !slices.Equal(all, seq(72)) {
		t.Errorf("train and val rows %v do not partition the pool", all)
	}
	l, err := load(context.Background(), cfg.Data)
	if err != nil {
		t.Fatal(err)
	}
	s, err := splits(l, cfg.Data, cfg.Seed)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want *datasets.Set
	}{
		{"train", h.Pool.Subset(h.Train), s[0].Train},
		{"val", h.Pool.Subset(h.Val), s[0].Val},
		{"test", h.Test, s[0].Test},
	} {
		s[0].Std.Apply(c.got)
		if !slices.Equal(c.got.X, c.want.X) || !slices.Equal(c.got.Y, c.want.Y) {
			t.Errorf("%s: LoadHoldOut's rows standardized differ from the split's", c.name)
		}
	}
}
