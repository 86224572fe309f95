package textio

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/selunet/selunet/datasets"
)

// maxLine is the longest accepted line (bytes).
const maxLine = 64 << 20

// Reader reads lines from r, counting them from 1.
type Reader struct {
	sc     *bufio.Scanner
	src    *errRecorder
	name   string
	line   int
	err    error
	unterm bool // the last token had no line terminator
}

// errRecorder remembers the first non-EOF read error of the source, so that a
// final unterminated line cut short by that error is rejected, not parsed.
type errRecorder struct {
	r   io.Reader
	err error
}

func (e *errRecorder) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF && e.err == nil {
		e.err = err
	}
	return n, err
}

// NewReader returns a Reader over r; name is used in error messages.
func NewReader(r io.Reader, name string) *Reader {
	src := &errRecorder{r: r}
	rd := &Reader{sc: bufio.NewScanner(src), src: src, name: name}
	rd.sc.Buffer(make([]byte, 0, 256<<10), maxLine)
	rd.sc.Split(func(data []byte, atEOF bool) (int, []byte, error) {
		adv, tok, err := scanLines(data, atEOF)
		rd.unterm = tok != nil && adv == len(tok) && atEOF
		return adv, tok, err
	})
	return rd
}

// scanLines splits on \n, \r\n or lone \r; a final line without terminator is
// returned too.
func scanLines(data []byte, atEOF bool) (advance int, token []byte, err error) {
	if atEOF && len(data) == 0 {
		return 0, nil, nil
	}
	if i := bytes.IndexAny(data, "\r\n"); i >= 0 {
		if data[i] == '\n' {
			return i + 1, data[:i], nil
		}
		// '\r': need one more byte to know whether it is "\r\n".
		if i+1 < len(data) {
			if data[i+1] == '\n' {
				return i + 2, data[:i], nil
			}
			return i + 1, data[:i], nil
		}
		if atEOF {
			return i + 1, data[:i], nil
		}
		return 0, nil, nil
	}
	if atEOF {
		return len(data), data, nil
	}
	return 0, nil, nil
}

// Next returns the next line (without terminator) and true, or "" and false at
// the end of input or on a read error (see Err).
func (r *Reader) Next() (string, bool) {
	if r.err != nil {
		return "", false
	}
	ok := r.sc.Scan()
	if ok && r.unterm && r.src.err != nil {
		ok = false // a final line cut short by a read error is not data
	}
	if !ok {
		err := r.sc.Err()
		if err == nil {
			err = r.src.err
		}
		if err != nil {
			msg := "reading failed after this line"
			if errors.Is(err, io.ErrUnexpectedEOF) {
				msg = "input is truncated after this line (incomplete gzip or download?)"
			} else if errors.Is(err, bufio.ErrTooLong) {
				msg = fmt.Sprintf("line longer than %d bytes", maxLine)
			}
			r.err = &datasets.ParseError{File: r.name, Line: r.line, Msg: msg, Err: err}
		}
		return "", false
	}
	r.line++
	return r.sc.Text(), true
}

// Err returns the read error that stopped Next, or nil at a clean end.
func (r *Reader) Err() error { return r.err }

// Line returns the number of the line last returned by Next (1-based).
func (r *Reader) Line() int { return r.line }

// Name returns the file name used in errors.
func (r *Reader) Name() string { return r.name }

// Errorf returns a *datasets.ParseError at the current line and column col
// (1-based, 0 for the whole line) named colName.
func (r *Reader) Errorf(col int, colName, format string, args ...any) error {
	return &datasets.ParseError{File: r.name, Line: r.line, Col: col, ColName: colName, Msg: fmt.Sprintf(format, args...)}
}

// Split splits line on sep into dst[:0] and returns it. Fields may be quoted
// with '"' ("" inside quotes is a literal quote). Unquoted fields are returned
// as substrings of line without copying. It returns an error for an
// unterminated quote or text after a closing quote.
func Split(line string, sep byte, dst []string) ([]string, error) {
	dst = dst[:0]
	if strings.IndexByte(line, '"') < 0 {
		for {
			i := strings.IndexByte(line, sep)
			if i < 0 {
				return append(dst, line), nil
			}
			dst = append(dst, line[:i])
			line = line[i+1:]
		}
	}
	for {
		if len(line) > 0 && line[0] == '"' {
			var b strings.Builder
			j := 1
			for {
				k := strings.IndexByte(line[j:], '"')
				if k < 0 {
					return nil, fmt.Errorf("field %d: unterminated quote", len(dst)+1)
				}
				b.WriteString(line[j : j+k])
				j += k + 1
				if j < len(line) && line[j] == '"' {
					b.WriteByte('"')
					j++
					continue
				}
				break
			}
			dst = append(dst, b.String())
			if j == len(line) {
				return dst, nil
			}
			if line[j] != sep {
				return nil, fmt.Errorf("field %d: text after closing quote", len(dst))
			}
			line = line[j+1:]
			continue
		}
		i := strings.IndexByte(line, sep)
		if i < 0 {
			return append(dst, line), nil
		}
		dst = append(dst, line[:i])
		line = line[i+1:]
	}
}

// SplitErr is Split returning a positioned error from r.
func (r *Reader) SplitErr(line string, sep byte, dst []string) ([]string, error) {
	f, err := Split(line, sep, dst)
	if err != nil {
		return nil, &datasets.ParseError{File: r.name, Line: r.line, Msg: "malformed quoting", Err: err}
	}
	return f, nil
}

// Header reads the first line and splits it on sep. At the end of input it
// returns the read error, if any, else a *datasets.ParseError with message
// missing (e.g. "missing header"). The returned slice is freshly allocated.
func (r *Reader) Header(sep byte, missing string) ([]string, error) {
	head, ok := r.Next()
	if !ok {
		if err := r.Err(); err != nil {
			return nil, err
		}
		return nil, &datasets.ParseError{File: r.name, Msg: missing}
	}
	return r.SplitErr(head, sep, nil)
}

// Layout describes the data records read by Reader.Records.
type Layout struct {
	// Sep is the field separator.
	Sep byte
	// Fields is the number of fields every record must have.
	Fields int
	// Note is appended to the field-count error "N fields, want M", e.g.
	// " as in the header".
	Note string
	// SkipBlank also skips lines holding only white space; by default only
	// empty lines are skipped.
	SkipBlank bool
	// NonEmpty makes input without any record an error ("no data rows").
	NonEmpty bool
}

// Records reads the remaining lines as records of layout l and calls fn with
// each record's fields (valid only during the call; the slice is reused).
// Empty lines are skipped. A quoting error, a record without exactly l.Fields
// fields ("file:line: N fields, want M" plus l.Note) and the first error from
// fn stop the loop and are returned; at the end it returns Err(), or with
// l.NonEmpty a *datasets.ParseError "no data rows" if fn was never called.
func (r *Reader) Records(l Layout, fn func(f []string) error) error {
	var f []string
	var err error
	records := 0
	for {
		line, ok := r.Next()
		if !ok {
			if err := r.Err(); err != nil || records > 0 || !l.NonEmpty {
				return err
			}
			return &datasets.ParseError{File: r.name, Msg: "no data rows"}
		}
		if line == "" || (l.SkipBlank && strings.TrimSpace(line) == "") {
			continue
		}
		if f, err = r.SplitErr(line, l.Sep, f); err != nil {
			return err
		}
		if len(f) != l.Fields {
			return r.Errorf(0, "", "%d fields, want %d%s", len(f), l.Fields, l.Note)
		}
		if err := fn(f); err != nil {
			return err
		}
		records++
	}
}

// Floats parses the cells f[c], for each c in cols, with Float (column c+1,
// named names[c]) and appends the values to dst. On error it returns dst
// with the values parsed before the bad cell.
func (r *Reader) Floats(dst []float64, f []string, cols []int, names []string) ([]float64, error) {
	for _, c := range cols {
		v, err := r.Float(f[c], c+1, names[c])
		if err != nil {
			return dst, err
		}
		dst = append(dst, v)
	}
	return dst, nil
}

// Float parses a finite float64 feature value (surrounding blanks allowed).
// Empty, non-numeric, NaN and ±Inf cells are errors, returned as a
// *datasets.ParseError at column col (colName) of the current line.
func (r *Reader) Float(s string, col int, colName string) (float64, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, r.Errorf(col, colName, "empty cell, want a number")
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return 0, r.Errorf(col, colName, "value %q out of float64 range", t)
		}
		return 0, r.Errorf(col, colName, "non-numeric value %q, want a number", t)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, r.Errorf(col, colName, "value %q is not finite, want a finite number", t)
	}
	return v, nil
}

// Open opens path for reading and, if its name ends in ".gz", decompresses it.
// A gzip header error is returned as a *datasets.ParseError; errors in the body
// (truncation, bad CRC) surface from Reader.Next/Err. A missing file gives a
// *datasets.NotFoundError with hint.
func Open(path, hint string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, &datasets.NotFoundError{Path: path, Hint: hint}
		}
		return nil, err
	}
	if !strings.HasSuffix(path, ".gz") {
		return f, nil
	}
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		f.Close()
		return nil, &datasets.ParseError{File: filepath.Base(path), Msg: "not a valid gzip file", Err: err}
	}
	return &gzFile{zr, f}, nil
}

type gzFile struct {
	*gzip.Reader
	f *os.File
}

func (g *gzFile) Close() error {
	err := g.Reader.Close()
	if err2 := g.f.Close(); err == nil {
		err = err2
	}
	return err
}

// Gunzip wraps r in a gzip reader, returning a *datasets.ParseError naming
// name if the header is invalid.
func Gunzip(r io.Reader, name string) (io.Reader, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, &datasets.ParseError{File: name, Msg: "not a valid gzip stream", Err: err}
	}
	return zr, nil
}
