package tabular

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/datasets/internal/textio"
)

// Label modes for Options.Task.
const (
	TaskAuto       = ""
	TaskBinary     = "binary"
	TaskMultiClass = "multiclass"
)

// Options describes a table's columns. Labels is required; Sep 0 means ','.
// Task is TaskAuto, TaskBinary or TaskMultiClass (single label column only).
// Classes, if not nil, fixes the multi-class label list (in index order).
type Options struct {
	// Labels names the label columns: one (binary or multi-class) or
	// several (multi-task binary).
	Labels []string `yaml:"labels"`
	// ID names a column that holds the row names (Set.IDs); "" for none.
	ID string `yaml:"id"`
	// Ignore lists columns to skip; they must be in the header.
	Ignore []string `yaml:"ignore"`
	// Sep is the field separator (see Sep); 0 means ','.
	Sep Sep `yaml:"sep"`
	// Task is "" (auto: binary if every present label is 0 or 1),
	// "binary" or "multiclass".
	Task string `yaml:"task"`
	// Classes, if not nil, fixes the multi-class label list in index order;
	// a label outside it is an error.
	Classes []string `yaml:"classes"`
}

// Load reads the table at path (gunzipped when it ends in ".gz"); see Read.
func Load(path string, opts Options) (*datasets.Set, error) {
	f, err := textio.Open(path, "check the path given for the table")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, filepath.Base(path), opts)
}

// Read parses a table from r as described in the package comment; name is used
// in errors (file:line: column c (name): ...). It returns an error for unknown
// or repeated column names, rows with the wrong number of fields, non-numeric
// or non-finite features, labels outside {0, 1, empty} for binary tasks, and
// labels not in opts.Classes.
func Read(r io.Reader, name string, opts Options) (*datasets.Set, error) {
	if len(opts.Labels) == 0 {
		return nil, fmt.Errorf("tabular: %s: no label column given", name)
	}
	if opts.Task != TaskAuto && opts.Task != TaskBinary && opts.Task != TaskMultiClass {
		return nil, fmt.Errorf("tabular: task %q, want \"\", %q or %q", opts.Task, TaskBinary, TaskMultiClass)
	}
	if len(opts.Labels) > 1 && opts.Task == TaskMultiClass {
		return nil, fmt.Errorf("tabular: %s: multi-class needs exactly one label column, got %d", name, len(opts.Labels))
	}
	sep := opts.Sep.byte()
	lr := textio.NewReader(r, name)
	hdr, pos, err := header(lr, sep)
	if err != nil {
		return nil, err
	}
	col := func(n, what string) (int, error) {
		c, ok := pos[n]
		if !ok {
			return 0, lr.Errorf(0, "", "no %s column %q in header %v", what, n, hdr)
		}
		return c, nil
	}
	role := make([]int, len(hdr)) // 0 feature, 1 label, 2 id, 3 ignored
	roles := []string{"", "label", "ID", "ignored"}
	assign := func(n string, r int) (int, error) {
		c, err := col(n, roles[r])
		if err != nil {
			return 0, err
		}
		if role[c] == r {
			return 0, fmt.Errorf("tabular: %s: %s column %q is listed twice", name, roles[r], n)
		}
		if role[c] != 0 {
			return 0, fmt.Errorf("tabular: %s: column %q is given as %s column and as %s column", name, n, roles[role[c]], roles[r])
		}
		role[c] = r
		return c, nil
	}
	labelCols := make([]int, len(opts.Labels))
	for k, n := range opts.Labels {
		if labelCols[k], err = assign(n, 1); err != nil {
			return nil, err
		}
	}
	idCol := -1
	if opts.ID != "" {
		if idCol, err = assign(opts.ID, 2); err != nil {
			return nil, err
		}
	}
	for _, n := range opts.Ignore {
		if _, err := assign(n, 3); err != nil {
			return nil, err
		}
	}
	s := &datasets.Set{T: len(labelCols), TaskNames: slices.Clone(opts.Labels)}
	var featCols []int
	for c, r := range role {
		if r == 0 {
			featCols = append(featCols, c)
			s.FeatureNames = append(s.FeatureNames, hdr[c])
		}
	}
	s.D = len(featCols)
	var raw []string // label text, row-major n×T
	err = lr.Records(textio.Layout{Sep: sep, Fields: len(hdr), Note: " as in the header", SkipBlank: true, NonEmpty: true}, func(f []string) error {
		x, err := lr.Floats(s.X, f, featCols, hdr)
		if err != nil {
			return err
		}
		s.X = x
		for _, c := range labelCols {
			l := strings.TrimSpace(f[c])
			if len(labelCols) > 1 || opts.Task == TaskBinary {
				if l != "" && l != "0" && l != "1" {
					return lr.Errorf(c+1, hdr[c], "label %q, want 0, 1 or empty (missing)", l)
				}
			}
			raw = append(raw, l)
		}
		if idCol >= 0 {
			s.IDs = append(s.IDs, f[idCol])
		}
		s.N++
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := labels(s, raw, opts, name); err != nil {
		return nil, err
	}
	return s, nil
}

// labels converts label text to Y/Mask (and Classes/ClassNames).
func labels(s *datasets.Set, raw []string, opts Options, name string) error {
	binary := opts.Task == TaskBinary || s.T > 1
	if opts.Task == TaskAuto && s.T == 1 && opts.Classes == nil {
		binary = true
		for _, l := range raw {
			if l != "" && l != "0" && l != "1" {
				binary = false
				break
			}
		}
	}
	classIdx := map[string]int{}
	if !binary {
		classes := opts.Classes
		if classes == nil {
			seen := map[string]bool{}
			for _, l := range raw {
				if l != "" && !seen[l] {
					seen[l] = true
					classes = append(classes, l)
				}
			}
			sortClasses(classes)
		}
		if len(classes) < 2 {
			return fmt.Errorf("tabular: %s: %d distinct class label(s) %v, want at least 2", name, len(classes), classes)
		}
		for k, c := range classes {
			classIdx[c] = k
		}
		s.Classes, s.ClassNames = len(classes), slices.Clone(classes)
	}
	s.Y = make([]float64, len(raw))
	s.Mask = make([]float64, len(raw))
	missing := false
	for k, l := range raw {
		if l == "" {
			missing = true
			continue
		}
		s.Mask[k] = 1
		if binary {
			s.Y[k] = float64(l[0] - '0')
			continue
		}
		c, ok := classIdx[l]
		if !ok {
			return &datasets.ParseError{File: name, Msg: fmt.Sprintf("data row %d: label %q is not one of the classes %v", k+1, l, opts.Classes)}
		}
		s.Y[k] = float64(c)
	}
	if !missing {
		s.Mask = nil
	}
	return nil
}

// sortClasses sorts numerically when every label parses as a number, else as
// strings.
func sortClasses(c []string) {
	nums := make(map[string]float64, len(c))
	for _, l := range c {
		v, err := strconv.ParseFloat(l, 64)
		if err != nil {
			sort.Strings(c)
			return
		}
		nums[l] = v
	}
	sort.Slice(c, func(a, b int) bool { return nums[c[a]] < nums[c[b]] })
}

// header reads the header line: the column names (trimmed) and each one's
// position. A repeated name is an error.
func header(lr *textio.Reader, sep byte) ([]string, map[string]int, error) {
	hdr, err := lr.Header(sep, "empty input, want a header line")
	if err != nil {
		return nil, nil, err
	}
	pos := map[string]int{}
	for c, h := range hdr {
		h = strings.TrimSpace(h)
		hdr[c] = h
		if _, dup := pos[h]; dup {
			return nil, nil, lr.Errorf(c+1, h, "column name %q repeated", h)
		}
		pos[h] = c
	}
	return hdr, pos, nil
}
