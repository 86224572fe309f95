package datasets

import (
	"errors"
	"fmt"
	"io/fs"
)

// ErrChecksum is matched (errors.Is) by every error reporting a SHA-256
// mismatch between a downloaded or extracted file and its published checksum.
var ErrChecksum = errors.New("checksum mismatch")

// ParseError reports malformed input at a position in a file. File is the file
// name (or the name given to a Read function), Line is 1-based (0 if unknown),
// Col is the 1-based column (0 when the whole line is at fault) and ColName the
// column's name when known. Msg says what was found and what was expected; Err,
// if not nil, is the underlying cause and is returned by Unwrap.
type ParseError struct {
	File    string
	Line    int
	Col     int
	ColName string
	Msg     string
	Err     error
}

// Error formats the error as "file:line: column c (name): msg: err".
func (e *ParseError) Error() string {
	s := e.File
	if e.Line > 0 {
		s += fmt.Sprintf(":%d", e.Line)
	}
	s += ": "
	if e.Col > 0 {
		s += fmt.Sprintf("column %d", e.Col)
		if e.ColName != "" {
			s += fmt.Sprintf(" (%s)", e.ColName)
		}
		s += ": "
	}
	s += e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying cause, or nil.
func (e *ParseError) Unwrap() error { return e.Err }

// NotFoundError reports a data file that is neither in the data directory nor
// in the download cache. Hint says how to obtain it. It matches fs.ErrNotExist
// with errors.Is.
type NotFoundError struct {
	Path string
	Hint string
}

// Error formats the error with its hint.
func (e *NotFoundError) Error() string {
	return fmt.Sprintf("data file %s not found; %s", e.Path, e.Hint)
}

// Is reports whether target is fs.ErrNotExist.
func (e *NotFoundError) Is(target error) bool { return target == fs.ErrNotExist }

// ChecksumError reports a file whose SHA-256 differs from the expected value.
// It matches ErrChecksum with errors.Is.
type ChecksumError struct {
	File      string
	Got, Want string
}

// Error names the file and both digests.
func (e *ChecksumError) Error() string {
	return fmt.Sprintf("%s: sha256 %s, want %s (corrupt or truncated download?)", e.File, e.Got, e.Want)
}

// Is reports whether target is ErrChecksum.
func (e *ChecksumError) Is(target error) bool { return target == ErrChecksum }
