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
		ps := pool.AnyPositive()
		if pool.Classes > 0 {
			ps = pool.PrimaryLabels()
		}
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

// splits turns a loaded dataset into the protocol's splits, standardized.
func splits(l loaded, d Data, seed uint64) ([]Split, error) {
	strata := l.all.AnyPositive()
	if l.all.Classes > 0 {
		strata = l.all.PrimaryLabels()
	}
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
		if len(strata) < d.Folds {
			return nil, fmt.Errorf("experiment: data.folds %d: the %s data has only %d rows (nested cross-validation needs at least one row per fold)", d.Folds, d.Dataset, len(strata))
		}
		folds, err := datasets.StratifiedKFold(strata, d.Folds, seed)
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
		pool, test := l.all, l.test
		if test == nil {
			rest, held, err := datasets.HoldOut(strata, d.TestFraction, seed)
			if err != nil {
				return nil, err
			}
			pool, test = l.all.Subset(rest), l.all.Subset(held)
		}
		tr, va, err := holdOutVal(l, pool, d.ValFraction, seed+1)
		if err != nil {
			return nil, err
		}
		out = append(out, Split{Name: "holdout", Train: pool.Subset(tr), Val: pool.Subset(va), Test: test.Subset(seq(test.N))})
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
