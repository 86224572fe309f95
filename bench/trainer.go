// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/nets"
	"github.com/selunet/selunet/train"
)

// stepClock is a train.Hook that records the time between consecutive
// steps of an epoch and every step's loss.
type stepClock struct {
	train.NopHook
	last   time.Time
	times  []time.Duration
	losses []float64
}

func (c *stepClock) EpochStart(epoch, epochs, steps int) { c.last = time.Time{} }

func (c *stepClock) Step(step int, loss float64) {
	now := time.Now()
	if !c.last.IsZero() {
		c.times = append(c.times, now.Sub(c.last))
	}
	c.last = now
	c.losses = append(c.losses, loss)
}

// Dataset returns the model's synthetic batches as one training set of
// NBatches·Batch rows (float64 features, one binary task).
func (c Config) Dataset() (*datasets.Set, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	x, y := c.makeData()
	s := &datasets.Set{N: c.NBatches * c.Batch, D: c.In, T: 1, X: make([]float64, len(x)), Y: make([]float64, len(y))}
	for i, v := range x {
		s.X[i] = float64(v)
	}
	for i, v := range y {
		s.Y[i] = float64(v)
	}
	return s, nil
}

// TrainerSteps trains cfg's network with train.Trainer (the project's
// training loop around the same train.Step as Model: shuffling, batch
// filling, BCE loss, solver) for at least steps steps on cfg.Dataset and
// returns the time of every step but the first of each epoch (measured
// between consecutive train.Hook Step calls) and every step's loss. No
// validation set, no layer statistics.
func TrainerSteps(cfg Config, steps int) ([]time.Duration, []float64, error) {
	set, err := cfg.Dataset()
	if err != nil {
		return nil, nil, err
	}
	net, err := nets.New(cfg.Spec(), cfg.In, 1, nets.Binary, cfg.Seed)
	if err != nil {
		return nil, nil, err
	}
	tc := train.DefaultConfig()
	tc.BatchSize, tc.EvalBatchSize = cfg.Batch, cfg.Batch
	tc.Epochs = (steps + cfg.NBatches - 1) / cfg.NBatches
	tc.Metric, tc.Patience, tc.Smoothing, tc.StatsRows, tc.RestoreBest = train.ValLoss, 0, 1, 0, false
	clock := &stepClock{}
	tr, err := train.New(net, train.BinaryCE, cfg.solver(), set, nil, tc, cfg.Seed, train.WithHooks(clock))
	if err != nil {
		return nil, nil, err
	}
	defer tr.Close()
	if _, err := tr.Fit(context.Background()); err != nil {
		return nil, nil, fmt.Errorf("bench: trainer: %w", err)
	}
	return clock.times, clock.losses, nil
}
