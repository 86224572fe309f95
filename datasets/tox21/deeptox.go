package tox21

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/datasets/internal/textio"
)

// DeepTox archive members (flat in <dir>/tox21 and in the cache).
var deepToxFiles = struct {
	labels, dense, sparse [2]string
}{
	labels: [2]string{"tox21_labels_train.csv.gz", "tox21_labels_test.csv.gz"},
	dense:  [2]string{"tox21_dense_train.csv.gz", "tox21_dense_test.csv.gz"},
	sparse: [2]string{"tox21_sparse_train.mtx.gz", "tox21_sparse_test.mtx.gz"},
}

// DeepToxRemote describes the DeepTox archive for datasets.Locator. No
// checksums are published, so every file is recorded as unverified.
func DeepToxRemote() datasets.Remote {
	r := datasets.Remote{Name: "tox21", URL: URL}
	for _, l := range [][2]string{deepToxFiles.labels, deepToxFiles.dense, deepToxFiles.sparse} {
		for _, f := range l {
			r.Files = append(r.Files, datasets.RemoteFile{Name: f})
		}
	}
	return r
}

// deepToxLayout reads the DeepTox archive: labels, the dense descriptor
// table and the sparse Matrix Market features.
var deepToxLayout = layout{
	remote:     DeepToxRemote(),
	labels:     deepToxFiles.labels,
	readLabels: readDeepToxLabels,
	groups: []groupFiles{
		{GroupDense, deepToxFiles.dense, func(r io.Reader, name string, rs *rawSplit) (*block, error) {
			b := &block{group: GroupDense}
			return b, readDense(r, name, rs, b, deepToxDenseFormat)
		}},
		{GroupSparse, deepToxFiles.sparse, func(r io.Reader, name string, rs *rawSplit) (*block, error) {
			b := &block{group: GroupSparse, sparse: true}
			return b, readMatrixMarket(r, name, len(rs.ids), b)
		}},
	},
}

// readDeepToxLabels parses an index column plus the 12 assays, named as in
// Tasks with '.' for '-' (NR.AhR, …, SR.p53) in any order.
func readDeepToxLabels(r io.Reader, name string, rs *rawSplit) error {
	lr := textio.NewReader(r, name)
	hf, err := lr.Header(',', "missing header")
	if err != nil {
		return err
	}
	if len(hf) != len(Tasks)+1 {
		return lr.Errorf(0, "", "header has %d columns, want an index column and %d assays", len(hf), len(Tasks))
	}
	perm := make([]int, len(Tasks)) // file column → task index
	used := make([]bool, len(Tasks))
	for c, h := range hf[1:] {
		t := taskIndex(h)
		if t < 0 || used[t] {
			return lr.Errorf(c+2, h, "unknown or repeated assay %q, want one of %v (dots for dashes allowed)", h, Tasks)
		}
		perm[c], used[t] = t, true
	}
	return readLabelRows(lr, rs, hf[0], "compound ID", 1, perm, 0)
}

func taskIndex(h string) int {
	h = strings.ReplaceAll(strings.TrimSpace(h), ".", "-")
	for t, n := range Tasks {
		if n == h {
			return t
		}
	}
	return -1
}

// deepToxDenseFormat is the DeepTox dense table: an index column plus named
// numeric columns, keyed by the index against the label IDs; empty/NA/NaN
// cells are missing.
var deepToxDenseFormat = denseFormat{
	lead:      1,
	header:    func(hf []string) bool { return len(hf) >= 2 },
	headerErr: "header needs an index column and at least one feature",
	na:        []string{"NA", "NaN", "nan"},
}

// readMatrixMarket parses a "%%MatrixMarket matrix coordinate
// {real|integer|pattern} general" file with nrows rows (the compounds, in label
// order). Duplicate entries are summed, as scipy does.
func readMatrixMarket(r io.Reader, name string, nrows int, b *block) error {
	lr := textio.NewReader(r, name)
	head, ok := lr.Next()
	if !ok {
		return eofErr(lr, "missing %%MatrixMarket header")
	}
	hf := strings.Fields(strings.ToLower(head))
	if len(hf) != 5 || hf[0] != "%%matrixmarket" || hf[1] != "matrix" || hf[2] != "coordinate" || hf[4] != "general" ||
		(hf[3] != "real" && hf[3] != "integer" && hf[3] != "pattern") {
		return lr.Errorf(0, "", "header %q, want %%%%MatrixMarket matrix coordinate real|integer|pattern general", head)
	}
	pattern := hf[3] == "pattern"
	var size []string
	for {
		line, ok := lr.Next()
		if !ok {
			return eofErr(lr, "missing size line")
		}
		if t := strings.TrimSpace(line); t != "" && t[0] != '%' {
			size = strings.Fields(t)
			break
		}
	}
	if len(size) != 3 {
		return lr.Errorf(0, "", "size line has %d fields, want rows cols entries", len(size))
	}
	var dims [3]int
	for k, s := range size {
		v, err := strconv.Atoi(s)
		if err != nil || v < 0 {
			return lr.Errorf(k+1, "", "size %q, want a non-negative integer", s)
		}
		dims[k] = v
	}
	if dims[0] != nrows {
		return lr.Errorf(1, "rows", "%d rows, but the label file has %d compounds", dims[0], nrows)
	}
	b.ncol = dims[1]
	b.rows = make([][]entry, nrows)
	want := 3
	if pattern {
		want = 2
	}
	nnz := 0
	for {
		line, ok := lr.Next()
		if !ok {
			break
		}
		t := strings.TrimSpace(line)
		if t == "" || t[0] == '%' {
			continue
		}
		f := strings.Fields(t)
		if len(f) != want {
			return lr.Errorf(0, "", "%d fields, want %d", len(f), want)
		}
		i, err1 := strconv.Atoi(f[0])
		j, err2 := strconv.Atoi(f[1])
		if err1 != nil || i < 1 || i > dims[0] {
			return lr.Errorf(1, "row", "row %q, want an integer in [1,%d]", f[0], dims[0])
		}
		if err2 != nil || j < 1 || j > dims[1] {
			return lr.Errorf(2, "col", "column %q, want an integer in [1,%d]", f[1], dims[1])
		}
		v := 1.0
		if !pattern {
			if v, err1 = lr.Float(f[2], 3, "value"); err1 != nil {
				return err1
			}
		}
		b.rows[i-1] = append(b.rows[i-1], entry{j - 1, v})
		nnz++
	}
	if err := lr.Err(); err != nil {
		return err
	}
	if nnz != dims[2] {
		return &datasets.ParseError{File: name, Line: lr.Line(), Msg: fmt.Sprintf("%d entries, the size line promises %d (truncated file?)", nnz, dims[2])}
	}
	for i, row := range b.rows {
		sort.Slice(row, func(a, c int) bool { return row[a].col < row[c].col })
		out := row[:0]
		for _, e := range row {
			if len(out) > 0 && out[len(out)-1].col == e.col {
				out[len(out)-1].val += e.val
				if math.IsInf(out[len(out)-1].val, 0) {
					return &datasets.ParseError{File: name, Msg: fmt.Sprintf("the entries of row %d, column %d sum to %v", i+1, e.col+1, out[len(out)-1].val)}
				}
				continue
			}
			out = append(out, e)
		}
		b.rows[i] = out
	}
	return nil
}
