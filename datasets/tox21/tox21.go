package tox21

import (
	"context"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"sync"

	"github.com/selunet/selunet/datasets"
)

// Sources and feature groups accepted by Options.
const (
	SourceChallenge = "challenge"
	SourceDeepTox   = "deeptox"

	GroupECFP4  = "ecfp4"  // challenge: ECFP4 bits
	GroupRDKit  = "rdkit"  // challenge: RDKit descriptors
	GroupDense  = "dense"  // deeptox: dense descriptors
	GroupSparse = "sparse" // deeptox: sparse substructure counts
)

// Validation settings of Options.Validation: which training compounds
// validate (choose hyperparameters and the early-stopping epoch).
const (
	// ValidationRandom ("" means it) carves a seeded, stratified fraction
	// of the training compounds (ValidationSplit; data.val_fraction in a
	// config).
	ValidationRandom = "random"
	// ValidationLeaderboard validates on the challenge's 296 leaderboard
	// compounds (subset "leaderboard" of tox21_train.csv) and trains on
	// the other 11,764: a batch the organizers chose apart from the
	// training compounds, as they chose the test compounds, so it ranks
	// models under the same kind of shift (LeaderboardRows). The
	// challenge source only: the DeepTox archive does not mark them.
	ValidationLeaderboard = "leaderboard"
	// ValidationGrouped carves a seeded fraction as ValidationRandom does,
	// but keeps compounds with identical ECFP4 fingerprints on one side
	// (FingerprintGroups, datasets.GroupHoldOut): the training set enters
	// many structures more than once, under several sample IDs, and a
	// random split validates largely on copies of training compounds.
	// The challenge source only (it reads the ECFP4 file).
	ValidationGrouped = "grouped"
)

// Official sizes of the split.
const (
	TrainRows = 12060
	TestRows  = 647
)

// URL is the DeepTox archive used by the paper (no published checksum).
const URL = "http://bioinf.jku.at/research/DeepTox/tox21.zip"

// Tasks are the 12 assays in challenge/DeepTox column order.
var Tasks = []string{
	"NR-AhR", "NR-AR", "NR-AR-LBD", "NR-Aromatase", "NR-ER", "NR-ER-LBD",
	"NR-PPAR-gamma", "SR-ARE", "SR-ATAD5", "SR-HSE", "SR-MMP", "SR-p53",
}

// Options selects the source, the feature groups and the preprocessing.
//
// Dir is the data directory ("" = SELUNET_DATA_DIR; see datasets.Locator).
// Source is SourceChallenge ("" means it) or SourceDeepTox. Features lists
// groups of that source (nil = its default pair: rdkit and ecfp4 for the
// challenge source, dense and sparse for DeepTox). MinBitFrac and MinSparseFrac keep
// bit/sparse columns non-zero in more than that fraction of training compounds
// (0 keeps every column that is non-zero somewhere in training); MinCountFrac
// does the same for the count groups (GroupECFPCounts, GroupFCFPCounts); all
// must be in [0, 1). CountTransform is CountLog1p ("" means it) or CountNone,
// applied to counts. Transform is "slog1p" ("" means it) or "none", applied to
// dense/descriptor columns. Validation is ValidationRandom ("" means it),
// ValidationLeaderboard or ValidationGrouped; Load ignores it (the caller
// carves the validation rows: ValidationSplit, LeaderboardRows,
// FingerprintGroups). Locator, if its fields are set, controls the cache,
// downloads and base URL (its Dir is replaced by Dir when Dir is set).
type Options struct {
	Dir            string           `yaml:"dir"`
	Source         string           `yaml:"source"`
	Features       []string         `yaml:"features"`
	MinBitFrac     float64          `yaml:"min_bit_frac"`
	MinSparseFrac  float64          `yaml:"min_sparse_frac"`
	Transform      string           `yaml:"transform"`
	MinCountFrac   float64          `yaml:"min_count_frac"`
	CountTransform string           `yaml:"count_transform"`
	Validation     string           `yaml:"validation"`
	Locator        datasets.Locator `yaml:"-"`
}

// DefaultOptions returns the documented defaults: challenge source, both
// groups, MinBitFrac 0.01, MinSparseFrac 0.05 (DeepTox), Transform "slog1p".
func DefaultOptions() Options {
	return Options{Source: SourceChallenge, MinBitFrac: 0.01, MinSparseFrac: 0.05, Transform: "slog1p", CountTransform: CountLog1p}
}

func (o Options) source() string {
	if o.Source == "" {
		return SourceChallenge
	}
	return o.Source
}

func (o Options) groups() []string {
	if len(o.Features) > 0 {
		return o.Features
	}
	if o.source() == SourceDeepTox {
		return []string{GroupDense, GroupSparse}
	}
	return []string{GroupRDKit, GroupECFP4}
}

func (o Options) want(g string) bool { return slices.Contains(o.groups(), g) }

// Validate reports the first invalid field.
func (o Options) Validate() error {
	allowed := map[string][]string{SourceChallenge: {GroupECFP4, GroupRDKit, GroupECFPCounts, GroupFCFPCounts, GroupMACCS}, SourceDeepTox: {GroupDense, GroupSparse}}
	groups, ok := allowed[o.source()]
	if !ok {
		return fmt.Errorf("tox21: source %q, want %q or %q", o.Source, SourceChallenge, SourceDeepTox)
	}
	for _, g := range o.Features {
		if !slices.Contains(groups, g) {
			return fmt.Errorf("tox21: feature group %q is not available from source %q (want one of %v)", g, o.source(), groups)
		}
	}
	if !(o.MinBitFrac >= 0 && o.MinBitFrac < 1) || !(o.MinSparseFrac >= 0 && o.MinSparseFrac < 1) {
		return fmt.Errorf("tox21: min_bit_frac=%v min_sparse_frac=%v, want values in [0, 1)", o.MinBitFrac, o.MinSparseFrac)
	}
	if o.Transform != "" && o.Transform != "slog1p" && o.Transform != "none" {
		return fmt.Errorf("tox21: transform %q, want \"slog1p\" or \"none\"", o.Transform)
	}
	switch o.Validation {
	case "", ValidationRandom:
	case ValidationLeaderboard, ValidationGrouped:
		if o.source() != SourceChallenge {
			return fmt.Errorf("tox21: validation %q needs source %q (it reads the challenge files' subsets and ECFP4 bits)", o.Validation, SourceChallenge)
		}
	default:
		return fmt.Errorf("tox21: validation %q, want %q, %q or %q", o.Validation, ValidationRandom, ValidationGrouped, ValidationLeaderboard)
	}
	return o.validateCounts()
}

// Load reads the training and test sets; it is LoadContext with a background
// context.
func Load(opts Options) (train, test *datasets.Set, err error) {
	return LoadContext(context.Background(), opts)
}

// LoadContext reads the training (12,060 rows) and test (647 rows) sets of
// opts.Source with the selected feature groups, preprocessed as described in
// the package comment. Both sets have T = 12, Classes = 0, a Mask, IDs and
// identical FeatureNames. ctx bounds a DeepTox download.
func LoadContext(ctx context.Context, opts Options) (train, test *datasets.Set, err error) {
	if err := opts.Validate(); err != nil {
		return nil, nil, err
	}
	loc := opts.Locator
	if opts.Dir != "" {
		loc.Dir = opts.Dir
	}
	var raw [2]*rawSplit
	if opts.source() == SourceDeepTox {
		raw, err = load(ctx, loc, deepToxLayout, opts)
	} else {
		raw, err = load(ctx, loc, challengeLayout, opts)
	}
	if err != nil {
		return nil, nil, err
	}
	return assemble(raw, opts)
}

// ValidationSplit carves a seeded, stratified validation part holding frac of
// the rows out of a training set and returns the row indices of both parts.
// Rows are stratified on Set.AnyPositive (active in at least one assay vs.
// none), which keeps the rare actives spread evenly; see datasets.HoldOut for
// the errors.
func ValidationSplit(train *datasets.Set, frac float64, seed uint64) (tr, val []int, err error) {
	return datasets.HoldOut(train.AnyPositive(), frac, seed)
}

// LeaderboardRows returns the rows of train, the training set as Load
// returned it for opts, that were the challenge's leaderboard compounds
// (tox21_train.csv's subset column), in increasing order: the validation
// rows of ValidationLeaderboard. It reads the training label file again,
// from the same data directory. Errors: a source other than the challenge
// files, a label file that does not parse, or a train set without
// leaderboard compounds or with nothing else.
func LeaderboardRows(ctx context.Context, opts Options, train *datasets.Set) ([]int, error) {
	_, rs, err := trainLabels(ctx, opts)
	if err != nil {
		return nil, err
	}
	board := map[string]bool{}
	for i, id := range rs.ids {
		if rs.subsets[i] == ValidationLeaderboard {
			board[id] = true
		}
	}
	var rows []int
	for i, id := range train.IDs {
		if board[id] {
			rows = append(rows, i)
		}
	}
	if len(rows) == 0 || len(rows) == train.N {
		return nil, fmt.Errorf("tox21: %s: %d of the %d training compounds are in subset %q; validating on them needs some, and some left to train on", challengeFiles.labels[0], len(rows), train.N, ValidationLeaderboard)
	}
	return rows, nil
}

// FingerprintGroups numbers the rows of train, the training set as Load
// returned it for opts, by their ECFP4 fingerprint (the challenge source's
// 2,048-bit file): rows with identical fingerprints share a number, and a
// row without bits (an unsanitizable compound) is a group of its own. On
// the shared data the 12,060 training compounds have 7,642 distinct
// fingerprints. It is the grouping of ValidationGrouped. Errors: a source
// other than the challenge files, files that do not parse, a row of train
// whose ID is not a training compound.
func FingerprintGroups(ctx context.Context, opts Options, train *datasets.Set) ([]int, error) {
	rel := challengeFiles.ecfp[0]
	root, rs, err := trainLabels(ctx, opts, rel)
	if err != nil {
		return nil, err
	}
	b := &block{group: GroupECFP4, sparse: true, ncol: ECFPBits}
	err = withFile(root, rel, rs, func(r io.Reader, name string, rs *rawSplit) error { return readECFP(r, name, rs, b) })
	if err != nil {
		return nil, err
	}
	byPrint := map[string]int{}
	byID := make(map[string]int, len(rs.ids))
	var key []byte
	for i, id := range rs.ids {
		if len(b.rows[i]) == 0 {
			byID[id] = -1
			continue
		}
		key = key[:0]
		for _, e := range b.rows[i] {
			key = strconv.AppendInt(key, int64(e.col), 10)
			key = append(key, ' ')
		}
		g, ok := byPrint[string(key)]
		if !ok {
			g = len(byPrint)
			byPrint[string(key)] = g
		}
		byID[id] = g
	}
	groups := make([]int, train.N)
	next := len(byPrint)
	for i, id := range train.IDs {
		g, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("tox21: row %d of the training set has sample ID %q, which %s does not list", i, id, challengeFiles.labels[0])
		}
		if g < 0 {
			g, next = next, next+1
		}
		groups[i] = g
	}
	return groups, nil
}

// trainLabels reads the challenge source's training label file (and makes
// sure the files in more are there too) from opts' data directory.
func trainLabels(ctx context.Context, opts Options, more ...string) (root string, rs *rawSplit, err error) {
	if opts.source() != SourceChallenge {
		return "", nil, fmt.Errorf("tox21: the leaderboard subset and ECFP4 groups need source %q, not %q", SourceChallenge, opts.source())
	}
	loc := opts.Locator
	if opts.Dir != "" {
		loc.Dir = opts.Dir
	}
	rel := challengeFiles.labels[0]
	root, err = loc.Find(ctx, challengeLayout.remote, append([]string{rel}, more...)...)
	if err != nil {
		return "", nil, err
	}
	rs = &rawSplit{}
	return root, rs, withFile(root, rel, rs, readChallengeLabels)
}

// rawSplit is one split as read from files, before column selection.
type rawSplit struct {
	ids     []string
	subsets []string  // challenge labels: each row's subset column (train, leaderboard, score)
	y, m    []float64 // n×12
	blocks  []*block  // same order in both splits
}

// block is one feature group of one split: either dense (n×len(names), NaN =
// missing) or sparse (per-row sorted entries over ncol columns).
type block struct {
	group  string
	names  []string // dense: column names; sparse: nil (named by index) or identifiers
	counts bool     // sparse counts: values go through Options.CountTransform
	dense  []float64
	ncol   int
	rows   [][]entry
	sparse bool
}

type entry struct {
	col int
	val float64
}

// assemble selects, imputes and transforms columns on training statistics and
// builds the two Sets.
func assemble(raw [2]*rawSplit, opts Options) (*datasets.Set, *datasets.Set, error) {
	var names []string
	type colSrc struct {
		b, c   int
		median float64
	}
	var cols []colSrc
	ntr := len(raw[0].ids)
	slog := opts.Transform != "none"
	for bi, b := range raw[0].blocks {
		if b.sparse {
			frac := opts.minFrac(b.group)
			// Statistics per used column (a map: the size line of a file may
			// claim 2^63 columns, and that must size no allocation).
			type colStat struct {
				nz     int
				first  float64
				varies bool
			}
			stats := map[int]*colStat{}
			for _, row := range b.rows {
				for _, e := range row {
					if e.val != 0 {
						st := stats[e.col]
						if st == nil {
							st = &colStat{first: e.val}
							stats[e.col] = st
						} else if e.val != st.first {
							st.varies = true
						}
						st.nz++
					}
				}
			}
			for _, c := range slices.Sorted(maps.Keys(stats)) {
				// Keep columns above the frequency threshold that are not constant
				// over the training rows (non-zero in every row with one value).
				if st := stats[c]; float64(st.nz) <= frac*float64(ntr) || (st.nz == ntr && !st.varies) {
					continue
				}
				cols = append(cols, colSrc{b: bi, c: c})
				name := strconv.Itoa(c)
				if b.group == GroupSparse {
					name = strconv.Itoa(c + 1)
				}
				if b.names != nil {
					name = b.names[c]
				}
				names = append(names, b.group+":"+name)
			}
			continue
		}
		d := len(b.names)
		vals := make([]float64, 0, ntr)
		for c := 0; c < d; c++ {
			vals = vals[:0]
			for i := 0; i < ntr; i++ {
				if v := b.dense[i*d+c]; !math.IsNaN(v) {
					vals = append(vals, v)
				}
			}
			if len(vals) == 0 {
				continue // empty in every training row (RDKit Ipc)
			}
			med := median(vals)
			if slog {
				med = datasets.SignedLog1p(med)
			}
			constant := true // missing cells get the median, so only present values matter
			for _, v := range vals {
				if slog {
					v = datasets.SignedLog1p(v)
				}
				if v != med {
					constant = false
					break
				}
			}
			if constant {
				continue
			}
			cols = append(cols, colSrc{b: bi, c: c, median: med})
			names = append(names, b.group+":"+b.names[c])
		}
	}
	var out [2]*datasets.Set
	for si, r := range raw {
		n := len(r.ids)
		s := &datasets.Set{N: n, D: len(cols), T: len(Tasks), X: make([]float64, n*len(cols)),
			Y: r.y, Mask: r.m, IDs: r.ids, FeatureNames: names, TaskNames: Tasks}
		// Column position lookup for sparse blocks.
		pos := make([]map[int]int, len(r.blocks))
		for j, c := range cols {
			if r.blocks[c.b].sparse {
				if pos[c.b] == nil {
					pos[c.b] = map[int]int{}
				}
				pos[c.b][c.c] = j
			}
		}
		for j, c := range cols {
			b := r.blocks[c.b]
			if b.sparse {
				continue
			}
			d := len(b.names)
			for i := 0; i < n; i++ {
				v := b.dense[i*d+c.c]
				if math.IsNaN(v) {
					v = c.median
				} else if slog {
					v = datasets.SignedLog1p(v)
				}
				s.X[i*s.D+j] = v
			}
		}
		for bi, b := range r.blocks {
			if !b.sparse || pos[bi] == nil {
				continue
			}
			for i, row := range b.rows {
				for _, e := range row {
					if j, ok := pos[bi][e.col]; ok {
						v := e.val
						if b.counts {
							v = opts.countValue(v)
						}
						s.X[i*s.D+j] += v
					}
				}
			}
		}
		out[si] = s
	}
	return out[0], out[1], nil
}

// median of vals (reorders vals).
func median(vals []float64) float64 {
	sort.Float64s(vals)
	n := len(vals)
	if n%2 == 1 {
		return vals[n/2]
	}
	return (vals[n/2-1] + vals[n/2]) / 2
}

// parallel runs fns concurrently and returns the first error in argument order.
func parallel(fns ...func() error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, f := range fns {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = f() }()
	}
	wg.Wait()
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
