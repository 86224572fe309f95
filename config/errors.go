package config

import (
	"fmt"
	"strings"
)

// Error is one problem found while loading a configuration. File is the
// source name given to Decode (the file path for Load) or, for an override,
// the override itself ("-set model.dropout=2"). Line and Column are 1-based
// and are 0 when the position is unknown (overrides, defaults, syntax errors
// without a column). Key is the dotted key path ("model.widths[1]"), empty
// for problems that are not about one key (unknown keys, syntax errors).
type Error struct {
	File   string
	Line   int
	Column int
	Key    string
	Msg    string
}

// Error formats e as "file:line:col: key: msg", leaving out the parts that
// are empty or zero.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is the error Load and Decode return: every problem found, in the
// order found (file top to bottom, then the overrides in order, then
// validation). It is never empty when returned. errors.As with a *Error
// target finds its first element.
type ErrorList []*Error

// Error joins the messages of all elements with newlines.
func (l ErrorList) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Unwrap returns the elements as a []error, for errors.Is and errors.As.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// FieldError is what a Validate method returns (directly, wrapped with %w,
// or several joined with errors.Join) to blame one field: Key is the field's
// key path relative to the struct whose Validate method runs (its yaml name,
// "widths[2]" for an element, "optimizer.lr" for a nested field), Msg says
// what is wrong and what is allowed. The loader prefixes the struct's own path
// and reports the position where that key was set.
//
// An error from Validate that is not a FieldError is reported against the
// struct itself.
type FieldError struct {
	Key string
	Msg string
}

// Error formats e as "key: msg" (just msg when Key is empty).
func (e FieldError) Error() string {
	if e.Key == "" {
		return e.Msg
	}
	return e.Key + ": " + e.Msg
}

// Errorf returns a FieldError for key with a message formatted by
// fmt.Sprintf(format, args...).
func Errorf(key, format string, args ...any) FieldError {
	return FieldError{Key: key, Msg: fmt.Sprintf(format, args...)}
}
