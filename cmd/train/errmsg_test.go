package main

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/selunet/selunet/config"
	"github.com/selunet/selunet/experiment"
	"github.com/selunet/selunet/train"
)

// TestCLIMessage checks the one line the command prints for an error:
// package train's "train: " prefixes, which repeat the command's own, are
// dropped; config errors naming file:line:key or -set key stay intact.
func TestCLIMessage(t *testing.T) {
	diverged := fmt.Errorf("%w: loss is NaN (lower the learning rate, or clip gradients)", train.ErrDiverged)
	yamlErr := func(doc string, sets ...string) error {
		cfg := experiment.Default()
		return config.Decode(strings.NewReader(doc), "x.yaml", sets, &cfg)
	}
	cases := []struct {
		err  error
		want string // the line after "train: "
	}{
		{fmt.Errorf("fold 1: %w", fmt.Errorf("train: epoch 1 step 3: %w", diverged)), "fold 1: epoch 1 step 3: loss diverged: loss is NaN (lower the learning rate, or clip gradients)"},                                      // 0
		{fmt.Errorf("holdout: %w", fmt.Errorf("train: epoch 9 validation: %w", diverged)), "holdout: epoch 9 validation: loss diverged: loss is NaN (lower the learning rate, or clip gradients)"},                            // 1
		{fmt.Errorf("fold 2: every grid point diverged (%w)", train.ErrDiverged), "fold 2: every grid point diverged (loss diverged)"},                                                                                        // 2
		{errors.New("every split diverged: fold 1: train: epoch 1 step 3: train: loss diverged; fold 2: x (train: loss diverged)"), "every split diverged: fold 1: epoch 1 step 3: loss diverged; fold 2: x (loss diverged)"}, // 3
		{errors.New("train: checkpoint: bad"), "checkpoint: bad"}, // 4
		{errors.New("experiment: output directory: mkdir /x/train: permission denied"), "experiment: output directory: mkdir /x/train: permission denied"}, // 5: a path ending in train
		{yamlErr("train: 5\n"), `x.yaml:1:8: train: expected mapping, got "5"`},                                                                            // 6: the section's key
		{yamlErr("", "train=5"), `-set train=5: train: expected mapping, got "5"`},                                                                         // 7
		{fmt.Errorf("experiment: %w", yamlErr("train: {epochs: 0}\n")), "experiment: x.yaml:1:17: train.epochs: must be >= 1, got 0"},                      // 8
	}
	for i, c := range cases {
		if c.err == nil {
			t.Fatalf("case %d: no error", i)
		}
		if got := cliMessage(c.err); got != c.want {
			t.Errorf("case %d:\n got:%s\nwant:%s", i, got, c.want)
		}
	}
}
