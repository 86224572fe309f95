package tabular

import (
	"errors"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/selunet/selunet/datasets"
)

// quoteCSV quotes a field for textio.Split ("" escapes a quote).
func quoteCSV(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// checkFuzzErr is the error property of the reader fuzz targets: the error
// names the input.
func checkFuzzErr(t *testing.T, err error, name string) {
	t.Helper()
	if !strings.Contains(err.Error(), name) {
		t.Fatalf("error %q does not name %s", err, name)
	}
	var pe *datasets.ParseError
	if errors.As(err, &pe) && pe.File != name {
		t.Fatalf("ParseError names %q, want %q", pe.File, name)
	}
}

// checkSet checks the invariants every accepted table must satisfy.
func checkSet(t *testing.T, s *datasets.Set) {
	t.Helper()
	if err := s.Validate(); err != nil {
		t.Fatalf("accepted set is invalid: %v", err)
	}
	for i, v := range s.X {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("X[%d] = %v accepted", i, v)
		}
	}
}

// encodeCSV writes s back as a table Read accepts with opts (labels, ID).
func encodeCSV(s *datasets.Set, opts Options) string {
	var b strings.Builder
	var head []string
	for _, n := range s.FeatureNames {
		head = append(head, quoteCSV(n))
	}
	for _, n := range opts.Labels {
		head = append(head, quoteCSV(n))
	}
	if opts.ID != "" {
		head = append(head, quoteCSV(opts.ID))
	}
	b.WriteString(strings.Join(head, ",") + "\n")
	for i := range s.N {
		var f []string
		for _, v := range s.Row(i) {
			f = append(f, strconv.FormatFloat(v, 'g', -1, 64))
		}
		for k := range s.T {
			y, ok := s.Label(i, k)
			switch {
			case !ok:
				f = append(f, `""`)
			case s.Classes > 0:
				f = append(f, quoteCSV(s.ClassNames[int(y)]))
			default:
				f = append(f, strconv.Itoa(int(y)))
			}
		}
		if opts.ID != "" {
			f = append(f, quoteCSV(s.IDs[i]))
		}
		b.WriteString(strings.Join(f, ",") + "\n")
	}
	return b.String()
}

// FuzzRead reads arbitrary tables with fuzzed options (label columns as a
// comma-separated list, an ID column, the task). Properties: no panic; an
// error names the file; an accepted table is a valid Set with finite
// features that, written back as CSV, reads to the same Set.
func FuzzRead(f *testing.F) {
	f.Add("id,a,b,y\r\nr1,1,2,1\r\nr2,3,4,0\r\n", "y", "id", uint8(0))
	f.Add("a,y\n1,dog\n2,cat\n3,emu\n4,dog\n", "y", "", uint8(2))
	f.Add("a,skip,t1,t2\n1,x,1,\n2,y,,0\n", "t1,t2", "skip", uint8(1))
	f.Add("\"a,b\",\"y\"\"\"\n-1e308,\" 1 \"\n2e-308,0\n\n", "y\"", "", uint8(0))
	f.Add("a,y\rNaN,1\r1,1,3\r", "y", "", uint8(0))
	f.Add("y\n0\n\n1\n", "y", "", uint8(0))
	f.Fuzz(func(t *testing.T, data, labels, id string, task uint8) {
		opts := Options{Labels: strings.Split(labels, ","), ID: id, Task: []string{TaskAuto, TaskBinary, TaskMultiClass}[task%3]}
		s, err := Read(strings.NewReader(data), "fuzz.csv", opts)
		if err != nil {
			checkFuzzErr(t, err, "fuzz.csv")
			return
		}
		checkSet(t, s)
		enc := encodeCSV(s, opts)
		s2, err := Read(strings.NewReader(enc), "fuzz.csv", opts)
		if err != nil {
			t.Fatalf("re-reading the encoded table: %v\n%s", err, enc)
		}
		if !reflect.DeepEqual(s, s2) {
			t.Fatalf("decode -> encode -> decode changed the set:\n%+v\n%+v\n%s", s, s2, enc)
		}
	})
}

// encodeUCI writes s back in the UCI-121 layout.
func encodeUCI(s *datasets.Set) string {
	var b strings.Builder
	head := []string{`""`}
	for _, n := range s.FeatureNames {
		head = append(head, quoteCSV(n))
	}
	head = append(head, quoteCSV(s.TaskNames[0]))
	b.WriteString(strings.Join(head, "\t") + "\n")
	for i := range s.N {
		f := []string{quoteCSV(s.IDs[i])}
		for _, v := range s.Row(i) {
			f = append(f, strconv.FormatFloat(v, 'g', -1, 64))
		}
		f = append(f, strconv.Itoa(int(s.Y[i])))
		b.WriteString(strings.Join(f, "\t") + "\n")
	}
	return b.String()
}

// FuzzReadUCI reads arbitrary UCI-121 data files. Properties as FuzzRead;
// classes are in [0, classes).
func FuzzReadUCI(f *testing.F) {
	f.Add("\tf1\tf2\tclase\n1\t0.5\t-1\t0\n2\t1e-3\t2\t1\n", uint8(2), uint8(2))
	f.Add("\tf1\tclase\r1\t0.5\t3\r", uint8(1), uint8(3))
	f.Add("\tf1\tclase\n1\t\t0\n2\t1\t-1\n3\t1\t0x1\n", uint8(1), uint8(2))
	f.Add("\"\"\t\"f\"\"1\"\tclase\n\"1\"\t1\t1\n", uint8(1), uint8(2))
	f.Fuzz(func(t *testing.T, data string, feats, classes uint8) {
		s, err := ReadUCI(strings.NewReader(data), "fuzz.dat", int(feats%16), int(classes%16))
		if err != nil {
			checkFuzzErr(t, err, "fuzz.dat")
			return
		}
		checkSet(t, s)
		for i, y := range s.Y {
			if y < 0 || int(y) >= s.Classes || y != math.Trunc(y) {
				t.Fatalf("Y[%d] = %v with %d classes", i, y, s.Classes)
			}
		}
		enc := encodeUCI(s)
		s2, err := ReadUCI(strings.NewReader(enc), "fuzz.dat", s.D, s.Classes)
		if err != nil {
			t.Fatalf("re-reading the encoded file: %v\n%s", err, enc)
		}
		if !reflect.DeepEqual(s, s2) {
			t.Fatalf("decode -> encode -> decode changed the set:\n%+v\n%+v\n%s", s, s2, enc)
		}
	})
}

// FuzzUCIMeta reads arbitrary UCI-121 metadata (<name>.txt) and index files
// (conxuntos*.dat) from the same input. Properties: no panic; errors name
// the file; accepted input re-encodes to the same result.
func FuzzUCIMeta(f *testing.F) {
	f.Add("n_entradas= 8\nn_clases= 3\nfich1= abalone_R.dat\nn_patrons1= 4177\n", "0 1 2\n3 4\n", uint8(5))
	f.Add("n_entradas=0\r\nn_clases=2\r\n", "0 9\n", uint8(5))
	f.Add("=\n a = b = c \nn_entradas= 1\nn_clases= -2\n", "\n\n1\t2\n", uint8(3))
	f.Fuzz(func(t *testing.T, meta, index string, n uint8) {
		m, err := parseMeta(strings.NewReader(meta), "fuzz.txt")
		if err != nil {
			checkFuzzErr(t, err, "fuzz.txt")
		} else {
			if m.ints["n_entradas"] <= 0 || m.ints["n_clases"] <= 0 {
				t.Fatalf("accepted metadata without positive counts: %v", m.ints)
			}
			var b strings.Builder
			keys := make([]string, 0, len(m.strs))
			for k := range m.strs {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				b.WriteString(k + "= " + m.strs[k] + "\n")
			}
			m2, err := parseMeta(strings.NewReader(b.String()), "fuzz.txt")
			if err != nil || !reflect.DeepEqual(m, m2) {
				t.Fatalf("metadata round trip: %v\n%+v\n%+v", err, m, m2)
			}
		}
		idx, err := parseIndexLines(strings.NewReader(index), "fuzz.dat", int(n))
		if err != nil {
			checkFuzzErr(t, err, "fuzz.dat")
			return
		}
		var b strings.Builder
		for _, line := range idx {
			for k, v := range line {
				if v < 0 || v >= int(n) {
					t.Fatalf("index %d accepted with n = %d", v, n)
				}
				if k > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(strconv.Itoa(v))
			}
			b.WriteByte('\n')
		}
		idx2, err := parseIndexLines(strings.NewReader(b.String()), "fuzz.dat", int(n))
		if err != nil || !reflect.DeepEqual(idx, idx2) {
			t.Fatalf("index round trip: %v\n%v\n%v", err, idx, idx2)
		}
	})
}

// TestParseMetaRepeatedKey: what FuzzUCIMeta found. A key given twice (the
// second time not an integer) left the first line's integer in place; a
// repeated key is now an error naming both lines.
func TestParseMetaRepeatedKey(t *testing.T) {
	_, err := parseMeta(strings.NewReader("n_entradas= 8\nn_clases= 3\nn_entradas= x\n"), "abalone.txt")
	if want := `abalone.txt:3: key "n_entradas" repeated (first at line 1)`; err == nil || err.Error() != want {
		t.Errorf("got:%v want:%s", err, want)
	}
}

// FuzzReadFeatures reads arbitrary tables of rows to predict against a
// fuzzed feature list (comma-separated, repeats dropped), ID column and
// separator. Properties: no panic; an error names the file; an accepted
// table has finite features in the order asked for and, written back,
// reads to the same Set.
func FuzzReadFeatures(f *testing.F) {
	f.Add("id,b,a\nr1,1,2\nr2,-3e5,4\n", "a,b", "id", byte(0))
	f.Add("a;b;skip\n1;2;x\n", "a,b", "", byte(';'))
	f.Add("a,c\n1,2\n", "a,b", "id", byte(0))
	f.Add("\"a,x\"\tb\n1\tInf\n", "a,x,b", "", byte('\t'))
	f.Fuzz(func(t *testing.T, data, feats, id string, sep byte) {
		var features []string
		for _, n := range strings.Split(feats, ",") {
			if !slices.Contains(features, n) {
				features = append(features, n)
			}
		}
		opts := FeatureOptions{ID: id, Sep: Sep(sep)}
		if sep == '"' || sep == '\n' || sep == '\r' {
			return // refused by Sep.UnmarshalText before any table is read
		}
		s, err := ReadFeatures(strings.NewReader(data), "fuzz.csv", features, opts)
		if err != nil {
			checkFuzzErr(t, err, "fuzz.csv")
			return
		}
		checkSet(t, s)
		if s.D != len(features) || !slices.Equal(s.FeatureNames, features) || (id != "" && len(s.IDs) != s.N) {
			t.Fatalf("D %d, names %q, %d IDs for %d rows; asked for %q", s.D, s.FeatureNames, len(s.IDs), s.N, features)
		}
		// The ID column may also be a feature (its values are then both);
		// it is written once.
		idOwn := id != "" && !slices.Contains(features, id)
		var b strings.Builder
		head := make([]string, 0, len(features)+1)
		for _, n := range features {
			head = append(head, quoteCSV(n))
		}
		if idOwn {
			head = append(head, quoteCSV(id))
		}
		b.WriteString(strings.Join(head, ",") + "\n")
		for i := range s.N {
			row := make([]string, 0, len(head))
			for _, v := range s.Row(i) {
				row = append(row, strconv.FormatFloat(v, 'g', -1, 64))
			}
			if idOwn {
				row = append(row, quoteCSV(s.IDs[i]))
			}
			b.WriteString(strings.Join(row, ",") + "\n")
		}
		s2, err := ReadFeatures(strings.NewReader(b.String()), "fuzz.csv", features, FeatureOptions{ID: id})
		if err == nil && !idOwn && id != "" {
			s2.IDs = s.IDs // the ID text of a feature column is re-encoded as a number
		}
		if err != nil || !reflect.DeepEqual(s, s2) {
			t.Fatalf("decode -> encode -> decode: %v\n%+v\n%+v\n%s", err, s, s2, b.String())
		}
	})
}

// FuzzSep decodes arbitrary separator settings: an accepted one marshals to
// text that decodes to the same separator.
func FuzzSep(f *testing.F) {
	for _, s := range []string{"", ",", ";", `\t`, "tab", "59", "9", "0", "256", `"`, "ab"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var s Sep
		if err := s.UnmarshalText([]byte(text)); err != nil {
			if !strings.Contains(err.Error(), "separator") {
				t.Fatalf("error %q does not say what was wrong", err)
			}
			return
		}
		out, err := s.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Sep
		if err := back.UnmarshalText(out); err != nil || back != s {
			t.Fatalf("%q -> %d -> %q -> %d (%v)", text, s, out, back, err)
		}
	})
}
