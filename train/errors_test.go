package train

import (
	"errors"
	"io"
	"testing"
)

func TestWrapf(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{ErrDiverged, "train: epoch 2 step 5: loss diverged"},                   // 0: this package's own error: one prefix
		{io.ErrUnexpectedEOF, "train: epoch 2 step 5: unexpected EOF"},          // 1: another package's error
		{wrapf(io.EOF, "checkpoint"), "train: epoch 2 step 5: checkpoint: EOF"}, // 2: nested context
	}
	for i, c := range cases {
		err := wrapf(c.err, "epoch %d step %d", 2, 5)
		if got := err.Error(); got != c.want {
			t.Errorf("%d: %q, want %q", i, got, c.want)
		}
		if !errors.Is(err, c.err) {
			t.Errorf("%d: errors.Is does not find the inner error", i)
		}
	}
}
