package train

import (
	"fmt"
	"strings"
)

// contextError adds context ("epoch 3 step 7") to an error from a deeper
// layer, with the package's "train: " prefix once: an inner error that
// already starts with it (one of this package's own) loses its prefix in
// the message, so a diverged step reads "train: epoch 3 step 7: loss
// diverged: ..." rather than repeating "train: ". errors.Is and errors.As
// see the inner error.
type contextError struct {
	context string
	err     error
}

func (e *contextError) Error() string {
	return "train: " + e.context + ": " + strings.TrimPrefix(e.err.Error(), "train: ")
}

func (e *contextError) Unwrap() error { return e.err }

// wrapf returns err with the context format, args (see contextError).
func wrapf(err error, format string, args ...any) error {
	return &contextError{context: fmt.Sprintf(format, args...), err: err}
}
