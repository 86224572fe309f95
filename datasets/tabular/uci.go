package tabular

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/datasets/internal/textio"
)

// UCI is one UCI-121 data set. Train holds the first data file (the whole data
// for single-file data sets) and Test the second file (nil for single-file
// ones). Folds are the 4 (train, test) index pairs of conxuntos_kfold.dat and
// Halves the two index lines of conxuntos.dat; all index rows of Train.
type UCI struct {
	Name        string
	Train, Test *datasets.Set
	Folds       [][2][]int
	Halves      [2][]int
}

// LoadUCI reads data set name from <dir>/uci121/<name>/ (dir "" means
// SELUNET_DATA_DIR). The data files are taken from the metadata's fich1/fich2
// entries and checked against its feature, class and row counts. Missing files
// (5 of the 121 data sets lack them in the project copy) give a
// *datasets.NotFoundError.
func LoadUCI(dir, name string) (*UCI, error) {
	d := datasets.DataDir(dir)
	if d == "" {
		return nil, &datasets.NotFoundError{Path: filepath.Join("uci121", name),
			Hint: "set " + datasets.EnvDataDir + " or the -data-dir flag to a folder holding uci121/<name>/"}
	}
	root := filepath.Join(d, "uci121", name)
	hint := "the UCI-121 files come from Fernández-Delgado et al.'s data.tar.gz; put them under " + filepath.Join(d, "uci121")
	meta, err := readMeta(filepath.Join(root, name+".txt"), hint)
	if err != nil {
		return nil, err
	}
	u := &UCI{Name: name}
	feats, classes := meta.ints["n_entradas"], meta.ints["n_clases"]
	for k, set := range []**datasets.Set{&u.Train, &u.Test} {
		file := meta.str("fich" + strconv.Itoa(k+1))
		if file == "" {
			continue
		}
		f, err := textio.Open(filepath.Join(root, file), hint)
		if err != nil {
			return nil, err
		}
		s, err := ReadUCI(f, file, feats, classes)
		f.Close()
		if err != nil {
			return nil, err
		}
		if want := meta.ints["n_patrons"+strconv.Itoa(k+1)]; want != 0 && s.N != want {
			return nil, fmt.Errorf("tabular: %s has %d rows, %s.txt says %d", file, s.N, name, want)
		}
		*set = s
	}
	if u.Train == nil {
		return nil, fmt.Errorf("tabular: %s.txt names no data file (fich1)", name)
	}
	halves, err := readIndexLines(filepath.Join(root, "conxuntos.dat"), hint, u.Train.N)
	if err != nil {
		return nil, err
	}
	if len(halves) != 2 {
		return nil, fmt.Errorf("tabular: %s/conxuntos.dat has %d lines, want 2", name, len(halves))
	}
	u.Halves = [2][]int{halves[0], halves[1]}
	kf, err := readIndexLines(filepath.Join(root, "conxuntos_kfold.dat"), hint, u.Train.N)
	if err != nil {
		return nil, err
	}
	if len(kf)%2 != 0 {
		return nil, fmt.Errorf("tabular: %s/conxuntos_kfold.dat has %d lines, want train/test pairs", name, len(kf))
	}
	for i := 0; i < len(kf); i += 2 {
		u.Folds = append(u.Folds, [2][]int{kf[i], kf[i+1]})
	}
	return u, nil
}

// metaIndex holds the "key= value" lines of a <name>.txt file.
type metaIndex struct {
	ints map[string]int
	strs map[string]string
}

func (m metaIndex) str(k string) string { return m.strs[k] }

func readMeta(path, hint string) (metaIndex, error) {
	f, err := textio.Open(path, hint)
	if err != nil {
		return metaIndex{}, err
	}
	defer f.Close()
	return parseMeta(f, filepath.Base(path))
}

// parseMeta reads "key= value" lines (others are ignored; a key may appear
// once); name is used in errors. n_entradas and n_clases must be positive
// integers.
func parseMeta(r io.Reader, name string) (metaIndex, error) {
	m := metaIndex{ints: map[string]int{}, strs: map[string]string{}}
	lr := textio.NewReader(r, name)
	first := map[string]int{}
	for {
		line, ok := lr.Next()
		if !ok {
			break
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if l, dup := first[k]; dup {
			return m, lr.Errorf(0, "", "key %q repeated (first at line %d)", k, l)
		}
		first[k] = lr.Line()
		m.strs[k] = v
		if n, err := strconv.Atoi(v); err == nil {
			m.ints[k] = n
		}
	}
	if err := lr.Err(); err != nil {
		return m, err
	}
	for _, k := range []string{"n_entradas", "n_clases"} {
		if m.ints[k] <= 0 {
			return m, &datasets.ParseError{File: name, Msg: fmt.Sprintf("missing or invalid %s", k)}
		}
	}
	return m, nil
}

// ReadUCI parses a UCI-121 data file (tab-separated; header "\tf1…\tfM\tclase";
// rows: 1-based index, M features, class 0..classes−1). feats and classes come
// from the metadata; the result has Classes = classes (also when some classes
// do not occur in this file), T = 1, no Mask, IDs = the index column.
func ReadUCI(r io.Reader, name string, feats, classes int) (*datasets.Set, error) {
	if feats < 1 || classes < 2 {
		return nil, fmt.Errorf("tabular: %s: %d features and %d classes, want >= 1 and >= 2", name, feats, classes)
	}
	lr := textio.NewReader(r, name)
	hf, err := lr.Header('\t', "empty input, want a header line")
	if err != nil {
		return nil, err
	}
	if len(hf) != feats+2 {
		return nil, lr.Errorf(0, "", "header has %d fields, want %d (index, %d features, clase)", len(hf), feats+2, feats)
	}
	s := &datasets.Set{D: feats, T: 1, Classes: classes, FeatureNames: append([]string(nil), hf[1:feats+1]...),
		TaskNames: []string{hf[feats+1]}}
	err = lr.Records(textio.Layout{Sep: '\t', Fields: feats + 2, NonEmpty: true}, func(f []string) error {
		for c := 1; c <= feats; c++ {
			v, err := lr.Float(f[c], c+1, hf[c])
			if err != nil {
				return err
			}
			s.X = append(s.X, v)
		}
		k, err := strconv.Atoi(strings.TrimSpace(f[feats+1]))
		if err != nil || k < 0 || k >= classes {
			return lr.Errorf(feats+2, hf[feats+1], "class %q, want an integer in [0,%d)", f[feats+1], classes)
		}
		s.Y = append(s.Y, float64(k))
		s.IDs = append(s.IDs, f[0])
		s.N++
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// readIndexLines reads lines of space-separated 0-based row indices < n.
func readIndexLines(path, hint string, n int) ([][]int, error) {
	f, err := textio.Open(path, hint)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseIndexLines(f, filepath.Base(path), n)
}

// parseIndexLines parses lines of space-separated 0-based row indices < n;
// blank lines are skipped. name is used in errors.
func parseIndexLines(r io.Reader, name string, n int) ([][]int, error) {
	lr := textio.NewReader(r, name)
	var out [][]int
	for {
		line, ok := lr.Next()
		if !ok {
			break
		}
		var idx []int
		for k, w := range strings.Fields(line) {
			v, err := strconv.Atoi(w)
			if err != nil || v < 0 || v >= n {
				return nil, lr.Errorf(k+1, "", "index %q, want an integer in [0,%d)", w, n)
			}
			idx = append(idx, v)
		}
		if len(idx) > 0 {
			out = append(out, idx)
		}
	}
	if err := lr.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// UCINames lists the data set folders under <dir>/uci121 (dir "" means
// SELUNET_DATA_DIR), sorted.
func UCINames(dir string) ([]string, error) {
	d := datasets.DataDir(dir)
	if d == "" {
		return nil, &datasets.NotFoundError{Path: "uci121", Hint: "set " + datasets.EnvDataDir + " or the -data-dir flag"}
	}
	ents, err := os.ReadDir(filepath.Join(d, "uci121"))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, &datasets.NotFoundError{Path: filepath.Join(d, "uci121"), Hint: "the data directory has no uci121 folder"}
		}
		return nil, err
	}
	var names []string
	for _, e := range ents {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return names, nil
}
