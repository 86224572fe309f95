package textio

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/selunet/selunet/datasets"
)

// FuzzSplit splits arbitrary lines. Properties: no panic; an error names the
// field; accepted fields, quoted and joined again, split to the same fields.
func FuzzSplit(f *testing.F) {
	f.Add("a,b,,c", byte(','))
	f.Add(`"a,b","c""d",e`, byte(','))
	f.Add(`"unterminated,x`, byte(','))
	f.Add(`"a"b,c`, byte(','))
	f.Add("1\t\"x\"\t", byte('\t'))
	f.Add(`""""`, byte('"'))
	f.Fuzz(func(t *testing.T, line string, sep byte) {
		fields, err := Split(line, sep, nil)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "field ") {
				t.Fatalf("error %q does not name the field", err)
			}
			return
		}
		if len(fields) == 0 {
			t.Fatalf("no fields for %q", line)
		}
		if sep == '"' {
			return // a quote as separator cannot be re-encoded with quoting
		}
		q := make([]string, len(fields))
		for i, s := range fields {
			q[i] = `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
		}
		again, err := Split(strings.Join(q, string([]byte{sep})), sep, nil)
		if err != nil || !reflect.DeepEqual(again, fields) {
			t.Fatalf("quote -> split changed %q to %q (err %v)", fields, again, err)
		}
	})
}

// FuzzLines reads arbitrary input line by line. Properties: no panic; lines
// hold no line terminator; the lines joined by "\n" equal the input with
// every terminator ("\r\n", "\r", "\n") turned into "\n" and a final one
// dropped; Line counts them; Float accepts only finite numbers and
// positions its errors.
func FuzzLines(f *testing.F) {
	f.Add("a\nb\r\nc\rd")
	f.Add("1.5\r\n\r\n-2e308\n")
	f.Add("\r")
	f.Add(" NaN \n0x1p-2\n")
	f.Fuzz(func(t *testing.T, data string) {
		r := NewReader(strings.NewReader(data), "fuzz.txt")
		var lines []string
		for {
			line, ok := r.Next()
			if !ok {
				break
			}
			if strings.ContainsAny(line, "\r\n") {
				t.Fatalf("line %q holds a terminator", line)
			}
			lines = append(lines, line)
			if r.Line() != len(lines) {
				t.Fatalf("Line() = %d after %d lines", r.Line(), len(lines))
			}
			if _, err := r.Float(line, 1, "x"); err != nil {
				var pe *datasets.ParseError
				if !errors.As(err, &pe) || pe.File != "fuzz.txt" || pe.Line != len(lines) || pe.Col != 1 {
					t.Fatalf("Float error %v is not positioned at fuzz.txt:%d column 1", err, len(lines))
				}
			}
		}
		if err := r.Err(); err != nil {
			t.Fatalf("reading a string: %v", err)
		}
		want := strings.ReplaceAll(strings.ReplaceAll(data, "\r\n", "\n"), "\r", "\n")
		want = strings.TrimSuffix(want, "\n")
		if got := strings.Join(lines, "\n"); got != want || (data == "") != (len(lines) == 0) {
			t.Fatalf("lines %q do not give back %q", lines, data)
		}
	})
}
