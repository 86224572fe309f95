// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

package bench

import (
	"math"
	"runtime"
	"testing"
	"time"

	"github.com/selunet/selunet/backend"
	"github.com/selunet/selunet/internal/cputime"
	"github.com/selunet/selunet/nets"
)

// small is a reduced refbench network that keeps the tests fast.
func small(opt string, keep bool) Config {
	c := DefaultConfig()
	c.Batch, c.In, c.Hidden, c.Layers = 16, 32, 24, 3
	c.Optimizer, c.Keep = opt, keep
	return c
}

// otherArchs returns small Adam configs of every architecture of package
// nets but SNN, with dropout 0.1.
func otherArchs(keep bool) []Config {
	var cs []Config
	for _, arch := range nets.Archs {
		if arch != nets.SNN {
			c := small("adam", keep)
			c.Arch, c.Dropout = arch, 0.1
			cs = append(cs, c)
		}
	}
	return cs
}

// TestKeepBitIdentical checks that keeping the machine's registers between
// steps (backend.Keeper) gives bit-identical losses and weights to
// Gorgonia's Reset over several steps. Expected numbers: the run with Reset.
func TestKeepBitIdentical(t *testing.T) {
	const steps = 12
	cases := []Config{
		small("sgd", false),  // 0
		small("adam", false), // 1
		func() Config { c := small("adam", false); c.Dropout = 0; return c }(),      // 2
		func() Config { c := small("sgd", false); c.DualValues = true; return c }(), // 3
	}
	cases = append(cases, otherArchs(false)...) // 4...
	for i, base := range cases {
		run := func(keep bool) ([]float32, [][]float32) {
			c := base
			c.Keep = keep
			m, err := NewModel(c)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			var losses []float32
			for s := 0; s < steps; s++ {
				l, err := m.Step()
				if err != nil {
					t.Fatal(err)
				}
				losses = append(losses, l)
				if err := m.EvalForward(); err != nil {
					t.Fatal(err)
				}
			}
			if keep && base.Arch == nets.SNN && m.Kept() == 0 {
				t.Errorf("case %d: Kept: got:0 want: > 0", i)
			}
			return losses, m.Weights()
		}
		wantL, wantW := run(false)
		gotL, gotW := run(true)
		for s := range wantL {
			if math.Float32bits(gotL[s]) != math.Float32bits(wantL[s]) {
				t.Errorf("case %d (%s) step %d loss: got:%v want:%v", i, base.Arch, s, gotL[s], wantL[s])
			}
		}
		for j := range wantW {
			for e := range wantW[j] {
				if math.Float32bits(gotW[j][e]) != math.Float32bits(wantW[j][e]) {
					t.Errorf("case %d weight %d[%d]: got:%v want:%v", i, j, e, gotW[j][e], wantW[j][e])
					break
				}
			}
		}
		if wantL[0] == wantL[steps-1] {
			t.Errorf("case %d: loss did not change: got:%v want: a different value", i, wantL[steps-1])
		}
	}
}

// TestDualValuesBitIdentical checks that reading gradients straight from
// the gradient nodes (GradPairs) gives the same numbers as Gorgonia's dual
// values. Expected numbers: the run with dual values.
func TestDualValuesBitIdentical(t *testing.T) {
	const steps = 10
	cases := []Config{small("sgd", true), small("adam", true)} // 0, 1
	cases = append(cases, otherArchs(true)...)                 // 2...
	for i, base := range cases {
		opt := base.Arch + "/" + base.Optimizer
		run := func(dual bool) []float32 {
			c := base
			c.DualValues = dual
			m, err := NewModel(c)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			for s := 0; s < steps; s++ {
				if _, err := m.Step(); err != nil {
					t.Fatal(err)
				}
			}
			var flat []float32
			for _, w := range m.Weights() {
				flat = append(flat, w...)
			}
			return flat
		}
		want, got := run(true), run(false)
		for e := range want {
			if math.Float32bits(got[e]) != math.Float32bits(want[e]) {
				t.Errorf("case %d (%s) weight element %d: got:%v want:%v", i, opt, e, got[e], want[e])
				break
			}
		}
	}
}

func benchStep(b *testing.B, opt string, keep, dual bool) {
	c := DefaultConfig()
	c.Optimizer, c.Keep, c.DualValues = opt, keep, dual
	backend.SetThreads(runtime.GOMAXPROCS(0)) // OpenBLAS threads = GOMAXPROCS
	m, err := NewModel(c)
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	for i := 0; i < 3; i++ {
		if _, err := m.Step(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	ct := cputime.Start()
	for i := 0; i < b.N; i++ {
		if _, err := m.Step(); err != nil {
			b.Fatal(err)
		}
	}
	ct.Report(b)
	b.ReportMetric(c.FLOPs()*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkStep measures one refbench training step (batch 128, 1024
// inputs, 8×1024 hidden, 1 output) with Gorgonia's Reset (reset) or
// backend.Keeper (keep), gradients in dual values (dual) or read from the
// gradient nodes (direct).
func BenchmarkStep(b *testing.B) {
	for _, opt := range []string{"sgd", "adam"} {
		b.Run(opt+"/reset+dual", func(b *testing.B) { benchStep(b, opt, false, true) })
		b.Run(opt+"/keep+dual", func(b *testing.B) { benchStep(b, opt, true, true) })
		b.Run(opt+"/keep+direct", func(b *testing.B) { benchStep(b, opt, true, false) })
	}
}

// TestTrainerSteps checks that TrainerSteps runs train.Trainer for the
// requested steps on a small network: 2 epochs of 8 steps give 14 timed
// intervals (the first step of each epoch is not timed) and 16 losses.
func TestTrainerSteps(t *testing.T) {
	c := small("adam", true)
	times, losses, err := TrainerSteps(c, 16)
	if err != nil {
		t.Fatal(err)
	}
	if len(times) != 14 || len(losses) != 16 {
		t.Errorf("got:%d times, %d losses want:%d, %d", len(times), len(losses), 14, 16)
	}
}

// BenchmarkTrainerStep measures one step of train.Trainer on the refbench
// network (the project's full hot path: batch filling, nets' graph, solver),
// reporting the median step time as ms/step.
func BenchmarkTrainerStep(b *testing.B) {
	backend.SetThreads(runtime.GOMAXPROCS(0))
	for _, opt := range []string{"sgd", "adam"} {
		b.Run(opt, func(b *testing.B) {
			c := DefaultConfig()
			c.Optimizer = opt
			times, _, err := TrainerSteps(c, max(b.N, 16))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(Summarize(times, time.Millisecond).Median, "ms/step")
		})
	}
}

// BenchmarkEvalForward measures one evaluation-mode forward pass of the
// refbench network (batch 128, no dropout, no gradients).
func BenchmarkEvalForward(b *testing.B) {
	backend.SetThreads(runtime.GOMAXPROCS(0))
	m, err := NewModel(DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	b.ReportAllocs()
	for b.Loop() {
		if err := m.EvalForward(); err != nil {
			b.Fatal(err)
		}
	}
}
