package solvers

import (
	"math"
	"slices"
	"testing"

	"gorgonia.org/tensor"
)

// bigParams returns two float parameters of 3×37 and 1003 elements (AVX
// blocks plus tails) with values sin(j) and zero gradients.
func bigParams(dt tensor.Dtype) []vg {
	ws := [][]float64{make([]float64, 3*37), make([]float64, 1003)}
	for i := range ws {
		for j := range ws[i] {
			ws[i][j] = math.Sin(float64(j + 5*i))
		}
	}
	ps := make([]vg, len(ws))
	for i, w := range ws {
		if dt == tensor.Float32 {
			d := make([]float32, len(w))
			for j := range d {
				d[j] = float32(w[j])
			}
			ps[i] = vg{tensor.New(tensor.WithShape(len(w)), tensor.WithBacking(d)), tensor.New(tensor.Of(dt), tensor.WithShape(len(w)))}
		} else {
			ps[i] = vg{tensor.New(tensor.WithShape(len(w)), tensor.WithBacking(w)), tensor.New(tensor.Of(dt), tensor.WithShape(len(w)))}
		}
	}
	return ps
}

// bits returns the bit patterns of a float32/float64 tensor's elements.
func bits(v tensor.Tensor) []uint64 {
	var out []uint64
	switch d := v.Data().(type) {
	case []float32:
		for _, x := range d {
			out = append(out, uint64(math.Float32bits(x)))
		}
	case []float64:
		for _, x := range d {
			out = append(out, math.Float64bits(x))
		}
	}
	return out
}

// TestWithoutZeroGrads: with zeroing off (WithoutZeroGrads, or
// SetZeroGrads(false) on a solver from New), every rule leaves the gradients
// bit for bit as given and updates the weights and its state bit-identically
// to the default solver, which zeroes them; on every kernel path (plain, with
// preprocessing, AVX Adam), both dtypes, over 4 steps.
func TestWithoutZeroGrads(t *testing.T) {
	cases := []Config{
		{Name: "sgd", LR: 0.1},                                // 0: plain loop
		{Name: "sgd", LR: 0.1, Momentum: 0.9},                 // 1: plain momentum loop
		{Name: "sgd", LR: 0.1, Momentum: 0.9, Nesterov: true}, // 2: general momentum loop
		{Name: "sgd", LR: 0.05, ClipValue: 0.5},               // 3: general loop
		{Name: "adam", LR: 0.01},                              // 4: AVX (float32) / plain loop
		{Name: "adamw", LR: 0.01, WeightDecay: new(0.1)},      // 5: AVX with decay
		{Name: "adam", LR: 0.01, L2: 0.1, ClipNorm: 1},        // 6: general loop
		{Name: "rmsprop", LR: 0.01, Momentum: 0.9, L2: 0.001}, // 7
		{Name: "rmsprop", LR: 0.01},                           // 8
	}
	for i, cfg := range cases {
		for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
			ref, err := New(cfg)
			if err != nil {
				t.Fatalf("case %d: %v", i, err)
			}
			viaSet, err := New(cfg)
			if err != nil {
				t.Fatalf("case %d: %v", i, err)
			}
			viaSet.(GradZeroer).SetZeroGrads(false)
			viaOpt := newWith(cfg.Name, cfg.LR, []Option{func(s *settings) { s.cfg = cfg }, WithoutZeroGrads()})
			if !ref.(GradZeroer).ZeroGrads() || viaSet.(GradZeroer).ZeroGrads() || viaOpt.(GradZeroer).ZeroGrads() {
				t.Fatalf("case %d: ZeroGrads got:%v,%v,%v want:true,false,false", i,
					ref.(GradZeroer).ZeroGrads(), viaSet.(GradZeroer).ZeroGrads(), viaOpt.(GradZeroer).ZeroGrads())
			}
			solvers := []Solver{ref, viaSet, viaOpt}
			params := [][]vg{bigParams(dt), bigParams(dt), bigParams(dt)}
			for step := range 4 {
				var want [][]uint64
				for k, s := range solvers {
					g := gradAt(read(params[k]), step)
					setGrads(params[k], g)
					if k == 1 {
						want = nil
						for _, p := range params[k] {
							want = append(want, bits(p.g))
						}
					}
					if err := s.Step(toVG(params[k])); err != nil {
						t.Fatalf("case %d %v: %v", i, dt, err)
					}
				}
				for k := 1; k < 3; k++ {
					for a, p := range params[k] {
						if got, w := bits(p.g), want[a]; !slices.Equal(got, w) {
							t.Fatalf("case %d %v solver %d step %d: gradient %d changed", i, dt, k, step, a)
						}
						if got, w := bits(p.v), bits(params[0][a].v); !slices.Equal(got, w) {
							t.Fatalf("case %d %v solver %d step %d: weights %d differ from the zeroing solver", i, dt, k, step, a)
						}
					}
				}
				for a, p := range params[0] {
					for _, x := range bits(p.g) {
						if x != 0 {
							t.Fatalf("case %d %v step %d: default solver left gradient %d unzeroed", i, dt, step, a)
						}
					}
				}
			}
			b0, _ := ref.MarshalBinary()
			for k := 1; k < 3; k++ {
				if bk, _ := solvers[k].MarshalBinary(); string(bk) != string(b0) {
					t.Errorf("case %d %v solver %d: state got:%d bytes differing want:equal", i, dt, k, len(bk))
				}
			}
		}
	}
	// SetZeroGrads(true) turns zeroing back on.
	s := NewSGD(WithoutZeroGrads())
	s.(GradZeroer).SetZeroGrads(true)
	if got := s.(GradZeroer).ZeroGrads(); !got {
		t.Errorf("after SetZeroGrads(true): got:%v want:true", got)
	}
}
