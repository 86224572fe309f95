package solvers

import (
	"fmt"
	"math"
	"runtime"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selunet/selunet/internal/par"
)

// Solver is a gorgonia.Solver with a settable learning rate and a state that
// can be checkpointed.
//
// Step updates every value from its gradient in place and then zeroes the
// gradients (Gorgonia's convention), unless zeroing was turned off with
// WithoutZeroGrads or GradZeroer.SetZeroGrads(false). The parameters must be passed in the
// same order to every call (the state is kept per index).
//
// SetLR sets the learning rate of the following steps; if a Schedule is
// attached, SetLR detaches it for good (the rate stays constant afterwards).
// LR returns the rate the next Step will use. Steps returns the number of
// successful Step calls (the t of the update rules is Steps()+1 during a
// call). Name returns the configured name ("sgd", "adam", "adamw",
// "rmsprop").
//
// MarshalBinary saves the step counter, the learning rate and every buffer
// bit for bit; UnmarshalBinary restores them into a solver built with the
// same configuration (it fails if the names or buffer layouts differ).
type Solver interface {
	gorgonia.Solver
	SetLR(lr float64)
	LR() float64
	Steps() int
	Name() string
	MarshalBinary() ([]byte, error)
	UnmarshalBinary(data []byte) error
}

// GradZeroer is implemented by every solver of this package (assert it on a
// Solver: s.(solvers.GradZeroer)). SetZeroGrads(false) makes the following
// Step calls leave the gradients untouched instead of zeroing them; the
// updates are bit-identical either way. ZeroGrads reports the setting
// (true by default). The setting is not part of the saved state
// (MarshalBinary).
//
// Zeroing is needed only when something accumulates into the gradients
// across runs (dual values bound with gorgonia.BindDualValues on a
// LispMachine, or a caller that adds into them). A TapeMachine running a
// graph differentiated with gorgonia.Grad overwrites the gradient nodes'
// values on every run, so a training loop that hands the solver those values
// (backend.GradPairs) can skip the write pass over every gradient:
//
//	if z, ok := s.(solvers.GradZeroer); ok {
//		z.SetZeroGrads(false)
//	}
type GradZeroer interface {
	SetZeroGrads(zero bool)
	ZeroGrads() bool
}

var _ GradZeroer = (*solver)(nil)

type kind int

const (
	kindSGD kind = iota
	kindAdam
	kindRMSProp
)

// chunkSize is the number of elements one goroutine updates at a time;
// smaller models run on the calling goroutine.
const chunkSize = 1 << 16

// clipNormEps is added to the global norm before dividing (as PyTorch).
const clipNormEps = 1e-6

// paramState is the optimizer state of one parameter. Buffer a is the
// momentum buffer (SGD, RMSProp) or Adam's first moment; buffer b is the
// second moment (Adam, RMSProp). Unused buffers are nil.
type paramState struct {
	dt       tensor.Dtype
	n        int
	a32, b32 []float32
	a64, b64 []float64
}

// param is one parameter's backing slices for the current Step.
type param struct {
	w32, g32 []float32
	w64, g64 []float64
}

type chunk struct{ p, lo, hi int }

// solver implements Solver for every rule of the package.
type solver struct {
	name string
	kind kind

	lr       float64
	sched    Schedule
	detached bool // SetLR detached the schedule

	mom               float64
	nesterov          bool
	beta1, beta2, eps float64
	rho               float64
	wd, l2            float64
	clipNorm          float64
	clipValue         float64
	needA, needB      bool // which buffers the rule uses
	keepGrads         bool // Step does not zero the gradients

	steps   int
	state   []paramState
	params  []param
	chunks  []chunk
	partial []float64
	h32     hyper[float32]
	h64     hyper[float64]
}

// SetZeroGrads sets whether Step zeroes the gradients; see GradZeroer.
func (s *solver) SetZeroGrads(zero bool) { s.keepGrads = !zero }

// ZeroGrads reports whether Step zeroes the gradients.
func (s *solver) ZeroGrads() bool { return !s.keepGrads }

// Name returns the configured rule name.
func (s *solver) Name() string { return s.name }

// Steps returns the number of successful Step calls.
func (s *solver) Steps() int { return s.steps }

// LR returns the learning rate the next Step will use.
func (s *solver) LR() float64 {
	if s.sched != nil {
		return s.sched.LR(s.steps)
	}
	return s.lr
}

// SetLR sets the learning rate and detaches any schedule.
func (s *solver) SetLR(lr float64) {
	s.lr = lr
	if s.sched != nil {
		s.sched = nil
		s.detached = true
	}
}

// Step implements gorgonia.Solver; see Solver.
func (s *solver) Step(model []gorgonia.ValueGrad) error {
	if err := s.collect(model); err != nil {
		return fmt.Errorf("solvers: %s step %d: %w", s.name, s.steps+1, err)
	}
	if s.sched != nil {
		s.lr = s.sched.LR(s.steps)
	}
	s.makeChunks()
	scale := 1.0
	if s.clipNorm > 0 {
		norm := s.globalNorm()
		if math.IsNaN(norm) || math.IsInf(norm, 0) {
			return fmt.Errorf("solvers: %s step %d: global gradient norm is %v; no parameter was updated", s.name, s.steps+1, norm)
		}
		if c := s.clipNorm / (norm + clipNormEps); c < 1 {
			scale = c
		}
	}
	s.setHyper(scale)
	s.run(len(s.chunks), s.updateChunk)
	s.steps++
	return nil
}

// collect reads the backing slices of every value and gradient, checks them
// against the state and allocates the state on the first call.
func (s *solver) collect(model []gorgonia.ValueGrad) error {
	if s.state != nil && len(s.state) != len(model) {
		return fmt.Errorf("got %d parameters, the state has %d (pass the same parameters in the same order)", len(model), len(s.state))
	}
	if cap(s.params) < len(model) {
		s.params = make([]param, len(model))
	}
	s.params = s.params[:len(model)]
	fresh := s.state == nil
	if fresh {
		s.state = make([]paramState, len(model))
	}
	for i, vg := range model {
		p, dt, n, err := extract(vg)
		if err != nil {
			if fresh {
				s.state = nil
			}
			return fmt.Errorf("parameter %d%s: %w", i, nameOf(vg), err)
		}
		s.params[i] = p
		st := &s.state[i]
		if fresh {
			st.dt, st.n = dt, n
			s.alloc(st)
			continue
		}
		if st.dt != dt || st.n != n {
			return fmt.Errorf("parameter %d%s: %v with %d elements, the state has %v with %d (pass the same parameters in the same order)", i, nameOf(vg), dt, n, st.dt, st.n)
		}
	}
	return nil
}

func nameOf(vg gorgonia.ValueGrad) string {
	if nm, ok := vg.(gorgonia.Namer); ok {
		return fmt.Sprintf(" (%s)", nm.Name())
	}
	return ""
}

// extract returns the backing slices of a value and its gradient.
func extract(vg gorgonia.ValueGrad) (param, tensor.Dtype, int, error) {
	var p param
	wv := vg.Value()
	w, ok := wv.(*tensor.Dense)
	if !ok {
		return p, tensor.Dtype{}, 0, fmt.Errorf("value is %T, want *tensor.Dense", wv)
	}
	gv, err := vg.Grad()
	if err != nil {
		return p, tensor.Dtype{}, 0, fmt.Errorf("no gradient: %w", err)
	}
	g, ok := gv.(*tensor.Dense)
	if !ok {
		return p, tensor.Dtype{}, 0, fmt.Errorf("gradient is %T, want *tensor.Dense", gv)
	}
	if w.IsView() || g.IsView() {
		return p, tensor.Dtype{}, 0, fmt.Errorf("value or gradient is a view; materialize it first")
	}
	if w.Dtype() != g.Dtype() {
		return p, tensor.Dtype{}, 0, fmt.Errorf("value is %v, gradient is %v", w.Dtype(), g.Dtype())
	}
	switch w.Dtype() {
	case tensor.Float32:
		p.w32, p.g32 = w.Float32s(), g.Float32s()
		if len(p.w32) != len(p.g32) {
			return p, tensor.Dtype{}, 0, fmt.Errorf("value has %d elements, gradient %d", len(p.w32), len(p.g32))
		}
		return p, tensor.Float32, len(p.w32), nil
	case tensor.Float64:
		p.w64, p.g64 = w.Float64s(), g.Float64s()
		if len(p.w64) != len(p.g64) {
			return p, tensor.Dtype{}, 0, fmt.Errorf("value has %d elements, gradient %d", len(p.w64), len(p.g64))
		}
		return p, tensor.Float64, len(p.w64), nil
	}
	return p, tensor.Dtype{}, 0, fmt.Errorf("dtype %v not supported, want float32 or float64", w.Dtype())
}

// alloc allocates the zeroed buffers the rule needs.
func (s *solver) alloc(st *paramState) {
	if st.dt == tensor.Float32 {
		if s.needA {
			st.a32 = make([]float32, st.n)
		}
		if s.needB {
			st.b32 = make([]float32, st.n)
		}
		return
	}
	if s.needA {
		st.a64 = make([]float64, st.n)
	}
	if s.needB {
		st.b64 = make([]float64, st.n)
	}
}

// makeChunks cuts every parameter into chunks of at most chunkSize elements.
func (s *solver) makeChunks() {
	s.chunks = s.chunks[:0]
	for i, st := range s.state {
		for lo := 0; lo < st.n; lo += chunkSize {
			s.chunks = append(s.chunks, chunk{p: i, lo: lo, hi: min(lo+chunkSize, st.n)})
		}
	}
}

// run calls f(0..n-1) on up to GOMAXPROCS goroutines; small models (fewer
// than chunkSize elements in all) run inline.
func (s *solver) run(n int, f func(c int)) {
	total := 0
	for _, st := range s.state {
		total += st.n
	}
	workers := runtime.GOMAXPROCS(0)
	if total < chunkSize {
		workers = 1 // par.For runs the loop inline
	}
	par.For(workers, n, func(_, c int) { f(c) })
}

// globalNorm returns the L2 norm of all (value-clipped) gradients. Partial
// sums are added in chunk order, so the result does not depend on the number
// of goroutines.
func (s *solver) globalNorm() float64 {
	if cap(s.partial) < len(s.chunks) {
		s.partial = make([]float64, len(s.chunks))
	}
	s.partial = s.partial[:len(s.chunks)]
	clip := s.clipValue > 0
	s.run(len(s.chunks), func(c int) {
		ch := s.chunks[c]
		p := s.params[ch.p]
		if p.g32 != nil {
			s.partial[c] = sumSq(p.g32[ch.lo:ch.hi], float32(s.clipValue), clip)
		} else {
			s.partial[c] = sumSq(p.g64[ch.lo:ch.hi], s.clipValue, clip)
		}
	})
	var sum float64
	for _, v := range s.partial {
		sum += v
	}
	return math.Sqrt(sum)
}

// setHyper converts the constants of this step to both element types.
func (s *solver) setHyper(scale float64) {
	t := float64(s.steps + 1)
	h := hyper[float64]{
		lr:       s.lr,
		l2:       s.l2,
		clipV:    s.clipValue,
		scale:    scale,
		decay:    1 - s.lr*s.wd,
		mom:      s.mom,
		b1:       s.beta1,
		omb1:     1 - s.beta1,
		b2:       s.beta2,
		omb2:     1 - s.beta2,
		eps:      s.eps,
		rho:      s.rho,
		omRho:    1 - s.rho,
		hasL2:    s.l2 != 0,
		hasClipV: s.clipValue > 0,
		hasScale: scale != 1,
		hasDecay: s.wd != 0,
		hasMom:   s.mom != 0,
		nesterov: s.nesterov,
		zeroG:    !s.keepGrads,
	}
	if s.kind == kindAdam {
		h.stepSize = s.lr / (1 - math.Pow(s.beta1, t))
		h.invSqrtBC2 = 1 / math.Sqrt(1-math.Pow(s.beta2, t))
	}
	s.h64 = h
	s.h32 = hyper[float32]{
		lr: float32(h.lr), l2: float32(h.l2), clipV: float32(h.clipV), scale: float32(h.scale),
		decay: float32(h.decay), mom: float32(h.mom),
		b1: float32(h.b1), omb1: float32(h.omb1), b2: float32(h.b2), omb2: float32(h.omb2), eps: float32(h.eps),
		stepSize: float32(h.stepSize), invSqrtBC2: float32(h.invSqrtBC2),
		rho: float32(h.rho), omRho: float32(h.omRho),
		hasL2: h.hasL2, hasClipV: h.hasClipV, hasScale: h.hasScale, hasDecay: h.hasDecay,
		hasMom: h.hasMom, nesterov: h.nesterov, zeroG: h.zeroG,
	}
}

// updateChunk runs the fused kernel on one chunk.
func (s *solver) updateChunk(c int) {
	ch := s.chunks[c]
	p, st := s.params[ch.p], &s.state[ch.p]
	lo, hi := ch.lo, ch.hi
	if p.w32 != nil {
		w, g := p.w32[lo:hi], p.g32[lo:hi]
		a, b := sub(st.a32, lo, hi), sub(st.b32, lo, hi)
		switch s.kind {
		case kindSGD:
			sgdKernel(w, g, a, &s.h32)
		case kindAdam:
			k := adamF32Vector(w, g, a, b, &s.h32)
			adamKernel(w[k:], g[k:], a[k:], b[k:], &s.h32)
		case kindRMSProp:
			rmspropKernel(w, g, b, a, &s.h32)
		}
		return
	}
	w, g := p.w64[lo:hi], p.g64[lo:hi]
	a, b := sub(st.a64, lo, hi), sub(st.b64, lo, hi)
	switch s.kind {
	case kindSGD:
		sgdKernel(w, g, a, &s.h64)
	case kindAdam:
		adamKernel(w, g, a, b, &s.h64)
	case kindRMSProp:
		rmspropKernel(w, g, b, a, &s.h64)
	}
}

func sub[T float](x []T, lo, hi int) []T {
	if x == nil {
		return nil
	}
	return x[lo:hi]
}
