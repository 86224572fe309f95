package gradcheck

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selunet/selunet/graph"
)

// Func builds the expression under test on g from the input nodes in (one per
// input value, float64, same shapes) and returns its output node. It must be
// deterministic: Check calls it several times on fresh graphs and executes
// the forward pass many times, so stochastic ops must run with a frozen mask.
type Func func(g *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error)

// Default settings; see the Option functions.
const (
	DefaultEps    = 1e-6 // central-difference step
	DefaultAbsTol = 1e-6 // absolute tolerance on each gradient element
	DefaultRelTol = 1e-5 // relative tolerance on each gradient element
	DefaultSeed   = 1    // seed of the random projection r
)

type config struct {
	eps, abs, rel      float64
	seed               uint64
	skipLisp, skipTape bool
	wrt                []int
}

// Option changes a setting of Check.
type Option func(*config)

// WithEps sets the central-difference step h (default DefaultEps). It panics
// if h is not positive.
func WithEps(h float64) Option {
	if !(h > 0) {
		panic("gradcheck: WithEps: step must be positive")
	}
	return func(c *config) { c.eps = h }
}

// WithTol sets the tolerances: an element passes when
// |got − want| ≤ abs + rel·|want| (defaults DefaultAbsTol, DefaultRelTol).
// It panics if either is negative.
func WithTol(abs, rel float64) Option {
	if abs < 0 || rel < 0 {
		panic("gradcheck: WithTol: negative tolerance")
	}
	return func(c *config) { c.abs, c.rel = abs, rel }
}

// WithSeed sets the seed of the random projection r (default DefaultSeed).
func WithSeed(seed uint64) Option { return func(c *config) { c.seed = seed } }

// WithRespectTo restricts the check to the inputs with the given indices; the
// other inputs are still fed to f but treated as constants (use it for
// non-differentiable inputs such as masks or labels). It panics on an
// empty list; Check returns an error on an index out of range.
func WithRespectTo(idx ...int) Option {
	if len(idx) == 0 {
		panic("gradcheck: WithRespectTo: no inputs")
	}
	idx = append([]int(nil), idx...)
	return func(c *config) { c.wrt = idx }
}

// SkipLisp skips the LispMachine autodiff comparison. Use it only for an op
// that deliberately has no ADOp (LispMachine then cannot differentiate it) or
// for Gorgonia built-ins whose ADOp is broken upstream; say why in the test.
func SkipLisp() Option { return func(c *config) { c.skipLisp = true } }

// SkipTape skips the symbolic (gorgonia.Grad + TapeMachine) comparison. Use it
// only for an op without SDOp; say why in the test.
func SkipTape() Option { return func(c *config) { c.skipTape = true } }

// MismatchError reports one gradient element that differs from the central
// difference by more than the tolerance.
type MismatchError struct {
	Method    string // "tape" (symbolic, TapeMachine) or "lisp" (LispMachine autodiff)
	Input     int    // index of the input
	Index     int    // flat (row-major) element index within that input
	Got, Want float64
	Abs, Rel  float64 // tolerances in force
	Count     int     // number of mismatching elements over all inputs for Method
}

// Error describes the first mismatch and how many there were.
func (e *MismatchError) Error() string {
	return fmt.Sprintf("gradcheck: %s gradient of input %d element %d: got:%.12g want:%.12g (|diff| %.3g > %.3g + %.3g·|want|; %d element(s) mismatch)",
		e.Method, e.Input, e.Index, e.Got, e.Want, math.Abs(e.Got-e.Want), e.Abs, e.Rel, e.Count)
}

// Check compares, for every element of every input, (1) the symbolic gradient
// from gorgonia.Grad executed on a TapeMachine and (2) the LispMachine
// autodiff gradient against central finite differences of the scalar
// L(x) = sum(f(x) ⊙ r), where r has f's output shape and holds fixed
// N(0,1) values drawn from the seed (so every output element matters). All
// graphs are float64: float32 inputs are converted. Inputs are never modified.
//
// It returns nil if all gradients agree within the tolerance, a *MismatchError
// for the first disagreeing element (tape before lisp), or another error if f
// fails, an input is nil or not float32/float64, f's output is not float64,
// a machine fails, or f's forward pass modifies one of its inputs.
//
// Keep inputs away from kinks (|x| > 10·eps from a non-smooth point) and
// small: the finite differences cost two forward passes per element.
func Check(f Func, inputs []*tensor.Dense, opts ...Option) error {
	c := config{eps: DefaultEps, abs: DefaultAbsTol, rel: DefaultRelTol, seed: DefaultSeed}
	for _, o := range opts {
		o(&c)
	}
	if f == nil {
		return fmt.Errorf("gradcheck: nil Func")
	}
	if len(inputs) == 0 {
		return fmt.Errorf("gradcheck: no inputs")
	}
	xs := make([][]float64, len(inputs))
	shapes := make([]tensor.Shape, len(inputs))
	for i, in := range inputs {
		if in == nil {
			return fmt.Errorf("gradcheck: input %d is nil", i)
		}
		shapes[i] = in.Shape().Clone()
		switch in.Dtype() {
		case tensor.Float64:
			xs[i] = append([]float64(nil), in.Float64s()...)
		case tensor.Float32:
			for _, v := range in.Float32s() {
				xs[i] = append(xs[i], float64(v))
			}
		default:
			return fmt.Errorf("gradcheck: input %d has dtype %v, want Float32 or Float64", i, in.Dtype())
		}
	}
	wrt := c.wrt
	if wrt == nil {
		for i := range inputs {
			wrt = append(wrt, i)
		}
	}
	for _, i := range wrt {
		if i < 0 || i >= len(inputs) {
			return fmt.Errorf("gradcheck: WithRespectTo index %d out of range [0,%d)", i, len(inputs))
		}
	}

	// finite differences
	fd, err := newBuilt(f, xs, shapes, c.seed)
	if err != nil {
		return err
	}
	defer fd.m.Close()
	want := make([][]float64, len(xs))
	for _, i := range wrt {
		want[i] = make([]float64, len(xs[i]))
		for j := range xs[i] {
			x0 := xs[i][j]
			lp, err := fd.lossAt(i, j, x0+c.eps)
			if err != nil {
				return err
			}
			lm, err := fd.lossAt(i, j, x0-c.eps)
			if err != nil {
				return err
			}
			if err := fd.set(i, j, x0); err != nil {
				return err
			}
			want[i][j] = (lp - lm) / (2 * c.eps)
		}
	}

	if !c.skipTape {
		got, err := tapeGrads(f, xs, shapes, c.seed, wrt)
		if err != nil {
			return err
		}
		if e := compare("tape", got, want, wrt, c); e != nil {
			return e
		}
	}
	if !c.skipLisp {
		got, err := lispGrads(f, xs, shapes, c.seed, wrt)
		if err != nil {
			return err
		}
		if e := compare("lisp", got, want, wrt, c); e != nil {
			return e
		}
	}
	return nil
}

// T runs Check and reports a failure through t.Error.
func T(t testing.TB, f Func, inputs []*tensor.Dense, opts ...Option) {
	t.Helper()
	if err := Check(f, inputs, opts...); err != nil {
		t.Error(err)
	}
}

// Unary runs T on the op that apply builds from one input x: the whole
// gradient check of an elementwise op, e.g.
//
//	gradcheck.Unary(t, selu.Apply, gradcheck.Randn(1, 3, 4))
func Unary(t testing.TB, apply func(*gorgonia.Node) (*gorgonia.Node, error), x *tensor.Dense, opts ...Option) {
	t.Helper()
	T(t, func(_ *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) { return apply(in[0]) }, []*tensor.Dense{x}, opts...)
}

// Randn returns a float64 tensor of the given shape (a scalar if none) filled
// with N(0,1) draws from a PCG seeded with seed.
func Randn(seed uint64, shape ...int) *tensor.Dense {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	s := tensor.Shape(shape)
	b := make([]float64, s.TotalSize())
	for i := range b {
		b[i] = rng.NormFloat64()
	}
	if len(shape) == 0 {
		return tensor.New(tensor.FromScalar(b[0]))
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(b))
}

func compare(method string, got, want [][]float64, wrt []int, c config) error {
	var first *MismatchError
	count := 0
	for _, i := range wrt {
		for j := range want[i] {
			g, w := got[i][j], want[i][j]
			if !(math.Abs(g-w) <= c.abs+c.rel*math.Abs(w)) {
				count++
				if first == nil {
					first = &MismatchError{Method: method, Input: i, Index: j, Got: g, Want: w, Abs: c.abs, Rel: c.rel}
				}
			}
		}
	}
	if first != nil {
		first.Count = count
		return first
	}
	return nil
}

// built is one float64 graph with input nodes bound to private copies of the
// input values and the scalar loss sum(f(x) ⊙ r).
type built struct {
	g    *gorgonia.ExprGraph
	ins  []*gorgonia.Node
	vals []gorgonia.Value // bound values (*tensor.Dense, or nil for scalars)
	xs   [][]float64      // working copies (backing arrays of vals for tensors)
	orig [][]float64
	loss *gorgonia.Node
	lv   gorgonia.Value
	m    gorgonia.VM
}

func build(f Func, xs [][]float64, shapes []tensor.Shape, seed uint64) (*built, error) {
	b := &built{g: gorgonia.NewGraph(), orig: xs}
	for i, x := range xs {
		cp := append([]float64(nil), x...)
		b.xs = append(b.xs, cp)
		name := fmt.Sprintf("gradcheck_in%d", i)
		var n *gorgonia.Node
		if len(shapes[i]) == 0 {
			n = gorgonia.NewScalar(b.g, tensor.Float64, gorgonia.WithName(name), gorgonia.WithValue(cp[0]))
			b.vals = append(b.vals, nil)
		} else {
			v := tensor.New(tensor.WithShape(shapes[i].Clone()...), tensor.WithBacking(cp))
			n = gorgonia.NewTensor(b.g, tensor.Float64, len(shapes[i]), gorgonia.WithName(name), gorgonia.WithShape(shapes[i].Clone()...), gorgonia.WithValue(v))
			b.vals = append(b.vals, v)
		}
		b.ins = append(b.ins, n)
	}
	out, err := callF(f, b.g, b.ins)
	if err != nil {
		return nil, err
	}
	if out == nil {
		return nil, fmt.Errorf("gradcheck: Func returned a nil node")
	}
	if out.Dtype() != tensor.Float64 {
		return nil, fmt.Errorf("gradcheck: Func output %v is not float64 (the harness runs in float64)", out)
	}
	rng := rand.New(rand.NewPCG(seed, 0x9a7d))
	os := out.Shape()
	var prod *gorgonia.Node
	if os.IsScalar() {
		r := gorgonia.NewScalar(b.g, tensor.Float64, gorgonia.WithName("gradcheck_r"), gorgonia.WithValue(rng.NormFloat64()))
		prod, err = gorgonia.Mul(out, r)
	} else {
		rb := make([]float64, os.TotalSize())
		for i := range rb {
			rb[i] = rng.NormFloat64()
		}
		rv := tensor.New(tensor.WithShape(os.Clone()...), tensor.WithBacking(rb))
		r := gorgonia.NewTensor(b.g, tensor.Float64, len(os), gorgonia.WithName("gradcheck_r"), gorgonia.WithShape(os.Clone()...), gorgonia.WithValue(rv))
		if prod, err = gorgonia.HadamardProd(out, r); err == nil {
			prod, err = gorgonia.Sum(prod)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("gradcheck: building loss: %w", err)
	}
	b.loss = prod
	return b, nil
}

// callF runs f, turning a graph-building panic into an error.
func callF(f Func, g *gorgonia.ExprGraph, ins []*gorgonia.Node) (out *gorgonia.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("gradcheck: Func panicked: %v", r)
		}
	}()
	out, err = f(g, ins)
	if err != nil {
		err = fmt.Errorf("gradcheck: Func: %w", err)
	}
	return out, err
}

func newBuilt(f Func, xs [][]float64, shapes []tensor.Shape, seed uint64) (*built, error) {
	b, err := build(f, xs, shapes, seed)
	if err != nil {
		return nil, err
	}
	gorgonia.Read(b.loss, &b.lv)
	b.m = graph.NewTapeMachine(b.g, nil, false)
	return b, nil
}

// set writes input i element j (in place for tensors, by Let for scalars).
func (b *built) set(i, j int, v float64) error {
	b.xs[i][j] = v
	if b.vals[i] == nil {
		return gorgonia.Let(b.ins[i], v)
	}
	return nil
}

// lossAt evaluates L with input i element j set to v, and checks that the
// forward pass left every input unchanged.
func (b *built) lossAt(i, j int, v float64) (float64, error) {
	if err := b.set(i, j, v); err != nil {
		return 0, err
	}
	b.m.Reset()
	if err := b.m.RunAll(); err != nil {
		return 0, fmt.Errorf("gradcheck: forward pass: %w", err)
	}
	for k, x := range b.xs {
		for l := range x {
			want := b.orig[k][l]
			if k == i && l == j {
				want = v
			}
			// Compare bit patterns: a NaN input (a masked-out label, say)
			// is unchanged even though NaN != NaN.
			if math.Float64bits(x[l]) != math.Float64bits(want) {
				return 0, fmt.Errorf("gradcheck: the forward pass modified input %d element %d (%v -> %v): an op writes into its input", k, l, want, x[l])
			}
		}
	}
	return scalarOf(b.lv)
}

func scalarOf(v gorgonia.Value) (float64, error) {
	if v == nil {
		return 0, fmt.Errorf("gradcheck: loss was not computed")
	}
	switch d := v.Data().(type) {
	case float64:
		return d, nil
	case []float64:
		if len(d) == 1 {
			return d[0], nil
		}
	}
	return 0, fmt.Errorf("gradcheck: loss is %T, want a float64 scalar", v.Data())
}

func valuesOf(v gorgonia.Value, n int) ([]float64, error) {
	if v == nil {
		return nil, fmt.Errorf("gradcheck: no gradient computed")
	}
	var out []float64
	switch d := v.Data().(type) {
	case float64:
		out = []float64{d}
	case []float64:
		out = append(out, d...)
	default:
		return nil, fmt.Errorf("gradcheck: gradient is %T, want float64 data", v.Data())
	}
	if len(out) != n {
		return nil, fmt.Errorf("gradcheck: gradient has %d elements, want %d", len(out), n)
	}
	return out, nil
}

func tapeGrads(f Func, xs [][]float64, shapes []tensor.Shape, seed uint64, wrt []int) ([][]float64, error) {
	b, err := build(f, xs, shapes, seed)
	if err != nil {
		return nil, err
	}
	var wn gorgonia.Nodes
	for _, i := range wrt {
		wn = append(wn, b.ins[i])
	}
	if _, err := gorgonia.Grad(b.loss, wn...); err != nil {
		return nil, fmt.Errorf("gradcheck: gorgonia.Grad: %w", err)
	}
	m := graph.NewTapeMachine(b.g, nil, false, gorgonia.BindDualValues(wn...))
	defer m.Close()
	if err := m.RunAll(); err != nil {
		return nil, fmt.Errorf("gradcheck: tape machine: %w", err)
	}
	return collect(b, xs, wrt)
}

func lispGrads(f Func, xs [][]float64, shapes []tensor.Shape, seed uint64, wrt []int) ([][]float64, error) {
	b, err := build(f, xs, shapes, seed)
	if err != nil {
		return nil, err
	}
	m := gorgonia.NewLispMachine(b.g)
	defer m.Close()
	if err := m.RunAll(); err != nil {
		return nil, fmt.Errorf("gradcheck: lisp machine: %w", err)
	}
	return collect(b, xs, wrt)
}

func collect(b *built, xs [][]float64, wrt []int) ([][]float64, error) {
	got := make([][]float64, len(xs))
	for _, i := range wrt {
		gv, err := b.ins[i].Grad()
		if err != nil {
			return nil, fmt.Errorf("gradcheck: gradient of input %d: %w", i, err)
		}
		if got[i], err = valuesOf(gv, len(xs[i])); err != nil {
			return nil, fmt.Errorf("input %d: %w", i, err)
		}
	}
	return got, nil
}
