package datasets

import (
	"errors"
	"io"
	"io/fs"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

// tol is the tolerance for floating-point comparisons in this file.
const tol = 1e-12

func toySet() *Set {
	// 4 rows × 2 features, 2 tasks; row 1 task 1 missing.
	return &Set{
		N: 4, D: 2, T: 2,
		X:    []float64{1, 10, 2, 20, 3, 30, 4, 40},
		Y:    []float64{0, 1, 1, 0, 0, 0, 1, 1},
		Mask: []float64{1, 1, 1, 0, 1, 1, 1, 1},
		IDs:  []string{"a", "b", "c", "d"},
	}
}

func TestSetBasics(t *testing.T) {
	s := toySet()
	if err := s.Validate(); err != nil {
		t.Fatalf("got:%v want:nil", err)
	}
	if got := s.Row(2); !reflect.DeepEqual(got, []float64{3, 30}) {
		t.Errorf("Row(2) got:%v want:[3 30]", got)
	}
	sub := s.Subset([]int{3, 1})
	if !reflect.DeepEqual(sub.X, []float64{4, 40, 2, 20}) || !reflect.DeepEqual(sub.Mask, []float64{1, 1, 1, 0}) ||
		!reflect.DeepEqual(sub.IDs, []string{"d", "b"}) {
		t.Errorf("Subset got:%+v", sub)
	}
	sub.X[0] = 99
	if s.X[6] != 4 {
		t.Errorf("Subset must copy: got:%v want:4", s.X[6])
	}
	// Counts by hand: task 0 labels 0,1,0,1; task 1 labels 1,missing,0,1.
	if p, n, m := s.Counts(1); p != 2 || n != 1 || m != 1 {
		t.Errorf("Counts(1) got:%d,%d,%d want:2,1,1", p, n, m)
	}
	if got := s.AnyPositive(); !reflect.DeepEqual(got, []float64{1, 1, 0, 1}) {
		t.Errorf("AnyPositive got:%v want:[1 1 0 1]", got)
	}
	s.Mask[0] = 0
	s.Y[0] = 0
	if got := s.PrimaryLabels(); !reflect.DeepEqual(got, []float64{-1, 1, 0, 1}) {
		t.Errorf("PrimaryLabels got:%v want:[-1 1 0 1]", got)
	}
	x, y, m := make([]float32, 4), make([]float32, 4), make([]float32, 4)
	s.CopyBatch32([]int{1, 2}, x, y, m)
	if !reflect.DeepEqual(x, []float32{2, 20, 3, 30}) || !reflect.DeepEqual(m, []float32{1, 0, 1, 1}) {
		t.Errorf("CopyBatch32 got x:%v m:%v", x, m)
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		mod  func(s *Set)
		want string // substring of the error, "" = valid
	}{
		{func(s *Set) {}, ""},                                                  // 0
		{func(s *Set) { s.X = s.X[:7] }, "len(X)"},                             // 1
		{func(s *Set) { s.X[3] = math.NaN() }, "want finite"},                  // 2
		{func(s *Set) { s.Y[0] = 2 }, "want 0 or 1"},                           // 3
		{func(s *Set) { s.Y[3] = 1 }, "where the label is missing"},            // 4
		{func(s *Set) { s.Mask[0] = 0.5 }, "Mask"},                             // 5
		{func(s *Set) { s.Classes = 1 }, "Classes=1"},                          // 6
		{func(s *Set) { s.Classes = 3 }, "needs T=1"},                          // 7
		{func(s *Set) { s.FeatureNames = []string{"x"} }, "len(FeatureNames)"}, // 8
		{func(s *Set) { s.IDs = nil; s.Mask = nil; s.Y[3] = 0 }, ""},           // 9
	}
	for i, c := range cases {
		s := toySet()
		c.mod(s)
		err := s.Validate()
		if (err == nil) != (c.want == "") || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("case %d: got:%v want:%q", i, err, c.want)
		}
	}
}

func TestStratifiedKFold(t *testing.T) {
	cases := []struct {
		labels []float64
		k      int
		err    bool
	}{
		{[]float64{0, 0, 0, 0, 0, 0, 0, 1, 1, 1}, 3, false},    // 0: imbalanced binary
		{[]float64{2, 0, 1, 2, 0, 1, 2, 0, 1, 1, 1}, 2, false}, // 1: three classes, odd size
		{[]float64{-1, 0, 1, -1, 0, 1}, 3, false},              // 2: -1 as a stratum
		{[]float64{0, 1}, 3, true},                             // 3: k > n
		{[]float64{0, 1, 1}, 1, true},                          // 4: k < 2
		{[]float64{0, math.NaN(), 1}, 2, true},                 // 5: NaN label
	}
	for i, c := range cases {
		folds, err := StratifiedKFold(c.labels, c.k, 7)
		if (err != nil) != c.err {
			t.Fatalf("case %d: got err:%v want err:%v", i, err, c.err)
		}
		if err != nil {
			continue
		}
		// Disjoint, covering, sorted; per class counts differ by at most 1.
		seen := map[int]bool{}
		perClass := map[float64][]int{}
		sizes := []int{}
		for _, f := range folds {
			if !sort.IntsAreSorted(f) {
				t.Errorf("case %d: fold not sorted: %v", i, f)
			}
			cnt := map[float64]int{}
			for _, r := range f {
				if seen[r] {
					t.Errorf("case %d: row %d in two folds", i, r)
				}
				seen[r] = true
				cnt[c.labels[r]]++
			}
			for _, y := range c.labels {
				perClass[y] = append(perClass[y], cnt[y])
			}
			sizes = append(sizes, len(f))
		}
		if len(seen) != len(c.labels) {
			t.Errorf("case %d: got:%d rows covered want:%d", i, len(seen), len(c.labels))
		}
		for y, cs := range perClass {
			if spread(cs) > 1 {
				t.Errorf("case %d: class %v per-fold counts %v spread > 1", i, y, cs)
			}
		}
		if spread(sizes) > 1 {
			t.Errorf("case %d: fold sizes %v spread > 1", i, sizes)
		}
		again, _ := StratifiedKFold(c.labels, c.k, 7)
		if !reflect.DeepEqual(again, folds) {
			t.Errorf("case %d: not deterministic for a fixed seed", i)
		}
	}
}

func spread(v []int) int {
	lo, hi := v[0], v[0]
	for _, x := range v {
		lo, hi = min(lo, x), max(hi, x)
	}
	return hi - lo
}

func TestHoldOut(t *testing.T) {
	labels := make([]float64, 100)
	for i := 0; i < 10; i++ {
		labels[i*10] = 1 // 10 positives
	}
	cases := []struct {
		frac              float64
		wantHeld, wantPos int // held size and positives in held (hand count: frac·n, frac·10)
		err               bool
	}{
		{0.2, 20, 2, false}, // 0
		{0.5, 50, 5, false}, // 1
		{0.1, 10, 1, false}, // 2
		{0, 0, 0, true},     // 3
		{1, 0, 0, true},     // 4
		{0.001, 0, 0, true}, // 5: empty held part
	}
	for i, c := range cases {
		tr, held, err := HoldOut(labels, c.frac, 3)
		if (err != nil) != c.err {
			t.Fatalf("case %d: got err:%v want err:%v", i, err, c.err)
		}
		if err != nil {
			continue
		}
		pos := 0
		for _, r := range held {
			pos += int(labels[r])
		}
		if len(held) != c.wantHeld || pos != c.wantPos || len(tr)+len(held) != 100 {
			t.Errorf("case %d: got held:%d pos:%d train:%d want held:%d pos:%d", i, len(held), pos, len(tr), c.wantHeld, c.wantPos)
		}
	}
}

func TestGroupHoldOut(t *testing.T) {
	// 60 rows in 30 groups of two; groups 0, 3, 6, ... (10 groups) hold one
	// positive row each, so 10 of the 30 groups are positive.
	groups := make([]int, 60)
	labels := make([]float64, 60)
	for i := range groups {
		groups[i] = (i * 7) % 30 // a group's two rows are far apart
	}
	for i := range labels {
		if groups[i]%3 == 0 && i < 30 {
			labels[i] = 1
		}
	}
	cases := []struct {
		name     string
		frac     float64
		wantHeld int // 2·round(frac·groups) per stratum: 20 rows positive, 40 negative
		err      string
	}{
		{"a fifth", 0.2, 4 + 8, ""},
		{"a half", 0.5, 10 + 20, ""},
		{"a tenth", 0.1, 2 + 4, ""},
		{"frac 0", 0, 0, "want 0 < frac < 1"},
		{"frac 1", 1, 0, "want 0 < frac < 1"},
		{"nothing held", 0.001, 0, "leaves an empty part"},
	}
	for _, c := range cases {
		tr, held, err := GroupHoldOut(groups, labels, c.frac, 3)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: got error %v, want one containing %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		side := map[int]bool{}
		for _, r := range held {
			side[groups[r]] = true
		}
		for _, r := range tr {
			if side[groups[r]] {
				t.Errorf("%s: group %d is on both sides", c.name, groups[r])
			}
		}
		if len(held) != c.wantHeld || len(tr)+len(held) != 60 || !sort.IntsAreSorted(held) || !sort.IntsAreSorted(tr) {
			t.Errorf("%s: got %d held, %d training rows, want %d of 60, both sorted", c.name, len(held), len(tr), c.wantHeld)
		}
	}
	// The same seed gives the same split; the lengths must agree.
	a, _, _ := GroupHoldOut(groups, labels, 0.2, 9)
	b, _, _ := GroupHoldOut(groups, labels, 0.2, 9)
	if !slices.Equal(a, b) {
		t.Error("same seed, different splits")
	}
	if _, _, err := GroupHoldOut(groups[:5], labels, 0.2, 1); err == nil {
		t.Error("lengths differ: got no error")
	}
	labels[7] = math.NaN()
	if _, _, err := GroupHoldOut(groups, labels, 0.2, 1); err == nil || !strings.Contains(err.Error(), "row 7 is NaN") {
		t.Errorf("NaN label: got %v", err)
	}
}

func TestNestedCVFolds(t *testing.T) {
	folds := [][]int{{0, 5}, {1, 6}, {2, 7}, {3, 8}}
	cases := []struct {
		m                int
		train, val, test []int
	}{
		{0, []int{1, 2, 6, 7}, []int{3, 8}, []int{0, 5}}, // 0: wraps to last fold
		{2, []int{0, 3, 5, 8}, []int{1, 6}, []int{2, 7}}, // 1
	}
	for i, c := range cases {
		tr, va, te := NestedCVFolds(folds, c.m)
		if !reflect.DeepEqual(tr, c.train) || !reflect.DeepEqual(va, c.val) || !reflect.DeepEqual(te, c.test) {
			t.Errorf("case %d: got:%v %v %v want:%v %v %v", i, tr, va, te, c.train, c.val, c.test)
		}
	}
	defer func() {
		if r := recover(); r == nil || !strings.HasPrefix(r.(string), "datasets: ") {
			t.Errorf("got panic:%v want datasets: prefix", r)
		}
	}()
	NestedCVFolds(folds, 4)
}

func TestStandardizer(t *testing.T) {
	// Columns: varying, constant 0.1 (σ → 1), constant 0.
	s := &Set{N: 4, D: 3, X: []float64{1, 0.1, 0, 2, 0.1, 0, 3, 0.1, 0, 6, 0.1, 0}}
	st := FitStandardizer(s)
	// By hand: mean 3, population variance (4+1+0+9)/4 = 3.5.
	want := []struct{ mean, std float64 }{{3, math.Sqrt(3.5)}, {0.1, 1}, {0, 1}}
	for c, w := range want {
		if math.Abs(st.Mean[c]-w.mean) > tol || math.Abs(st.Std[c]-w.std) > tol {
			t.Errorf("col %d: got mean:%v std:%v want:%v %v", c, st.Mean[c], st.Std[c], w.mean, w.std)
		}
	}
	st.Apply(s)
	if math.Abs(s.X[0]-(-2/math.Sqrt(3.5))) > tol || s.X[1] != 0 || s.X[2] != 0 {
		t.Errorf("row 0 got:%v", s.X[:3])
	}
	st2 := FitStandardizerRows(&Set{N: 3, D: 1, X: []float64{0, 100, 2}}, []int{0, 2})
	if st2.Mean[0] != 1 || st2.Std[0] != 1 {
		t.Errorf("rows fit got mean:%v std:%v want:1 1", st2.Mean[0], st2.Std[0])
	}
	st2.Clip = 0.5
	r := []float64{100}
	st2.ApplyRow(r)
	if r[0] != 0.5 {
		t.Errorf("clip got:%v want:0.5", r[0])
	}
}

func TestBatcher(t *testing.T) {
	s := &Set{N: 5, D: 1, T: 1, X: []float64{0, 1, 2, 3, 4}, Y: []float64{0, 1, 0, 1, 0}}
	for _, drop := range []bool{false, true} {
		b := NewBatcher(s, 2, 11, drop)
		for epoch := 0; epoch < 2; epoch++ {
			seen := map[float64]bool{}
			n := 0
			for {
				x, y, m, idx, err := b.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				n++
				for j, v := range x {
					seen[v] = true
					if s.Y[idx[j]] != y[j] || m[j] != 1 || s.X[idx[j]] != v {
						t.Errorf("batch row mismatch at %d", j)
					}
				}
			}
			wantRows := map[bool]int{false: 5, true: 4}[drop]
			if len(seen) != wantRows || n != b.Batches() {
				t.Errorf("drop=%v epoch %d: got rows:%d batches:%d want:%d %d", drop, epoch, len(seen), n, wantRows, b.Batches())
			}
			b.Reset()
		}
	}
}

func TestErrors(t *testing.T) {
	pe := &ParseError{File: "f.csv", Line: 3, Col: 2, ColName: "x", Msg: "bad", Err: io.ErrUnexpectedEOF}
	if got, want := pe.Error(), "f.csv:3: column 2 (x): bad: unexpected EOF"; got != want {
		t.Errorf("got:%q want:%q", got, want)
	}
	if !errors.Is(pe, io.ErrUnexpectedEOF) {
		t.Error("ParseError must unwrap")
	}
	if !errors.Is(&NotFoundError{Path: "p"}, fs.ErrNotExist) || !errors.Is(&ChecksumError{}, ErrChecksum) {
		t.Error("sentinels must match")
	}
}

func TestBatcherState(t *testing.T) {
	s := &Set{N: 7, D: 1, T: 1, X: []float64{0, 1, 2, 3, 4, 5, 6}, Y: make([]float64, 7)}
	a := NewBatcher(s, 3, 5, false)
	a.Next()
	state, err := a.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	b := NewBatcher(s, 3, 99, false)
	if err := b.UnmarshalBinary(state); err != nil {
		t.Fatal(err)
	}
	// Both must yield identical batches for the rest of this epoch and the next.
	for step := 0; step < 6; step++ {
		xa, _, _, _, ea := a.Next()
		xb, _, _, _, eb := b.Next()
		if ea != eb || !reflect.DeepEqual(xa, xb) {
			t.Fatalf("step %d: got:%v,%v want:%v,%v", step, xb, eb, xa, ea)
		}
		if ea == io.EOF {
			a.Reset()
			b.Reset()
		}
	}
	other := NewBatcher(&Set{N: 2, D: 1, T: 1, X: []float64{0, 1}, Y: []float64{0, 0}}, 1, 1, false)
	if err := other.UnmarshalBinary(state); err == nil {
		t.Error("got:nil want row-count error")
	}
	if err := b.UnmarshalBinary(state[:5]); err == nil {
		t.Error("got:nil want malformed-state error")
	}
}
