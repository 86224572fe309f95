package textio

import (
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
