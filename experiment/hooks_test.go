package experiment

import (
	"context"

	"github.com/selunet/selunet/train"
)

type trainHook = train.Hook

// cancelHook cancels a context after a number of epochs (over all folds).
type cancelHook struct {
	train.NopHook
	cancel context.CancelFunc
	after  int
	n      int
}

func (c *cancelHook) EpochEnd(*train.Trainer, train.Record) error {
	c.n++
	if c.n == c.after {
		c.cancel()
	}
	return nil
}
