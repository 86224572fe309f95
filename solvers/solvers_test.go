package solvers

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/selunet/selunet/config"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// vg is a minimal gorgonia.ValueGrad over two dense tensors.
type vg struct{ v, g *tensor.Dense }

func (p vg) Value() gorgonia.Value         { return p.v }
func (p vg) Grad() (gorgonia.Value, error) { return p.g, nil }
func (p vg) Name() string                  { return "p" }
func toVG(ps []vg) (out []gorgonia.ValueGrad) {
	for _, p := range ps {
		out = append(out, p)
	}
	return out
}

// refOpt is an independent, element-by-element float64 implementation of
// the update rules as written in PyTorch's documentation (torch.optim.SGD,
// Adam, AdamW, RMSprop pseudo-code) plus clip_grad_norm_/clip_grad_value_.
type refOpt struct {
	c      Config
	sched  Schedule
	t      int
	m, v   [][]float64 // momentum/first moment, second moment
	inited bool
}

func (r *refOpt) step(w, g [][]float64) {
	c := r.c.WithDefaults()
	beta1, beta2, rho, wd := deref(c.Beta1), deref(c.Beta2), deref(c.Rho), deref(c.WeightDecay)
	if !r.inited {
		for _, x := range w {
			r.m = append(r.m, make([]float64, len(x)))
			r.v = append(r.v, make([]float64, len(x)))
		}
		r.inited = true
	}
	lr := c.LR
	if r.sched != nil {
		lr = r.sched.LR(r.t)
	}
	r.t++
	// clip_grad_value_ then clip_grad_norm_ on copies of the gradients.
	gg := make([][]float64, len(g))
	for i := range g {
		gg[i] = append([]float64(nil), g[i]...)
		if c.ClipValue > 0 {
			for j := range gg[i] {
				gg[i][j] = math.Max(-c.ClipValue, math.Min(c.ClipValue, gg[i][j]))
			}
		}
	}
	if c.ClipNorm > 0 {
		var ss float64
		for i := range gg {
			for _, x := range gg[i] {
				ss += x * x
			}
		}
		coef := c.ClipNorm / (math.Sqrt(ss) + 1e-6)
		if coef < 1 {
			for i := range gg {
				for j := range gg[i] {
					gg[i][j] *= coef
				}
			}
		}
	}
	for i := range w {
		for j := range w[i] {
			gr := gg[i][j] + c.L2*w[i][j]
			w[i][j] -= lr * wd * w[i][j]
			switch c.Name {
			case "sgd":
				if c.Momentum != 0 {
					if r.t == 1 {
						r.m[i][j] = gr
					} else {
						r.m[i][j] = c.Momentum*r.m[i][j] + gr
					}
					if c.Nesterov {
						gr = gr + c.Momentum*r.m[i][j]
					} else {
						gr = r.m[i][j]
					}
				}
				w[i][j] -= lr * gr
			case "adam", "adamw":
				r.m[i][j] = beta1*r.m[i][j] + (1-beta1)*gr
				r.v[i][j] = beta2*r.v[i][j] + (1-beta2)*gr*gr
				mhat := r.m[i][j] / (1 - math.Pow(beta1, float64(r.t)))
				vhat := r.v[i][j] / (1 - math.Pow(beta2, float64(r.t)))
				w[i][j] -= lr * mhat / (math.Sqrt(vhat) + c.Eps)
			case "rmsprop":
				r.v[i][j] = rho*r.v[i][j] + (1-rho)*gr*gr
				d := gr / (math.Sqrt(r.v[i][j]) + c.Eps)
				if c.Momentum != 0 {
					r.m[i][j] = c.Momentum*r.m[i][j] + d
					d = r.m[i][j]
				}
				w[i][j] -= lr * d
			}
		}
	}
}

// problem: two parameters (2×3 and 4) with gradient g = 2·(w − target) + noise(step).
var initW = [][]float64{{0.5, -1.2, 2.0, 0.0, 3.5, -0.7}, {1.0, -2.0, 0.25, -0.125}}

func gradAt(w [][]float64, step int) [][]float64 {
	g := make([][]float64, len(w))
	for i := range w {
		g[i] = make([]float64, len(w[i]))
		for j := range w[i] {
			g[i][j] = 2*(w[i][j]-0.3*float64(j)) + math.Sin(float64(step*7+i*3+j))
		}
	}
	return g
}

func makeParams(dt tensor.Dtype, w [][]float64) []vg {
	shapes := [][]int{{2, 3}, {4}}
	ps := make([]vg, len(w))
	for i := range w {
		if dt == tensor.Float32 {
			d := make([]float32, len(w[i]))
			for j := range d {
				d[j] = float32(w[i][j])
			}
			ps[i] = vg{tensor.New(tensor.WithShape(shapes[i]...), tensor.WithBacking(d)),
				tensor.New(tensor.Of(dt), tensor.WithShape(shapes[i]...))}
		} else {
			ps[i] = vg{tensor.New(tensor.WithShape(shapes[i]...), tensor.WithBacking(append([]float64(nil), w[i]...))),
				tensor.New(tensor.Of(dt), tensor.WithShape(shapes[i]...))}
		}
	}
	return ps
}

func read(ps []vg) [][]float64 {
	out := make([][]float64, len(ps))
	for i, p := range ps {
		switch d := p.v.Data().(type) {
		case []float32:
			for _, x := range d {
				out[i] = append(out[i], float64(x))
			}
		case []float64:
			out[i] = append(out[i], d...)
		}
	}
	return out
}

func setGrads(ps []vg, g [][]float64) {
	for i, p := range ps {
		switch d := p.g.Data().(type) {
		case []float32:
			for j := range d {
				d[j] = float32(g[i][j])
			}
		case []float64:
			copy(d, g[i])
		}
	}
}

// TestRulesAgainstReference compares every rule and option with the
// independent float64 reference above for 6 steps. Tolerances: tol64 for
// float64 (only rounding order differs), tol32 for float32 storage.
func TestRulesAgainstReference(t *testing.T) {
	const (
		tol64 = 1e-12
		tol32 = 2e-5
		steps = 6
	)
	cases := []Config{
		{Name: "sgd", LR: 0.1},                                                                                        // 0
		{Name: "sgd", LR: 0.1, Momentum: 0.9},                                                                         // 1
		{Name: "sgd", LR: 0.1, Momentum: 0.9, Nesterov: true},                                                         // 2
		{Name: "sgd", LR: 0.05, Momentum: 0.5, WeightDecay: new(0.1)},                                                 // 3
		{Name: "sgd", LR: 0.05, L2: 0.01},                                                                             // 4
		{Name: "adam", LR: 0.01},                                                                                      // 5
		{Name: "adam", LR: 0.01, Beta1: new(0.5), Beta2: new(0.9), Eps: 1e-3},                                         // 6
		{Name: "adam", LR: 0.01, L2: 0.1},                                                                             // 7
		{Name: "adamw", LR: 0.01, WeightDecay: new(0.1)},                                                              // 8
		{Name: "rmsprop", LR: 0.01},                                                                                   // 9
		{Name: "rmsprop", LR: 0.01, Momentum: 0.9, Rho: new(0.9), L2: 0.001},                                          // 10
		{Name: "sgd", LR: 0.1, ClipValue: 0.5},                                                                        // 11
		{Name: "sgd", LR: 0.1, ClipNorm: 1},                                                                           // 12
		{Name: "adam", LR: 0.01, ClipNorm: 0.5, ClipValue: 0.3, L2: 0.1},                                              // 13
		{Name: "sgd", LR: 0.1, Momentum: 0.9, Schedule: ScheduleConfig{Kind: "step", StepSize: 2, Gamma: 0.5}},        // 14
		{Name: "adam", LR: 0.01, Schedule: ScheduleConfig{Kind: "cosine", TMax: 4, MinLR: 0.001, Warmup: 2}},          // 15
		{Name: "rmsprop", LR: 0.01, WeightDecay: new(0.5), Schedule: ScheduleConfig{Kind: "exponential", Gamma: 0.9}}, // 16
		{Name: "adam", LR: 0.01, Beta1: new(0.0)},                                                                     // 17: no momentum
		{Name: "adamw", LR: 0.01, Beta1: new(0.0), Beta2: new(0.0), WeightDecay: new(0.0)},                            // 18
		{Name: "rmsprop", LR: 0.01, Rho: new(0.0)},                                                                    // 19
	}
	for i, cfg := range cases {
		for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
			s, err := New(cfg)
			if err != nil {
				t.Fatalf("case %d: New: %v", i, err)
			}
			ps := makeParams(dt, initW)
			ref := &refOpt{c: cfg, sched: cfg.Schedule.Build(cfg.LR)}
			rw := [][]float64{append([]float64(nil), initW[0]...), append([]float64(nil), initW[1]...)}
			for k := 0; k < steps; k++ {
				// both sides see the gradient of their own current weights
				setGrads(ps, gradAt(read(ps), k))
				ref.step(rw, gradAt(rw, k))
				if err := s.Step(toVG(ps)); err != nil {
					t.Fatalf("case %d %v: Step: %v", i, dt, err)
				}
			}
			tol := tol64
			if dt == tensor.Float32 {
				tol = tol32
			}
			got := read(ps)
			for a := range got {
				for b := range got[a] {
					if d := math.Abs(got[a][b] - rw[a][b]); d > tol*math.Max(1, math.Abs(rw[a][b])) || math.IsNaN(got[a][b]) {
						t.Errorf("case %d %v param %d[%d]: got:%v want:%v", i, dt, a, b, got[a][b], rw[a][b])
					}
				}
			}
			for a, p := range ps { // gradients are zeroed after Step
				for _, x := range read([]vg{{p.g, nil}})[0] {
					if x != 0 {
						t.Errorf("case %d %v: gradient %d not zeroed: %v", i, dt, a, x)
						break
					}
				}
			}
			if s.Steps() != steps {
				t.Errorf("case %d: Steps got:%v want:%v", i, s.Steps(), steps)
			}
		}
	}
}

// TestHandComputed checks single updates worked out by hand (w=1, g=0.5).
func TestHandComputed(t *testing.T) {
	const tol = 1e-12
	cases := []struct {
		s     Solver
		steps int
		want  float64
	}{
		// 0: SGD: 1 − 0.1·0.5
		{NewSGD(WithLR(0.1)), 1, 0.95},
		// 1: momentum 0.9, two steps of g=0.5: b1=0.5, w=0.95; b2=0.95, w=0.95−0.095
		{NewSGD(WithLR(0.1), WithMomentum(0.9)), 2, 0.855},
		// 2: Nesterov, one step: b=0.5, d=0.5+0.9·0.5=0.95, w=1−0.095
		{NewSGD(WithLR(0.1), WithMomentum(0.9), WithNesterov()), 1, 0.905},
		// 3: Adam, first step: m̂=0.5, v̂=0.25, w=1−0.1·0.5/(0.5+1e-8)
		{NewAdam(WithLR(0.1)), 1, 1 - 0.1*0.5/(0.5+1e-8)},
		// 4: AdamW wd 0.1: w=1·(1−0.1·0.1) − 0.1·0.5/(0.5+1e-8)
		{NewAdamW(WithLR(0.1), WithWeightDecay(0.1)), 1, 0.99 - 0.1*0.5/(0.5+1e-8)},
		// 5: SGD with l2 0.2: g=0.5+0.2·1=0.7, w=1−0.07
		{NewSGD(WithLR(0.1), WithL2(0.2)), 1, 0.93},
		// 6: SGD with clip_value 0.25: w=1−0.025
		{NewSGD(WithLR(0.1), WithClipValue(0.25)), 1, 0.975},
		// 7: SGD with clip_norm 0.1: g=0.5·0.1/(0.5+1e-6)
		{NewSGD(WithLR(1), WithClipNorm(0.1)), 1, 1 - 0.5*0.1/(0.5+1e-6)},
		// 8: RMSProp ρ=0.99: v=0.01·0.25=0.0025, d=0.5/(0.05+1e-8)
		{NewRMSProp(WithLR(0.01)), 1, 1 - 0.01*0.5/(0.05+1e-8)},
	}
	for i, c := range cases {
		w := tensor.New(tensor.WithShape(1), tensor.WithBacking([]float64{1}))
		g := tensor.New(tensor.WithShape(1), tensor.WithBacking([]float64{0}))
		for k := 0; k < c.steps; k++ {
			g.Float64s()[0] = 0.5
			if err := c.s.Step([]gorgonia.ValueGrad{vg{w, g}}); err != nil {
				t.Fatalf("case %d: %v", i, err)
			}
		}
		if got := w.Float64s()[0]; math.Abs(got-c.want) > tol {
			t.Errorf("case %d: got:%v want:%v", i, got, c.want)
		}
	}
}

// TestAdamWDiffersFromAdamL2 checks that decoupled decay is not Adam+L2 with
// the same coefficient: after one step from w=1, g=0 Adam+L2 moves by the
// full lr (m̂/√v̂ = 1) while AdamW moves by lr·wd.
func TestAdamWDiffersFromAdamL2(t *testing.T) {
	const tol = 1e-9
	run := func(s Solver) float64 {
		w := tensor.New(tensor.WithShape(1), tensor.WithBacking([]float64{1}))
		g := tensor.New(tensor.WithShape(1), tensor.WithBacking([]float64{0}))
		if err := s.Step([]gorgonia.ValueGrad{vg{w, g}}); err != nil {
			t.Fatal(err)
		}
		return w.Float64s()[0]
	}
	adamL2 := run(NewAdam(WithLR(0.1), WithL2(0.1)))
	adamW := run(NewAdamW(WithLR(0.1), WithWeightDecay(0.1)))
	if want := 1 - 0.1*0.1/(0.1+1e-8); math.Abs(adamL2-want) > tol { // g=0.1·1, m̂/(√v̂+ε)≈1
		t.Errorf("adam+l2: got:%v want:%v", adamL2, want)
	}
	if want := 0.99; math.Abs(adamW-want) > tol { // only 1−lr·wd
		t.Errorf("adamw: got:%v want:%v", adamW, want)
	}
}

// TestSchedules checks schedule values at given steps (hand-computed).
func TestSchedules(t *testing.T) {
	const tol = 1e-15
	cases := []struct {
		s    Schedule
		step int
		want float64
	}{
		{Constant(0.1), 0, 0.1},                                                        // 0
		{Constant(0.1), 1000, 0.1},                                                     // 1
		{StepDecay{Base: 1, StepSize: 10, Gamma: 0.5}, 9, 1},                           // 2
		{StepDecay{Base: 1, StepSize: 10, Gamma: 0.5}, 10, 0.5},                        // 3
		{StepDecay{Base: 1, StepSize: 10, Gamma: 0.5}, 25, 0.25},                       // 4
		{Exponential{Base: 2, Gamma: 0.5}, 3, 0.25},                                    // 5
		{Cosine{Base: 1, MinLR: 0, TMax: 100}, 0, 1},                                   // 6
		{Cosine{Base: 1, MinLR: 0, TMax: 100}, 50, 0.5},                                // 7
		{Cosine{Base: 1, MinLR: 0.1, TMax: 100}, 100, 0.1},                             // 8
		{Cosine{Base: 1, MinLR: 0.1, TMax: 100}, 500, 0.1},                             // 9: stays at MinLR
		{Cosine{Base: 1, MinLR: 0, TMax: 4}, 1, (1 + math.Sqrt2/2) / 2},                // 10: cos(π/4)
		{Warmup{Steps: 4, Inner: Constant(0.8)}, 0, 0.2},                               // 11
		{Warmup{Steps: 4, Inner: Constant(0.8)}, 3, 0.8},                               // 12
		{Warmup{Steps: 4, Inner: StepDecay{Base: 1, StepSize: 2, Gamma: 0.1}}, 6, 0.1}, // 13: inner step 2
		{Warmup{Steps: 0, Inner: Exponential{Base: 1, Gamma: 0.5}}, 1, 0.5},            // 14
	}
	for i, c := range cases {
		if got := c.s.LR(c.step); math.Abs(got-c.want) > tol {
			t.Errorf("case %d: got:%v want:%v", i, got, c.want)
		}
	}
}

// TestScheduleDrivesSolver checks that Step uses LR(Steps()) and that SetLR
// detaches the schedule.
func TestScheduleDrivesSolver(t *testing.T) {
	s, err := New(Config{Name: "sgd", LR: 1, Schedule: ScheduleConfig{Kind: "step", StepSize: 1, Gamma: 0.5}})
	if err != nil {
		t.Fatal(err)
	}
	w := tensor.New(tensor.WithShape(1), tensor.WithBacking([]float64{0}))
	g := tensor.New(tensor.WithShape(1), tensor.WithBacking([]float64{0}))
	for k, want := range []float64{-1, -1.5, -1.75} { // steps of 1, 0.5, 0.25
		g.Float64s()[0] = 1
		if err := s.Step([]gorgonia.ValueGrad{vg{w, g}}); err != nil {
			t.Fatal(err)
		}
		if got := w.Float64s()[0]; got != want {
			t.Errorf("step %d: got:%v want:%v", k, got, want)
		}
	}
	if got, want := s.LR(), 0.125; got != want {
		t.Errorf("LR: got:%v want:%v", got, want)
	}
	s.SetLR(0.5)
	g.Float64s()[0] = 1
	if err := s.Step([]gorgonia.ValueGrad{vg{w, g}}); err != nil {
		t.Fatal(err)
	}
	if got, want := w.Float64s()[0], -2.25; got != want {
		t.Errorf("after SetLR: got:%v want:%v", got, want)
	}
	if got, want := s.LR(), 0.5; got != want {
		t.Errorf("LR after SetLR: got:%v want:%v", got, want)
	}
}

// TestValidate checks that errors name the key.
func TestValidate(t *testing.T) {
	cases := []struct {
		c    Config
		want string // substring of the error; "" means valid
	}{
		{Config{Name: "sgd", LR: 0.1}, ""},                                                                                                                   // 0
		{Config{Name: "sgd", LR: -1}, "optimizer.lr: must be > 0, got -1"},                                                                                   // 1
		{Config{Name: "sgdd", LR: 1}, `optimizer.name: unknown optimizer "sgdd"`},                                                                            // 2
		{Config{LR: 1}, "optimizer.name: missing"},                                                                                                           // 3
		{Config{Name: "adam", LR: 1, Beta1: new(1.0)}, "optimizer.beta1: must be in [0, 1), got 1"},                                                          // 4
		{Config{Name: "sgd", LR: 1, Beta1: new(0.5)}, "optimizer.beta1: not used by sgd"},                                                                    // 5
		{Config{Name: "sgd", LR: 1, Nesterov: true}, "optimizer.nesterov: needs momentum > 0"},                                                               // 6
		{Config{Name: "adam", LR: 1, WeightDecay: new(0.1)}, "optimizer.weight_decay: adam takes no decoupled"},                                              // 7
		{Config{Name: "sgd", LR: 1, ClipNorm: -2}, "optimizer.clip_norm: must be >= 0, got -2"},                                                              // 8
		{Config{Name: "sgd", LR: 1, Schedule: ScheduleConfig{Kind: "step", Gamma: 0.5}}, "optimizer.schedule.step_size: must be > 0, got 0"},                 // 9
		{Config{Name: "sgd", LR: 1, Schedule: ScheduleConfig{Kind: "cosine", TMax: 10, MinLR: 2}}, "optimizer.schedule.min_lr: must be in [0, lr=1], got 2"}, // 10
		{Config{Name: "sgd", LR: 1, Schedule: ScheduleConfig{Kind: "poly"}}, `optimizer.schedule.kind: unknown schedule "poly"`},                             // 11
		{Config{Name: "sgd", LR: 1, Schedule: ScheduleConfig{Gamma: 0.5}}, `optimizer.schedule.gamma: not used by schedule kind ""`},                         // 12
		{Config{Name: "sgd", LR: math.NaN()}, "optimizer.lr: must be finite, got NaN"},                                                                       // 13
		{Config{Name: "rmsprop", LR: 0.1, Momentum: 0.9, WeightDecay: new(0.1), Schedule: ScheduleConfig{Kind: "cosine", TMax: 5, Warmup: 2}}, ""},           // 14
		{Config{Name: "sgd", LR: 1, Beta1: new(0.0), Beta2: new(0.0), Rho: new(0.0)}, ""},                                                                    // 15: run directories before pointers
		{Config{Name: "adam", LR: 1, Rho: new(0.0), WeightDecay: new(0.0)}, ""},                                                                              // 16
		{Config{Name: "adam", LR: 1, Beta2: new(-0.5)}, "optimizer.beta2: must be in [0, 1), got -0.5"},                                                      // 17
		{Config{Name: "rmsprop", LR: 1, Rho: new(0.2), Beta1: new(0.9)}, "optimizer.beta1: not used by rmsprop"},                                             // 18
		{Config{Name: "adamw", LR: 1, WeightDecay: new(-1.0)}, "optimizer.weight_decay: must be >= 0, got -1"},                                               // 19
	}
	for i, c := range cases {
		_, err := New(c.c)
		if c.want == "" {
			if err != nil {
				t.Errorf("case %d: got:%v want:nil", i, err)
			}
			continue
		}
		var fe config.FieldError
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.As(err, &fe) {
			t.Errorf("case %d: got:%v want:%v", i, err, c.want)
		}
		// Validate gives the same message with the key relative to the section.
		if err := c.c.Validate(); err == nil || !strings.Contains(err.Error(), strings.TrimPrefix(c.want, KeyPrefix+".")) {
			t.Errorf("case %d: Validate got:%v want:%v", i, err, strings.TrimPrefix(c.want, KeyPrefix+"."))
		}
	}
}

// TestOptionsPanic checks that the functional constructors panic on invalid
// values (programmer error).
func TestOptionsPanic(t *testing.T) {
	defer func() {
		r := recover()
		if r == nil || !strings.HasPrefix(fmt.Sprint(r), "solvers: optimizer.lr") {
			t.Errorf("got:%v want:panic solvers: optimizer.lr...", r)
		}
	}()
	NewSGD(WithLR(0))
}

// TestStateRoundTrip checks that a solver restored from MarshalBinary
// continues bit-identically to one that never stopped, for every rule.
func TestStateRoundTrip(t *testing.T) {
	cases := []Config{
		{Name: "sgd", LR: 0.1, Momentum: 0.9, Nesterov: true},                                   // 0
		{Name: "adamw", LR: 0.01, Schedule: ScheduleConfig{Kind: "cosine", TMax: 6, Warmup: 1}}, // 1
		{Name: "rmsprop", LR: 0.01, Momentum: 0.5, ClipNorm: 1},                                 // 2
		{Name: "sgd", LR: 0.1}, // 3: no buffers
	}
	for i, cfg := range cases {
		for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
			a, _ := New(cfg)
			pa := makeParams(dt, initW)
			for k := 0; k < 3; k++ {
				setGrads(pa, gradAt(read(pa), k))
				if err := a.Step(toVG(pa)); err != nil {
					t.Fatal(err)
				}
			}
			blob, err := a.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := New(cfg)
			if err := b.UnmarshalBinary(blob); err != nil {
				t.Fatalf("case %d: %v", i, err)
			}
			pb := makeParams(dt, read(pa))
			for k := 3; k < 7; k++ {
				setGrads(pa, gradAt(read(pa), k))
				setGrads(pb, gradAt(read(pb), k))
				if err := a.Step(toVG(pa)); err != nil {
					t.Fatal(err)
				}
				if err := b.Step(toVG(pb)); err != nil {
					t.Fatal(err)
				}
			}
			ga, gb := read(pa), read(pb)
			for x := range ga {
				for y := range ga[x] {
					if ga[x][y] != gb[x][y] {
						t.Errorf("case %d %v: param %d[%d] got:%v want:%v", i, dt, x, y, gb[x][y], ga[x][y])
					}
				}
			}
			ba, _ := a.MarshalBinary()
			bb, _ := b.MarshalBinary()
			if string(ba) != string(bb) {
				t.Errorf("case %d %v: states differ after continuation", i, dt)
			}
		}
	}
}

// TestStateErrors checks that mismatched or corrupt states are rejected.
func TestStateErrors(t *testing.T) {
	a := NewAdam()
	ps := makeParams(tensor.Float64, initW)
	setGrads(ps, gradAt(initW, 0))
	if err := a.Step(toVG(ps)); err != nil {
		t.Fatal(err)
	}
	blob, _ := a.MarshalBinary()
	cases := []struct {
		s    Solver
		data []byte
		want string
	}{
		{NewSGD(), blob, `state is for solver "adam"`},                   // 0
		{NewAdam(), blob[:len(blob)-3], "do not fit"},                    // 1
		{NewAdam(), append(append([]byte(nil), blob...), 0), "trailing"}, // 2
		{NewAdam(), []byte("junk"), "missing header"},                    // 3
	}
	for i, c := range cases {
		err := c.s.UnmarshalBinary(c.data)
		if err == nil || !errors.Is(err, ErrState) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("case %d: got:%v want:%v", i, err, c.want)
		}
	}
	// Step with a different parameter list than the state.
	if err := a.Step(toVG(ps[:1])); err == nil || !strings.Contains(err.Error(), "got 1 parameters, the state has 2") {
		t.Errorf("got:%v want:parameter count error", err)
	}
	// Scalar values are not supported.
	sc := scalarVG{}
	if err := NewSGD().Step([]gorgonia.ValueGrad{sc}); err == nil || !strings.Contains(err.Error(), "want *tensor.Dense") {
		t.Errorf("got:%v want:type error", err)
	}
	// A NaN gradient with clip_norm stops the step.
	s := NewSGD(WithClipNorm(1))
	ps = makeParams(tensor.Float64, initW)
	ps[1].g.Float64s()[0] = math.NaN()
	if err := s.Step(toVG(ps)); err == nil || !strings.Contains(err.Error(), "norm is NaN") {
		t.Errorf("got:%v want:NaN norm error", err)
	}
}

type scalarVG struct{}

func (scalarVG) Value() gorgonia.Value         { return gorgonia.NewF64(1) }
func (scalarVG) Grad() (gorgonia.Value, error) { return gorgonia.NewF64(1), nil }

// TestLargeParallel checks the chunked, multi-goroutine path against the
// reference (a 300000-element float32 parameter; Adam with clip_norm and
// L2, which runs the scalar kernel, and plain AdamW, which runs the vector
// kernel where available) and that GOMAXPROCS 1 and 2 give bit-identical
// results.
func TestLargeParallel(t *testing.T) {
	for i, cfg := range []Config{
		{Name: "adam", LR: 0.01, ClipNorm: 50, L2: 0.01},  // 0
		{Name: "adamw", LR: 0.01, WeightDecay: new(0.05)}, // 1
	} {
		largeParallel(t, i, cfg)
	}
}

func largeParallel(t *testing.T, c int, cfg Config) {
	const (
		n   = 300000
		tol = 2e-5
	)
	runWith := func(procs int) ([]float32, [][]float64) {
		old := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(old)
		w0 := make([]float64, n)
		for i := range w0 {
			w0[i] = math.Sin(float64(i) * 0.01)
		}
		w := make([]float32, n)
		for i := range w {
			w[i] = float32(w0[i])
		}
		wt := tensor.New(tensor.WithShape(n), tensor.WithBacking(w))
		gt := tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(n))
		s, _ := New(cfg)
		ref := &refOpt{c: cfg}
		rw := [][]float64{w0}
		for k := 0; k < 3; k++ {
			gd := gt.Float32s()
			rg := make([]float64, n)
			for i := range gd {
				gd[i] = float32(float64(w[i]) - math.Cos(float64(i+k)))
				rg[i] = rw[0][i] - math.Cos(float64(i+k))
			}
			ref.step(rw, [][]float64{rg})
			if err := s.Step([]gorgonia.ValueGrad{vg{wt, gt}}); err != nil {
				t.Fatal(err)
			}
		}
		return w, rw
	}
	w1, ref := runWith(1)
	w2, _ := runWith(2)
	for i := range w1 {
		if w1[i] != w2[i] {
			t.Fatalf("case %d element %d: GOMAXPROCS 2 got:%v GOMAXPROCS 1 want:%v", c, i, w2[i], w1[i])
		}
		if d := math.Abs(float64(w1[i]) - ref[0][i]); d > tol {
			t.Fatalf("case %d element %d: got:%v want:%v", c, i, w1[i], ref[0][i])
		}
	}
}

// TestConfigLoader decodes an optimizer section with package config and
// checks that a bad value is reported at its key and line.
func TestConfigLoader(t *testing.T) {
	var dst struct {
		Optimizer Config `yaml:"optimizer"`
	}
	const doc = "optimizer:\n  name: adam\n  lr: 0.001\n  schedule:\n    kind: step\n    step_size: 100\n    gamma: -0.5\n"
	err := config.Decode(strings.NewReader(doc), "run.yaml", nil, &dst)
	want := "run.yaml:7:12: optimizer.schedule.gamma: must be > 0, got -0.5"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got:%v want:%v", err, want)
	}
	dst.Optimizer = Config{}
	ok := "optimizer:\n  name: sgd\n  lr: 0.1\n  momentum: 0.9\n  nesterov: true\n  clip_norm: 5\n  schedule: {kind: cosine, t_max: 1000, warmup: 10, min_lr: 0.001}\n"
	if err := config.Decode(strings.NewReader(ok), "ok.yaml", nil, &dst); err != nil {
		t.Fatal(err)
	}
	if _, err := New(dst.Optimizer); err != nil || dst.Optimizer.Schedule.TMax != 1000 {
		t.Errorf("got:%+v %v want:t_max 1000", dst.Optimizer, err)
	}
}

// TestAdamVectorMatchesScalar checks that the vector (AVX) float32 Adam
// kernel gives bit-identical results to the scalar kernel, for Adam and
// AdamW over 3 steps on 1003 elements (8-element blocks plus a tail).
func TestAdamVectorMatchesScalar(t *testing.T) {
	if !hasAVX {
		t.Skip("no vector kernel on this CPU/architecture")
	}
	const n = 1003
	for i, cfg := range []Config{{Name: "adam", LR: 0.01}, {Name: "adamw", LR: 0.01, WeightDecay: new(0.1), Beta1: new(0.8)}} {
		s := build(cfg.WithDefaults(), nil)
		mk := func() (w, g, m, v []float32) {
			w, g, m, v = make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
			for j := range w {
				w[j] = float32(math.Sin(float64(j)))
			}
			return
		}
		w1, g1, m1, v1 := mk()
		w2, g2, m2, v2 := mk()
		for step := 0; step < 3; step++ {
			for j := range g1 {
				g1[j] = float32(math.Cos(float64(j*(step+1)))) * 1e-2
				g2[j] = g1[j]
			}
			s.lr = cfg.LR
			s.setHyper(1)
			s.steps++
			k := adamF32Vector(w1, g1, m1, v1, &s.h32)
			if k != n&^7 {
				t.Fatalf("case %d: vector kernel did %d elements, want %d", i, k, n&^7)
			}
			adamKernel(w1[k:], g1[k:], m1[k:], v1[k:], &s.h32)
			adamKernel(w2, g2, m2, v2, &s.h32)
		}
		for j := range w1 {
			if w1[j] != w2[j] || m1[j] != m2[j] || v1[j] != v2[j] || g1[j] != 0 {
				t.Fatalf("case %d element %d: got:%v,%v,%v want:%v,%v,%v (w,m,v)", i, j, w1[j], m1[j], v1[j], w2[j], m2[j], v2[j])
			}
		}
	}
}

// TestExplicitZero checks that a hyperparameter written as 0 in YAML or
// -set is 0, and that an absent one gets its default.
func TestExplicitZero(t *testing.T) {
	cases := []struct {
		yaml string
		sets []string
		want [4]float64 // effective beta1, beta2, rho, weight_decay
	}{
		{"name: adam\nlr: 0.1\n", nil, [4]float64{DefaultBeta1, DefaultBeta2, 0, 0}},                              // 0
		{"name: adam\nlr: 0.1\nbeta1: 0\n", nil, [4]float64{0, DefaultBeta2, 0, 0}},                               // 1
		{"name: adam\nlr: 0.1\n", []string{"beta1=0", "beta2=0"}, [4]float64{0, 0, 0, 0}},                         // 2
		{"name: adamw\nlr: 0.1\n", nil, [4]float64{DefaultBeta1, DefaultBeta2, 0, DefaultAdamWDecay}},             // 3
		{"name: adamw\nlr: 0.1\nweight_decay: 0\n", nil, [4]float64{DefaultBeta1, DefaultBeta2, 0, 0}},            // 4
		{"name: rmsprop\nlr: 0.1\n", nil, [4]float64{0, 0, DefaultRho, 0}},                                        // 5
		{"name: rmsprop\nlr: 0.1\nrho: 0.0\n", nil, [4]float64{0, 0, 0, 0}},                                       // 6
		{"name: adam\nlr: 0.1\nbeta1: 0\n", []string{"beta1=null"}, [4]float64{DefaultBeta1, DefaultBeta2, 0, 0}}, // 7: null is unset
		{"name: sgd\nlr: 0.1\nbeta1: 0.0\nrho: 0.0\n", nil, [4]float64{0, 0, 0, 0}},                               // 8: old run directories
	}
	for i, c := range cases {
		var cfg Config
		if err := config.Decode(strings.NewReader(c.yaml), "opt.yaml", c.sets, &cfg); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		d := cfg.WithDefaults()
		got := [4]float64{deref(d.Beta1), deref(d.Beta2), deref(d.Rho), deref(d.WeightDecay)}
		if got != c.want {
			t.Errorf("case %d: got:%v want:%v", i, got, c.want)
		}
		s, err := New(cfg)
		if err != nil {
			t.Fatalf("case %d: New: %v", i, err)
		}
		in := s.(*solver)
		if got := [4]float64{in.beta1, in.beta2, in.rho, in.wd}; got != c.want {
			t.Errorf("case %d: solver got:%v want:%v", i, got, c.want)
		}
	}
}
