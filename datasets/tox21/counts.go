package tox21

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/datasets/internal/textio"
)

// Count-valued and MACCS feature groups of the challenge source (the second
// batch of substitute features in the shared data folder).
const (
	// GroupECFPCounts: unfolded ECFP-like Morgan identifiers of radius 0–3
	// with their counts, over the vocabulary of identifiers in at least 5
	// training compounds (11,878 columns on the shared data).
	GroupECFPCounts = "ecfp_counts"
	// GroupFCFPCounts: the same with pharmacophoric (FCFP-like) atom
	// invariants (8,527 columns).
	GroupFCFPCounts = "fcfp_counts"
	// GroupMACCS: the 167 MACCS keys as bits.
	GroupMACCS = "maccs"
)

// MACCSBits is the number of MACCS keys (bit 0 is never set).
const MACCSBits = 167

// Count transforms accepted by Options.CountTransform.
const (
	CountLog1p = "log1p" // log(1 + count), the default
	CountNone  = "none"  // raw counts
)

// vocab is the vocabulary file of a count group; its order is the column
// order.
type vocab struct{ file string }

// vocabs are the count groups' vocabularies; load reads a group's
// vocabulary after its two files and remaps their identifiers.
var vocabs = map[string]vocab{
	GroupECFPCounts: {"derived/tox21_ecfp_counts_r3_vocab.csv.gz"},
	GroupFCFPCounts: {"derived/tox21_fcfp_counts_r3_vocab.csv.gz"},
}

// countGroup returns the group files of a count group (files
// derived/tox21_{train,test}_<stem>.csv.gz).
func countGroup(group, stem string) groupFiles {
	return groupFiles{group, [2]string{"derived/tox21_train_" + stem + ".csv.gz", "derived/tox21_test_" + stem + ".csv.gz"},
		func(r io.Reader, name string, rs *rawSplit) (*block, error) {
			b := &block{group: group, sparse: true, counts: true}
			return b, readCounts(r, name, rs, b)
		}}
}

// remap reads the vocabulary under root and maps the identifiers of the
// train and test blocks to its positions.
func (v vocab) remap(root string, b [2]*block) error {
	var ids []uint32
	err := withFile(root, v.file, nil, func(r io.Reader, name string, _ *rawSplit) error {
		var err error
		ids, err = readVocab(r, name)
		return err
	})
	if err != nil {
		return err
	}
	return remap(ids, b)
}

var maccsGroup = groupFiles{GroupMACCS, [2]string{"derived/tox21_train_maccs.csv.gz", "derived/tox21_test_maccs.csv.gz"},
	func(r io.Reader, name string, rs *rawSplit) (*block, error) {
		b := &block{group: GroupMACCS, sparse: true, ncol: MACCSBits}
		return b, readECFP(r, name, rs, b)
	}}

// readCounts parses sample_id,parse_status,n_features,n_dropped,features
// where features are space-separated id:count pairs, ids (uint32) strictly
// ascending, counts positive integers; unsanitizable rows have none. The
// entries keep the raw identifier as their column until remap.
func readCounts(r io.Reader, name string, rs *rawSplit, b *block) error {
	b.rows = make([][]entry, len(rs.ids))
	return readByID(r, name, rs, columns("sample_id", "parse_status", "n_features", "n_dropped", "features"), func(lr *textio.Reader, i int, f []string) error {
		pairs := strings.Fields(f[4])
		if f[2] != "" {
			k, err := strconv.Atoi(f[2])
			if err != nil || k != len(pairs) {
				return lr.Errorf(3, "n_features", "n_features %q but %d features listed", f[2], len(pairs))
			}
		}
		row := make([]entry, 0, len(pairs))
		prev := int64(-1)
		for _, p := range pairs {
			id, c, ok := strings.Cut(p, ":")
			k, err1 := strconv.ParseUint(id, 10, 32)
			v, err2 := strconv.ParseUint(c, 10, 32)
			if !ok || err1 != nil || err2 != nil || v == 0 {
				return lr.Errorf(5, "features", "feature %q, want id:count with a uint32 id and a positive integer count", p)
			}
			if int64(k) <= prev {
				return lr.Errorf(5, "features", "id %d not in increasing order", k)
			}
			prev = int64(k)
			row = append(row, entry{int(k), float64(v)})
		}
		b.rows[i] = row
		return nil
	})
}

// readVocab parses a vocabulary file (id,train_df,train_total_count,radius;
// ids strictly ascending) and returns its ids: the column order.
func readVocab(r io.Reader, name string) ([]uint32, error) {
	lr := textio.NewReader(r, name)
	hf, err := lr.Header(',', "missing header")
	if err != nil {
		return nil, err
	}
	if err := checkHeader(lr, hf, []string{"id", "train_df", "train_total_count", "radius"}); err != nil {
		return nil, err
	}
	var ids []uint32
	err = lr.Records(textio.Layout{Sep: ',', Fields: 4}, func(f []string) error {
		k, err := strconv.ParseUint(f[0], 10, 32)
		if err != nil {
			return lr.Errorf(1, "id", "id %q, want a uint32", f[0])
		}
		if len(ids) > 0 && uint32(k) <= ids[len(ids)-1] {
			return lr.Errorf(1, "id", "id %d not in increasing order", k)
		}
		ids = append(ids, uint32(k))
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, &datasets.ParseError{File: name, Msg: "no identifiers"}
	}
	return ids, nil
}

// remap turns the raw identifiers of both blocks into vocabulary positions
// and names the columns by identifier. An identifier outside the vocabulary
// is an error: the files promise that only kept identifiers are listed.
func remap(ids []uint32, bs [2]*block) error {
	pos := make(map[int]int, len(ids))
	names := make([]string, len(ids))
	for i, id := range ids {
		pos[int(id)] = i
		names[i] = strconv.FormatUint(uint64(id), 10)
	}
	for s, b := range bs {
		for r, row := range b.rows {
			for k := range row {
				j, ok := pos[row[k].col]
				if !ok {
					return fmt.Errorf("tox21: %s %s row %d: identifier %d is not in the vocabulary", b.group, [2]string{"train", "test"}[s], r+1, row[k].col)
				}
				row[k].col = j
			}
		}
		b.ncol, b.names = len(ids), names
	}
	return nil
}

// minFrac is the frequency threshold of a sparse group's columns.
func (o Options) minFrac(group string) float64 {
	switch group {
	case GroupECFP4, GroupMACCS:
		return o.MinBitFrac
	case GroupECFPCounts, GroupFCFPCounts:
		return o.MinCountFrac
	}
	return o.MinSparseFrac
}

// countValue applies CountTransform to a count.
func (o Options) countValue(c float64) float64 {
	if o.CountTransform == CountNone {
		return c
	}
	return math.Log1p(c)
}

// validateCounts checks the count options.
func (o Options) validateCounts() error {
	if !(o.MinCountFrac >= 0 && o.MinCountFrac < 1) {
		return fmt.Errorf("tox21: min_count_frac=%v, want a value in [0, 1)", o.MinCountFrac)
	}
	if o.CountTransform != "" && o.CountTransform != CountLog1p && o.CountTransform != CountNone {
		return fmt.Errorf("tox21: count_transform %q, want %q or %q", o.CountTransform, CountLog1p, CountNone)
	}
	return nil
}
