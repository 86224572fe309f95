package textio

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

func TestLines(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"a\rb\rc", []string{"a", "b", "c"}},           // 0: lone CR, no final terminator
		{"a\r\nb\r\n", []string{"a", "b"}},             // 1: CRLF
		{"a\n\nb\n", []string{"a", "", "b"}},           // 2: LF with a blank line
		{"a\r", []string{"a"}},                         // 3: CR at EOF
		{"", nil},                                      // 4
		{"x\r\r\ny", []string{"x", "", "y"}},           // 5: CR then CRLF
		{"1\n2\r3\r\n4", []string{"1", "2", "3", "4"}}, // 6: mixed
	}
	for i, c := range cases {
		// One byte at a time exercises the "CR at buffer end" path.
		r := NewReader(iotest.OneByteReader(strings.NewReader(c.in)), "in")
		var got []string
		for {
			l, ok := r.Next()
			if !ok {
				break
			}
			got = append(got, l)
		}
		if r.Err() != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("case %d: got:%q err:%v want:%q", i, got, r.Err(), c.want)
		}
	}
}

func TestTruncated(t *testing.T) {
	r := NewReader(iotest.TimeoutReader(strings.NewReader("a,b\nc,")), "f.gz")
	for {
		if _, ok := r.Next(); !ok {
			break
		}
	}
	if r.Err() == nil || !strings.HasPrefix(r.Err().Error(), "f.gz:") {
		t.Errorf("got:%v want an error naming f.gz", r.Err())
	}
}

func TestSplit(t *testing.T) {
	cases := []struct {
		in   string
		want []string
		err  bool
	}{
		{"a,b,,c", []string{"a", "b", "", "c"}, false}, // 0
		{`"x,y",z`, []string{"x,y", "z"}, false},       // 1
		{`"a""b",`, []string{`a"b`, ""}, false},        // 2
		{`"abc`, nil, true},                            // 3: unterminated
		{`"a"b,c`, nil, true},                          // 4: text after quote
		{"", []string{""}, false},                      // 5
		{`1,"2"`, []string{"1", "2"}, false},           // 6
	}
	for i, c := range cases {
		got, err := Split(c.in, ',', nil)
		if (err != nil) != c.err || (!c.err && !reflect.DeepEqual(got, c.want)) {
			t.Errorf("case %d: got:%q,%v want:%q", i, got, err, c.want)
		}
	}
}

func TestFloat(t *testing.T) {
	r := NewReader(strings.NewReader(""), "f")
	cases := []struct {
		in   string
		want float64
		err  string
	}{
		{"1.5", 1.5, ""},             // 0
		{" 9.80E-05 ", 9.8e-05, ""},  // 1
		{"", 0, "empty cell"},        // 2
		{"nan", 0, "not finite"},     // 3
		{"-Inf", 0, "not finite"},    // 4
		{"1,5", 0, "non-numeric"},    // 5
		{"1e400", 0, "out of float"}, // 6
	}
	for i, c := range cases {
		got, err := r.Float(c.in, 2, "col")
		if (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) || got != c.want {
			t.Errorf("case %d: got:%v,%v want:%v,%q", i, got, err, c.want, c.err)
		}
	}
}

func TestFloats(t *testing.T) {
	names := []string{"a", "b", "c"}
	cases := []struct {
		cols []int
		want []float64
		err  string
	}{
		{[]int{2, 0}, []float64{-1, 3, 1}, ""}, // 0: in cols order, appended
		{nil, []float64{-1}, ""},               // 1: no columns
		{[]int{0, 1, 2}, []float64{-1, 1}, `f:1: column 2 (b): non-numeric value "x", want a number`}, // 2: stops at the bad cell
	}
	for i, c := range cases {
		r := NewReader(strings.NewReader("1,x,3"), "f")
		line, _ := r.Next()
		f, _ := Split(line, ',', nil)
		got, err := r.Floats([]float64{-1}, f, c.cols, names)
		if (c.err == "") != (err == nil) || (err != nil && err.Error() != c.err) || !reflect.DeepEqual(got, c.want) {
			t.Errorf("case %d: got:%v,%v want:%v,%q", i, got, err, c.want, c.err)
		}
	}
}

func TestHeader(t *testing.T) {
	cases := []struct {
		in   string
		want []string
		err  string // substring of the error, "" for none
	}{
		{"a,b\n1,2\n", []string{"a", "b"}, ""},            // 0
		{`"x,y",z` + "\n", []string{"x,y", "z"}, ""},      // 1: quoted
		{"", nil, "h.csv: missing header"},                // 2: empty input
		{`"ab` + "\n", nil, "h.csv:1: malformed quoting"}, // 3
	}
	for i, c := range cases {
		r := NewReader(strings.NewReader(c.in), "h.csv")
		got, err := r.Header(',', "missing header")
		if (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) || !reflect.DeepEqual(got, c.want) {
			t.Errorf("case %d: got:%q,%v want:%q,%q", i, got, err, c.want, c.err)
		}
	}
	// A read error on the header line is returned as such, not as "missing".
	r := NewReader(iotest.ErrReader(errors.New("boom")), "h.gz")
	if _, err := r.Header(',', "missing header"); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("read error: got:%v want:error wrapping boom", err)
	}
}

func TestRecords(t *testing.T) {
	errStop := errors.New("stop")
	cases := []struct {
		in     string
		layout Layout
		want   []string // records joined by "|"
		err    string   // exact error text, "" for none
	}{
		{"1,2\n\n3,4\n", Layout{Sep: ',', Fields: 2}, []string{"1|2", "3|4"}, ""},                   // 0: empty line skipped
		{"1,2\n \n", Layout{Sep: ',', Fields: 2}, []string{"1|2"}, "r.csv:2: 1 fields, want 2"},     // 1: blank line is a record by default
		{"1,2\n \t\n3,4", Layout{Sep: ',', Fields: 2, SkipBlank: true}, []string{"1|2", "3|4"}, ""}, // 2: SkipBlank
		{"1,2\n1,2,3\n", Layout{Sep: ',', Fields: 2, Note: " as in the header"}, []string{"1|2"}, // 3: Note
			"r.csv:2: 3 fields, want 2 as in the header"},
		{"a\tb\r\"c\"\td", Layout{Sep: '\t', Fields: 2}, []string{"a|b", "c|d"}, ""},                             // 4: tab, quotes, CR
		{"1,\"2\n", Layout{Sep: ',', Fields: 2}, nil, "r.csv:1: malformed quoting: field 2: unterminated quote"}, // 5
		{"1,2\nstop,x\n5,6\n", Layout{Sep: ',', Fields: 2}, []string{"1|2"}, "stop"},                             // 6: fn error stops
		{"", Layout{Sep: ',', Fields: 2}, nil, ""},                                                               // 7: no records
		{"\n\n", Layout{Sep: ',', Fields: 2, NonEmpty: true}, nil, "r.csv: no data rows"},                        // 8: NonEmpty
		{"1,2\n", Layout{Sep: ',', Fields: 2, NonEmpty: true}, []string{"1|2"}, ""},                              // 9: NonEmpty satisfied
	}
	for i, c := range cases {
		r := NewReader(strings.NewReader(c.in), "r.csv")
		var got []string
		err := r.Records(c.layout, func(f []string) error {
			if f[0] == "stop" {
				return errStop
			}
			got = append(got, strings.Join(f, "|"))
			return nil
		})
		if (c.err == "") != (err == nil) || (err != nil && err.Error() != c.err) || !reflect.DeepEqual(got, c.want) {
			t.Errorf("case %d: got:%q,%v want:%q,%q", i, got, err, c.want, c.err)
		}
	}
	// A read error ends the records with Err().
	r := NewReader(iotest.TimeoutReader(strings.NewReader("1,2\n3,")), "r.gz")
	if err := r.Records(Layout{Sep: ',', Fields: 2}, func([]string) error { return nil }); err == nil || err != r.Err() {
		t.Errorf("read error: got:%v want:%v", err, r.Err())
	}
}
