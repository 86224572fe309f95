// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

package bench

import (
	"math"
	"slices"
	"time"
)

// Summary holds order statistics of a list of durations in one unit, with
// the field names of torch_snn_bench.py's JSON.
type Summary struct {
	N      int     `json:"n"`
	Median float64 `json:"median"`
	Min    float64 `json:"min"`
	P10    float64 `json:"p10"`
	P90    float64 `json:"p90"`
	Mean   float64 `json:"mean"`
}

// Summarize returns the statistics of samples scaled by unit (time.Microsecond
// gives microseconds). Quantiles are nearest-rank, as in the torch script.
// It returns the zero Summary for no samples.
func Summarize(samples []time.Duration, unit time.Duration) Summary {
	n := len(samples)
	if n == 0 {
		return Summary{}
	}
	xs := make([]float64, n)
	sum := 0.0
	for i, d := range samples {
		xs[i] = float64(d) / float64(unit)
		sum += xs[i]
	}
	slices.Sort(xs)
	q := func(f float64) float64 {
		i := int(math.Round(f * float64(n-1)))
		return xs[min(n-1, max(0, i))]
	}
	med := xs[n/2]
	if n%2 == 0 {
		med = (xs[n/2-1] + xs[n/2]) / 2
	}
	return Summary{N: n, Median: med, Min: xs[0], P10: q(0.1), P90: q(0.9), Mean: sum / float64(n)}
}

// TimeCalls runs fn warmup times, then times it at least reps times and for
// at least minTime. It stops at the first error.
func TimeCalls(fn func() error, reps, warmup int, minTime time.Duration) ([]time.Duration, error) {
	for i := 0; i < warmup; i++ {
		if err := fn(); err != nil {
			return nil, err
		}
	}
	var out []time.Duration
	begin := time.Now()
	for len(out) < reps || time.Since(begin) < minTime {
		t0 := time.Now()
		if err := fn(); err != nil {
			return out, err
		}
		out = append(out, time.Since(t0))
	}
	return out, nil
}
