package tox21

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/datasets/internal/textio"
)

// Challenge file names relative to <dir>/tox21.
var challengeFiles = struct {
	labels, ecfp, rdkit [2]string
}{
	labels: [2]string{"tox21_train.csv", "tox21_test.csv"},
	ecfp:   [2]string{"derived/tox21_train_ecfp4_2048.csv.gz", "derived/tox21_test_ecfp4_2048.csv.gz"},
	rdkit:  [2]string{"derived/tox21_train_rdkit_descriptors.csv.gz", "derived/tox21_test_rdkit_descriptors.csv.gz"},
}

// ECFPBits is the fingerprint length of the challenge ECFP4 files.
const ECFPBits = 2048

// challengeLayout reads the challenge files: labels keyed by sample_id,
// RDKit descriptors and ECFP4 bits.
var challengeLayout = layout{
	remote:     datasets.Remote{Name: "tox21"},
	labels:     challengeFiles.labels,
	readLabels: readChallengeLabels,
	groups: []groupFiles{
		{GroupRDKit, challengeFiles.rdkit, func(r io.Reader, name string, rs *rawSplit) (*block, error) {
			b := &block{group: GroupRDKit}
			return b, readDense(r, name, rs, b, descriptorFormat)
		}},
		{GroupECFP4, challengeFiles.ecfp, func(r io.Reader, name string, rs *rawSplit) (*block, error) {
			b := &block{group: GroupECFP4, sparse: true, ncol: ECFPBits}
			return b, readECFP(r, name, rs, b)
		}},
		countGroup(GroupECFPCounts, "ecfp_counts_r3"),
		countGroup(GroupFCFPCounts, "fcfp_counts_r3"),
		maccsGroup,
	},
}

// withFile opens root/rel (gunzipping .gz) and calls read with the file's
// relative name for error messages.
func withFile(root, rel string, rs *rawSplit, read func(io.Reader, string, *rawSplit) error) error {
	f, err := textio.Open(filepath.Join(root, filepath.FromSlash(rel)), "set "+datasets.EnvDataDir+" to a folder holding tox21/"+rel)
	if err != nil {
		return err
	}
	defer f.Close()
	return read(f, rel, rs)
}

// ReadChallengeLabels parses a challenge label file (tox21_train.csv layout:
// header sample_id,subset,smiles,<the 12 Tasks in order>; cells 0, 1 or empty =
// missing). It returns the IDs, labels and mask (n×12). Duplicate IDs, wrong
// headers or column counts and labels outside {0, 1, empty} are errors naming
// the line and column.
func ReadChallengeLabels(r io.Reader, name string) (ids []string, y, mask []float64, err error) {
	rs := &rawSplit{}
	if err := readChallengeLabels(r, name, rs); err != nil {
		return nil, nil, nil, err
	}
	return rs.ids, rs.y, rs.m, nil
}

func readChallengeLabels(r io.Reader, name string, rs *rawSplit) error {
	lr := textio.NewReader(r, name)
	hf, err := lr.Header(',', "missing header")
	if err != nil {
		return err
	}
	want := append([]string{"sample_id", "subset", "smiles"}, Tasks...)
	if err := checkHeader(lr, hf, want); err != nil {
		return err
	}
	inOrder := make([]int, len(Tasks))
	for t := range inOrder {
		inOrder[t] = t
	}
	return readLabelRows(lr, rs, "sample_id", "sample_id", 3, inOrder, 1)
}

// readLabelRows reads the rows of a label file after its header into rs: the
// compound ID in column 1 (named idCol, called what in errors), then lead-1
// other columns, then one label column per task, column lead+c+1 holding
// task perm[c]. subsetCol > 0 names the column (0-based) whose value goes to
// rs.subsets. IDs must be unique and not empty; at least one row is needed.
func readLabelRows(lr *textio.Reader, rs *rawSplit, idCol, what string, lead int, perm []int, subsetCol int) error {
	seen := map[string]bool{}
	return lr.Records(textio.Layout{Sep: ',', Fields: lead + len(perm), NonEmpty: true}, func(f []string) error {
		id := f[0]
		if id == "" || seen[id] {
			return lr.Errorf(1, idCol, "empty or duplicate %s %q", what, id)
		}
		seen[id] = true
		rs.ids = append(rs.ids, id)
		if subsetCol > 0 {
			rs.subsets = append(rs.subsets, f[subsetCol])
		}
		row := len(rs.y)
		rs.y = append(rs.y, make([]float64, len(Tasks))...)
		rs.m = append(rs.m, make([]float64, len(Tasks))...)
		for c, cell := range f[lead:] {
			t := perm[c]
			var err error
			if rs.y[row+t], rs.m[row+t], err = parseLabel(lr, cell, lead+c+1, Tasks[t]); err != nil {
				return err
			}
		}
		return nil
	})
}

// parseLabel maps a label cell to (y, mask): "0"/"1" (also "0.0"/"1.0") are
// labels; "", "NA", "NaN", "nan", "x" are missing.
func parseLabel(lr *textio.Reader, s string, col int, task string) (float64, float64, error) {
	switch strings.TrimSpace(s) {
	case "", "NA", "NaN", "nan", "x":
		return 0, 0, nil
	case "0", "0.0":
		return 0, 1, nil
	case "1", "1.0":
		return 1, 1, nil
	}
	return 0, 0, lr.Errorf(col, task, "label %q, want 0, 1 or empty (missing)", s)
}

func checkHeader(lr *textio.Reader, got, want []string) error {
	if len(got) != len(want) {
		return lr.Errorf(0, "", "header has %d columns, want %d (%s)", len(got), len(want), strings.Join(want, ","))
	}
	for i := range want {
		if strings.TrimSpace(got[i]) != want[i] {
			return lr.Errorf(i+1, want[i], "header %q, want %q", got[i], want[i])
		}
	}
	return nil
}

func eofErr(lr *textio.Reader, msg string) error {
	if err := lr.Err(); err != nil {
		return err
	}
	return &datasets.ParseError{File: lr.Name(), Msg: msg}
}

// index maps IDs to rows.
func index(ids []string) map[string]int {
	m := make(map[string]int, len(ids))
	for i, id := range ids {
		m[id] = i
	}
	return m
}

// rowOf resolves a feature row's sample_id against the label file, rejecting
// unknown and repeated IDs.
func rowOf(lr *textio.Reader, idx map[string]int, filled []bool, id string) (int, error) {
	i, ok := idx[id]
	if !ok {
		return 0, lr.Errorf(1, "sample_id", "sample_id %q is not in the label file", id)
	}
	if filled[i] {
		return 0, lr.Errorf(1, "sample_id", "duplicate sample_id %q", id)
	}
	filled[i] = true
	return i, nil
}

// missingIDs reports the first label row without a feature row.
func missingIDs(name string, ids []string, filled []bool) error {
	miss := 0
	first := ""
	for i, ok := range filled {
		if !ok {
			if miss == 0 {
				first = ids[i]
			}
			miss++
		}
	}
	if miss > 0 {
		return &datasets.ParseError{File: name, Msg: fmt.Sprintf("%d sample_ids of the label file have no row here (first: %s)", miss, first)}
	}
	return nil
}

// descriptorFormat is the challenge RDKit descriptor table:
// sample_id,parse_status,<descriptors>; empty cells are missing (NaN) and
// imputed later.
var descriptorFormat = denseFormat{
	lead:      2,
	header:    func(hf []string) bool { return len(hf) >= 3 && hf[0] == "sample_id" && hf[1] == "parse_status" },
	headerErr: "header must start with sample_id,parse_status and name at least one descriptor",
}

// denseFormat describes a CSV table of named numeric columns keyed by the
// sample ID in its first column.
type denseFormat struct {
	lead      int                    // leading non-feature columns, the ID first
	header    func(hf []string) bool // whether the header line is acceptable
	headerErr string                 // error message for an unacceptable header
	na        []string               // cells meaning missing besides ""
}

// readDense parses a dense table of format ft into b (n×d, rows in label
// order, missing cells NaN), matching rows to rs.ids by the ID column.
func readDense(r io.Reader, name string, rs *rawSplit, b *block, ft denseFormat) error {
	lead := ft.lead
	d := 0
	return readByID(r, name, rs, func(lr *textio.Reader, hf []string) (int, error) {
		if !ft.header(hf) {
			return 0, lr.Errorf(0, "", "%s", ft.headerErr)
		}
		b.names = append([]string(nil), hf[lead:]...)
		d = len(b.names)
		b.dense = make([]float64, len(rs.ids)*d)
		return d + lead, nil
	}, func(lr *textio.Reader, i int, f []string) error {
		row := b.dense[i*d : (i+1)*d]
		for c, cell := range f[lead:] {
			if cell == "" || slices.Contains(ft.na, cell) {
				row[c] = math.NaN()
				continue
			}
			var err error
			if row[c], err = lr.Float(cell, c+lead+1, b.names[c]); err != nil {
				return err
			}
		}
		return nil
	})
}

// readECFP parses sample_id,parse_status,n_on_bits,on_bits (space-separated
// bit indices); unsanitizable rows have no bits.
func readECFP(r io.Reader, name string, rs *rawSplit, b *block) error {
	b.rows = make([][]entry, len(rs.ids))
	return readByID(r, name, rs, columns("sample_id", "parse_status", "n_on_bits", "on_bits"), func(lr *textio.Reader, i int, f []string) error {
		bits := strings.Fields(f[3])
		if f[2] != "" {
			k, err := strconv.Atoi(f[2])
			if err != nil || k != len(bits) {
				return lr.Errorf(3, "n_on_bits", "n_on_bits %q but %d bits listed", f[2], len(bits))
			}
		}
		row := make([]entry, 0, len(bits))
		prev := -1
		for _, s := range bits {
			k, err := strconv.Atoi(s)
			if err != nil || k < 0 || k >= b.ncol {
				return lr.Errorf(4, "on_bits", "bit %q, want an integer in [0,%d)", s, b.ncol)
			}
			if k <= prev {
				return lr.Errorf(4, "on_bits", "bit %d not in increasing order", k)
			}
			prev = k
			row = append(row, entry{k, 1})
		}
		b.rows[i] = row
		return nil
	})
}

// readByID reads a feature table keyed by the sample ID in its first
// column. header checks the header fields hf and returns how many fields
// every row has; row parses the fields f of the row of label row i. An ID
// that is not in rs.ids or comes twice, and an ID of rs.ids without a row,
// are errors.
func readByID(r io.Reader, name string, rs *rawSplit, header func(lr *textio.Reader, hf []string) (int, error), row func(lr *textio.Reader, i int, f []string) error) error {
	lr := textio.NewReader(r, name)
	hf, err := lr.Header(',', "missing header")
	if err != nil {
		return err
	}
	fields, err := header(lr, hf)
	if err != nil {
		return err
	}
	idx := index(rs.ids)
	filled := make([]bool, len(rs.ids))
	err = lr.Records(textio.Layout{Sep: ',', Fields: fields}, func(f []string) error {
		i, err := rowOf(lr, idx, filled, f[0])
		if err != nil {
			return err
		}
		return row(lr, i, f)
	})
	if err != nil {
		return err
	}
	return missingIDs(name, rs.ids, filled)
}

// columns is a header check for readByID: the header must be exactly want.
func columns(want ...string) func(lr *textio.Reader, hf []string) (int, error) {
	return func(lr *textio.Reader, hf []string) (int, error) {
		return len(want), checkHeader(lr, hf, want)
	}
}
