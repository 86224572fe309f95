package check

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/selunet/selunet/bench"
	"github.com/selunet/selunet/graph"
)

// Train runs steps training steps of the refbench network cfg (weights,
// batches and dropout masks from cfg.Seed) and returns the losses.
func Train(cfg bench.Config, steps int) (TrainResult, error) {
	m, err := bench.NewModel(cfg)
	if err != nil {
		return TrainResult{}, err
	}
	r := TrainResult{Dropout: cfg.Dropout, Optimizer: cfg.Optimizer, Device: graph.BuildDevice}
	for range steps {
		l, err := m.Step()
		if err != nil {
			return r, err
		}
		if math.IsNaN(float64(l)) || math.IsInf(float64(l), 0) {
			r.NonFinite++
			l = math.MaxFloat32 // JSON has no NaN or Inf
		}
		r.Losses = append(r.Losses, l)
	}
	return r, nil
}

// Time runs warm steps, then times steps steps of cfg one by one and
// returns their median and minimum.
func Time(cfg bench.Config, warm, steps int) (TimeResult, error) {
	if steps < 1 {
		return TimeResult{}, fmt.Errorf("check: need at least one timed step")
	}
	m, err := bench.NewModel(cfg)
	if err != nil {
		return TimeResult{}, err
	}
	for range warm {
		if _, err := m.Step(); err != nil {
			return TimeResult{}, err
		}
	}
	d := make([]time.Duration, steps)
	for i := range d {
		t0 := time.Now()
		if _, err := m.Step(); err != nil {
			return TimeResult{}, err
		}
		d[i] = time.Since(t0)
	}
	return TimeResult{Optimizer: cfg.Optimizer, Device: graph.BuildDevice, Steps: steps,
		MedianMs: ms(median(d)), MinMs: ms(slices.Min(d))}, nil
}

// median returns the median of d (the upper one for an even count).
func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// WeightBytes returns the bytes of cfg's trainable parameters (float32).
func WeightBytes(cfg bench.Config) int64 {
	n := cfg.In*cfg.Hidden + cfg.Hidden + (cfg.Layers-1)*(cfg.Hidden*cfg.Hidden+cfg.Hidden) + cfg.Hidden + 1
	return 4 * int64(n)
}
