package solvers

import (
	"math/rand/v2"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// refbenchParams returns float32 parameters shaped like the refbench
// network as given in the brief: 8 weight matrices 1024×1024, one more
// 1024×1024, 9 biases of 1024 and a 1024×1 head with its bias
// (9,447,425 elements), with seeded random values and gradients.
func refbenchParams() []gorgonia.ValueGrad {
	rng := rand.New(rand.NewPCG(1, 2))
	var shapes [][]int
	for range 9 {
		shapes = append(shapes, []int{1024, 1024}, []int{1024})
	}
	shapes = append(shapes, []int{1024, 1}, []int{1})
	var out []gorgonia.ValueGrad
	for _, sh := range shapes {
		w := tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(sh...))
		g := tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(sh...))
		for i, d := range w.Float32s() {
			_ = d
			w.Float32s()[i] = float32(rng.NormFloat64() * 0.03)
			g.Float32s()[i] = float32(rng.NormFloat64() * 1e-3)
		}
		out = append(out, vg{w, g})
	}
	return out
}

// BenchmarkStep measures one Step over the refbench parameters (ns/op is
// ns per optimizer step). Gradients are zeroed by Step, so later steps
// update with zero gradients; the work per element is the same. The
// "/keepgrads" variants run with WithoutZeroGrads (no gradient writes).
func BenchmarkStep(b *testing.B) {
	cases := []struct {
		name string
		cfg  Config
	}{
		{"sgd", Config{Name: "sgd", LR: 0.01}},
		{"momentum", Config{Name: "sgd", LR: 0.01, Momentum: 0.9}},
		{"adam", Config{Name: "adam", LR: 1e-3}},
		{"adamw", Config{Name: "adamw", LR: 1e-3}},
		{"adam_clipnorm", Config{Name: "adam", LR: 1e-3, ClipNorm: 1}},
		{"rmsprop", Config{Name: "rmsprop", LR: 1e-3}},
	}
	params := refbenchParams()
	for _, c := range cases {
		for _, keep := range []bool{false, true} {
			name := c.name
			if keep {
				name += "/keepgrads"
			}
			b.Run(name, func(b *testing.B) { benchSolver(b, c.cfg, keep, params) })
		}
	}
}

func benchSolver(b *testing.B, cfg Config, keep bool, params []gorgonia.ValueGrad) {
	s, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	s.(GradZeroer).SetZeroGrads(!keep)
	if err := s.Step(params); err != nil { // allocate state
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := s.Step(params); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkState measures MarshalBinary + UnmarshalBinary of Adam's state
// for the refbench parameters (2 × 9.4M float32 buffers, 76 MB).
func BenchmarkState(b *testing.B) {
	params := refbenchParams()
	s := NewAdam()
	if err := s.Step(params); err != nil {
		b.Fatal(err)
	}
	r := NewAdam()
	b.ReportAllocs()
	for b.Loop() {
		blob, err := s.MarshalBinary()
		if err != nil {
			b.Fatal(err)
		}
		if err := r.UnmarshalBinary(blob); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGorgoniaBaseline runs Gorgonia's own VanillaSolver and
// AdamSolver on the same parameters, for comparison with BenchmarkStep
// (they allocate temporaries and make several passes per step).
func BenchmarkGorgoniaBaseline(b *testing.B) {
	params := refbenchParams()
	cases := []struct {
		name string
		s    gorgonia.Solver
	}{
		{"vanilla", gorgonia.NewVanillaSolver(gorgonia.WithLearnRate(0.01))},
		{"adam", gorgonia.NewAdamSolver(gorgonia.WithLearnRate(1e-3))},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			if err := c.s.Step(params); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := c.s.Step(params); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
