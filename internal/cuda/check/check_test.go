package check

import (
	"testing"

	"github.com/selunet/selunet/bench"
)

func TestTrainAndTime(t *testing.T) {
	cfg := bench.DefaultConfig()
	cfg.In, cfg.Hidden, cfg.Layers, cfg.Batch, cfg.NBatches = 16, 16, 2, 8, 2
	a, err := Train(cfg, 5)
	if err != nil || len(a.Losses) != 5 {
		t.Fatalf("Train: %v, %d losses", err, len(a.Losses))
	}
	b, _ := Train(cfg, 5)
	for i := range a.Losses {
		if a.Losses[i] != b.Losses[i] {
			t.Errorf("step %d: loss %v then %v: not deterministic", i, a.Losses[i], b.Losses[i])
		}
	}
	tr, err := Time(cfg, 1, 3)
	if err != nil || tr.Steps != 3 || !(tr.MedianMs > 0) || tr.MinMs > tr.MedianMs {
		t.Errorf("Time: %+v, %v", tr, err)
	}
	if got, want := WeightBytes(cfg), int64(4*(16*16+16+16*16+16+16+1)); got != want {
		t.Errorf("WeightBytes = %d, want %d", got, want)
	}
}
