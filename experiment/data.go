package experiment

import (
	"context"
	"fmt"

	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/datasets/htru2"
	"github.com/selunet/selunet/datasets/tabular"
	"github.com/selunet/selunet/datasets/tox21"
	"github.com/selunet/selunet/nets"
	"github.com/selunet/selunet/train"
)

// Split is one training/validation/test assignment, standardized with the
// statistics of its training rows.
type Split struct {
	// Name is "fold 3" for cross-validation or "holdout".
	Name string
	// Train, Val and Test are copies; Val may be nil.
	Train, Val, Test *datasets.Set
	// Std is the standardization fitted on Train and applied to all three
	// (kept for the split's model file).
	Std *datasets.Standardizer
}

// loaded is a dataset as it comes from its loader: all rows, plus the
// official test rows when the dataset has them, the rows of all that
// validate when the dataset fixes them (Tox21's leaderboard compounds), and
// each row's group when rows of a group must stay on one side of the
// validation split (Tox21's identical fingerprints).
type loaded struct {
	all, test *datasets.Set
	val       []int
	groups    []int
}

// load reads the configured dataset.
func load(ctx context.Context, d Data) (loaded, error) {
	loc := datasets.Locator{Dir: d.Dir, Offline: d.Offline}
	switch d.Dataset {
	case "htru2":
		s, err := htru2.LoadContext(ctx, loc)
		return loaded{all: s}, err
	case "tox21":
		opts := d.Tox21
		opts.Locator = loc
		if opts.Dir == "" {
			opts.Dir = d.Dir
		}
		tr, te, err := tox21.LoadContext(ctx, opts)
		l := loaded{all: tr, test: te}
		if err != nil {
			return l, err
		}
		switch opts.Validation {
		case tox21.ValidationLeaderboard:
			l.val, err = tox21.LeaderboardRows(ctx, opts, tr)
		case tox21.ValidationGrouped:
			l.groups, err = tox21.FingerprintGroups(ctx, opts, tr)
		}
		return l, err
	case "uci":
		u, err := tabular.LoadUCI(d.Dir, d.UCI.Name)
		if err != nil {
			return loaded{}, err
		}
		if u.Test != nil {
			if d.UCI.RescaleTest {
				// Fernández-Delgado's convention: each file z-scored
				// with its own statistics.
				datasets.FitStandardizer(u.Train).Apply(u.Train)
				datasets.FitStandardizer(u.Test).Apply(u.Test)
			}
			return loaded{all: u.Train, test: u.Test}, nil
		}
		if d.UCI.Fold < 1 || d.UCI.Fold > len(u.Folds) {
			return loaded{}, fmt.Errorf("experiment: data.uci.fold %d: %s has %d folds", d.UCI.Fold, d.UCI.Name, len(u.Folds))
		}
		f := u.Folds[d.UCI.Fold-1]
		return loaded{all: u.Train.Subset(f[0]), test: u.Train.Subset(f[1])}, nil
	case "csv":
		s, err := tabular.Load(d.CSV.Path, d.CSV.Options)
		return loaded{all: s}, err
	}
	return loaded{}, fmt.Errorf("experiment: unknown dataset %q", d.Dataset)
}

// head returns the network head, the number of outputs and the loss for a
// set: softmax cross-entropy over classes for a multi-class set, masked
// binary cross-entropy per task otherwise.
func head(s *datasets.Set) (nets.Head, int, train.Loss) {
	if s.Classes > 0 {
		return nets.MultiClass, s.Classes, train.SoftmaxCE
	}
	return nets.Binary, s.T, train.BinaryCE
}

// holdOutVal splits pool into training and validation rows: the rows the
// dataset fixes (l.val, rows of l.all, which is pool when the dataset has
// its own test set), or else a seeded, stratified frac of them, whole
// groups at a time when the dataset groups its rows (l.groups).
func holdOutVal(l loaded, pool *datasets.Set, frac float64, seed uint64) (tr, va []int, err error) {
	if (l.val != nil || l.groups != nil) && pool != l.all {
		return nil, nil, fmt.Errorf("experiment: fixed validation rows or row groups need the dataset's own test set")
	}
	if l.val == nil {
		ps := strata(pool)
		if l.groups != nil {
			return datasets.GroupHoldOut(l.groups, ps, frac, seed)
		}
		return datasets.HoldOut(ps, frac, seed)
	}
	isVal := make([]bool, pool.N)
	for _, i := range l.val {
		isVal[i] = true
	}
	for i := range pool.N {
		if !isVal[i] {
			tr = append(tr, i)
		}
	}
	return tr, l.val, nil
}

// HoldOutRows is the holdout protocol's assignment of a dataset's rows.
type HoldOutRows struct {
	// Pool holds the rows that train and validate: the dataset's own
	// training rows, or all its rows but the seeded test share.
	Pool *datasets.Set
	// Test holds the test rows.
	Test *datasets.Set
	// Train and Val index Pool.
	Train, Val []int
}

// LoadHoldOut loads cfg's data and assigns its rows as Run's holdout
// protocol does (cfg.Data.Protocol is not consulted), before any transform
// or standardization: the rows as the loader gives them, for analyses of
// the split itself such as how far the validation rows are from the
// training rows.
func LoadHoldOut(ctx context.Context, cfg Config) (HoldOutRows, error) {
	l, err := load(ctx, cfg.Data)
	if err != nil {
		return HoldOutRows{}, err
	}
	return holdOut(l, cfg.Data, cfg.Seed)
}

// holdOut assigns l's rows for the holdout protocol: a seeded, stratified
// test share (seed) when the dataset has no test set, then the validation
// rows (seed+1, holdOutVal).
func holdOut(l loaded, d Data, seed uint64) (HoldOutRows, error) {
	h := HoldOutRows{Pool: l.all, Test: l.test}
	if h.Test == nil {
		rest, held, err := datasets.HoldOut(strata(l.all), d.TestFraction, seed)
		if err != nil {
			return h, err
		}
		h.Pool, h.Test = l.all.Subset(rest), l.all.Subset(held)
	}
	var err error
	h.Train, h.Val, err = holdOutVal(l, h.Pool, d.ValFraction, seed+1)
	return h, err
}

// strata returns the labels a split of s stratifies on: the class of each
// row of a multi-class set, whether any task is positive otherwise.
func strata(s *datasets.Set) []float64 {
	if s.Classes > 0 {
		return s.PrimaryLabels()
	}
	return s.AnyPositive()
}

// splits turns a loaded dataset into the protocol's splits, standardized.
func splits(l loaded, d Data, seed uint64) ([]Split, error) {
	if d.Transform == "slog1p" {
		l.all.Transform(datasets.SignedLog1p)
		l.test.Transform(datasets.SignedLog1p)
	}
	var out []Split
	switch d.Protocol {
	case "cv":
		if l.test != nil {
			// The official test rows join the pool: cross-validation
			// defines its own test folds.
			return nil, fmt.Errorf("experiment: data.protocol cv is not supported for %s, which has an official test set (use holdout)", d.Dataset)
		}
		st := strata(l.all)
		if len(st) < d.Folds {
			return nil, fmt.Errorf("experiment: data.folds %d: the %s data has only %d rows (nested cross-validation needs at least one row per fold)", d.Folds, d.Dataset, len(st))
		}
		folds, err := datasets.StratifiedKFold(st, d.Folds, seed)
		if err != nil {
			return nil, err
		}
		n := d.Folds
		if d.RunFolds > 0 {
			n = min(n, d.RunFolds)
		}
		for m := 0; m < n; m++ {
			tr, va, te := datasets.NestedCVFolds(folds, m)
			out = append(out, Split{Name: fmt.Sprintf("fold %d", m+1), Train: l.all.Subset(tr), Val: l.all.Subset(va), Test: l.all.Subset(te)})
		}
	case "holdout":
		h, err := holdOut(l, d, seed)
		if err != nil {
			return nil, err
		}
		out = append(out, Split{Name: "holdout", Train: h.Pool.Subset(h.Train), Val: h.Pool.Subset(h.Val), Test: h.Test.Subset(seq(h.Test.N))})
	default:
		return nil, fmt.Errorf("experiment: unknown protocol %q", d.Protocol)
	}
	for i, s := range out {
		st := datasets.FitStandardizer(s.Train)
		st.Clip = d.Clip
		out[i].Std = st
		for _, x := range []*datasets.Set{s.Train, s.Val, s.Test} {
			if x != nil {
				st.Apply(x)
			}
		}
	}
	return out, nil
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
