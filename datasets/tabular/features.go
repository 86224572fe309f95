package tabular

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/datasets/internal/textio"
)

// FeatureOptions describes a table of feature rows without labels (new rows
// to predict): ID names a column copied into Set.IDs (it may also be a
// feature), Ignore lists columns to skip (never a feature: see
// ErrIgnoredFeature), Sep is the separator.
type FeatureOptions struct {
	ID     string
	Ignore []string
	Sep    Sep
}

// ErrIgnoredFeature is wrapped by the error ReadFeatures returns when
// FeatureOptions.Ignore names one of the features: the column is needed, so
// skipping it (or reading it anyway) would be a silent mismatch.
var ErrIgnoredFeature = errors.New("it is a feature column")

// LoadFeatures reads the table at path (gunzipped when it ends in ".gz"); see
// ReadFeatures.
func LoadFeatures(path string, features []string, opts FeatureOptions) (*datasets.Set, error) {
	f, err := textio.Open(path, "check the path given for the table")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadFeatures(f, filepath.Base(path), features, opts)
}

// ReadFeatures reads a table with a header line whose columns are exactly
// the given features, in any order, plus opts.ID and opts.Ignore. It returns
// a Set with X in the order of features (D = len(features)), no labels
// (T = 0) and IDs from the ID column. A header that lacks features or has
// other columns is one error naming all of them; an Ignore entry that is a
// feature is an error wrapping ErrIgnoredFeature and naming it; a
// non-numeric or non-finite value is an error naming the line and column.
func ReadFeatures(r io.Reader, name string, features []string, opts FeatureOptions) (*datasets.Set, error) {
	var ignored []string
	for _, c := range opts.Ignore {
		if slices.Contains(features, c) && !slices.Contains(ignored, c) {
			ignored = append(ignored, c)
		}
	}
	if len(ignored) > 0 {
		return nil, &datasets.ParseError{File: name, Msg: "cannot ignore " + quoteAll(ignored), Err: ErrIgnoredFeature}
	}
	sep := opts.Sep.byte()
	lr := textio.NewReader(r, name)
	hdr, pos, err := header(lr, sep)
	if err != nil {
		return nil, err
	}
	var missing, extra []string
	cols := make([]int, len(features))
	for k, f := range features {
		c, ok := pos[f]
		if !ok {
			missing = append(missing, f)
		}
		cols[k] = c
	}
	idCol := -1
	for c, h := range hdr {
		switch {
		case opts.ID != "" && h == opts.ID:
			idCol = c
		case slices.Contains(features, h) || slices.Contains(opts.Ignore, h):
		default:
			extra = append(extra, h)
		}
	}
	if opts.ID != "" && idCol < 0 {
		missing = append(missing, opts.ID+" (the ID column)")
	}
	if len(missing) > 0 || len(extra) > 0 {
		var parts []string
		if len(missing) > 0 {
			parts = append(parts, "missing "+quoteAll(missing))
		}
		if len(extra) > 0 {
			parts = append(parts, "unexpected "+quoteAll(extra))
		}
		return nil, lr.Errorf(0, "", "header does not match the %d feature columns %s: %s", len(features), quoteAll(features), strings.Join(parts, "; "))
	}
	s := &datasets.Set{D: len(features), FeatureNames: slices.Clone(features)}
	err = lr.Records(textio.Layout{Sep: sep, Fields: len(hdr), Note: " as in the header", SkipBlank: true, NonEmpty: true}, func(f []string) error {
		x, err := lr.Floats(s.X, f, cols, hdr)
		if err != nil {
			return err
		}
		s.X = x
		if idCol >= 0 {
			s.IDs = append(s.IDs, f[idCol])
		}
		s.N++
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

func quoteAll(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
