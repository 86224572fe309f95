package check

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime/debug"

	"github.com/selunet/selunet/graph"
	"github.com/selunet/selunet/graph/gradcheck"
	"github.com/selunet/selunet/losses"
	"github.com/selunet/selunet/ops/alphadropout"
	"github.com/selunet/selunet/ops/bias"
	"github.com/selunet/selunet/ops/selu"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// OpCase is one op under test: float32 inputs for the GPU/CPU comparison,
// float64 inputs for the gradient check, and which inputs are
// differentiable.
type OpCase struct {
	Name  string
	Build gradcheck.Func
	In32  func() []*tensor.Dense
	In64  func() []*tensor.Dense
	WRT   []int
	// Grad builds the graph for the gradient check when it differs from
	// Build (alpha dropout freezes its mask there).
	Grad gradcheck.Func
}

// Cases returns the ops with GPU kernels: SELU, alpha dropout (rate 0.05),
// the fused bias add, masked BCE on logits and weighted softmax
// cross-entropy, then two of Gorgonia's (matrix product, add) that the
// networks use beside them.
func Cases() []OpCase {
	const seed = 20250601
	apply1 := func(f func(*gorgonia.Node) (*gorgonia.Node, error)) gradcheck.Func {
		return func(_ *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) { return f(in[0]) }
	}
	frozen := []bool{true, false, true, true, true, false, true, true, false, true, true, true}
	return []OpCase{
		{Name: "selu", Build: apply1(selu.Apply), WRT: []int{0},
			In32: func() []*tensor.Dense { return []*tensor.Dense{randn32(1, 128, 1024)} },
			In64: func() []*tensor.Dense { return []*tensor.Dense{gradcheck.Randn(2, 3, 4)} }},
		{Name: "alphadropout", WRT: []int{0},
			Build: apply1(func(x *gorgonia.Node) (*gorgonia.Node, error) {
				return alphadropout.Apply(x, 0.05, graph.Train, seed)
			}),
			Grad: apply1(func(x *gorgonia.Node) (*gorgonia.Node, error) {
				return alphadropout.Apply(x, 0.05, graph.Train, seed, alphadropout.WithMask(frozen))
			}),
			In32: func() []*tensor.Dense { return []*tensor.Dense{randn32(3, 128, 1024)} },
			In64: func() []*tensor.Dense { return []*tensor.Dense{gradcheck.Randn(4, 3, 4)} }},
		{Name: "bias", WRT: []int{0, 1},
			Build: func(_ *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) {
				return bias.Add(in[0], in[1])
			},
			In32: func() []*tensor.Dense { return []*tensor.Dense{randn32(5, 128, 1024), randn32(6, 1024)} },
			In64: func() []*tensor.Dense { return []*tensor.Dense{gradcheck.Randn(7, 3, 4), gradcheck.Randn(8, 4)} }},
		{Name: "bce_masked", WRT: []int{0},
			Build: func(_ *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) {
				return losses.BCEWithLogits(in[0], in[1], in[2])
			},
			In32: func() []*tensor.Dense {
				return []*tensor.Dense{scale32(randn32(9, 128, 12), 3), bernoulli32(10, 0.5, 128, 12), bernoulli32(11, 0.8, 128, 12)}
			},
			In64: func() []*tensor.Dense {
				return []*tensor.Dense{gradcheck.Randn(12, 4, 3), to64(bernoulli32(13, 0.5, 4, 3)), to64(bernoulli32(14, 0.7, 4, 3))}
			}},
		{Name: "softmax_ce", WRT: []int{0},
			Build: func(_ *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) {
				return losses.SoftmaxCrossEntropy(in[0], in[1], in[2])
			},
			In32: func() []*tensor.Dense {
				return []*tensor.Dense{scale32(randn32(15, 128, 10), 2), onehot32(16, 128, 10), bernoulli32(17, 0.9, 128)}
			},
			In64: func() []*tensor.Dense {
				return []*tensor.Dense{gradcheck.Randn(18, 4, 3), to64(onehot32(19, 4, 3)), to64(bernoulli32(20, 0.75, 4))}
			}},
		// Gorgonia's own GPU ops in the same graphs: the matrix product
		// (cuBLAS, with the transposed products of its gradient) and an
		// elementwise add (its elembinop PTX module).
		{Name: "gorgonia_matmul", WRT: []int{0, 1},
			Build: func(_ *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) {
				return gorgonia.Mul(in[0], in[1])
			},
			In32: func() []*tensor.Dense { return []*tensor.Dense{randn32(21, 128, 256), randn32(22, 256, 64)} },
			In64: func() []*tensor.Dense { return []*tensor.Dense{gradcheck.Randn(23, 3, 4), gradcheck.Randn(24, 4, 2)} }},
		{Name: "gorgonia_add", WRT: []int{0, 1},
			Build: func(_ *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) {
				return gorgonia.Add(in[0], in[1])
			},
			In32: func() []*tensor.Dense { return []*tensor.Dense{randn32(25, 128, 256), randn32(26, 128, 256)} },
			In64: func() []*tensor.Dense { return []*tensor.Dense{gradcheck.Randn(27, 3, 4), gradcheck.Randn(28, 3, 4)} }},
	}
}

// Ops runs every case: the GPU (or, in the default build, the CPU)
// machine against the ops' CPU Do methods, and the float64 gradient check
// on the tape machine.
func Ops() []OpResult {
	var rs []OpResult
	for _, c := range Cases() {
		rs = append(rs, RunCase(c))
	}
	return rs
}

// RunCase checks one op. A panic (Gorgonia's VM panics on some CUDA
// failures) is reported in Err with its stack.
func RunCase(c OpCase) (r OpResult) {
	r = OpResult{Op: c.Name, GradCheck: "ok"}
	fail := func(err error) OpResult { r.Err = err.Error(); r.FwdRel, r.BwdRel = Failed, Failed; return r }
	defer func() {
		if p := recover(); p != nil {
			r = fail(fmt.Errorf("panic: %v\n%s", p, debug.Stack()))
		}
	}()
	in := c.In32()
	cpuOut, cpuGrads, err := cpuTwin(c, in)
	if err != nil {
		return fail(fmt.Errorf("cpu: %w", err))
	}
	out, err := machineForward(c, in)
	if err != nil {
		return fail(fmt.Errorf("forward: %w", err))
	}
	grads, err := machineBackward(c, in)
	if err != nil {
		return fail(fmt.Errorf("backward: %w", err))
	}
	r.FwdRel = relDiff(out, cpuOut)
	for i := range grads {
		r.BwdRel = math.Max(r.BwdRel, relDiff(grads[i], cpuGrads[i]))
	}
	g := c.Grad
	if g == nil {
		g = c.Build
	}
	if err := gradcheck.Check(g, c.In64(), gradcheck.SkipLisp(), gradcheck.WithRespectTo(c.WRT...)); err != nil {
		r.GradCheck = err.Error()
	}
	return r
}

// inputs makes input nodes holding copies of in.
func inputs(g *gorgonia.ExprGraph, in []*tensor.Dense) []*gorgonia.Node {
	ns := make([]*gorgonia.Node, len(in))
	for i, t := range in {
		ns[i] = gorgonia.NodeFromAny(g, t.Clone().(*tensor.Dense), gorgonia.WithName(fmt.Sprintf("in%d", i)))
	}
	return ns
}

// upstream returns the output gradient fed to the backward pass: a fixed
// random tensor of out's shape, or 0.75 for a scalar loss.
func upstream(g *gorgonia.ExprGraph, out *gorgonia.Node) *gorgonia.Node {
	if out.IsScalar() {
		return gorgonia.NewScalar(g, out.Dtype(), gorgonia.WithName("dy"), gorgonia.WithValue(gorgonia.NewF32(0.75)))
	}
	return gorgonia.NodeFromAny(g, randn32(99, out.Shape()...), gorgonia.WithName("dy"))
}

// symDiff returns the gradient nodes of out with respect to in[wrt...].
func symDiff(c OpCase, in []*gorgonia.Node, out, dy *gorgonia.Node) ([]*gorgonia.Node, error) {
	sd, ok := out.Op().(gorgonia.SDOp)
	if !ok {
		return nil, fmt.Errorf("%s: %T is not differentiable", c.Name, out.Op())
	}
	gs, err := sd.SymDiff(in, out, dy)
	if err != nil {
		return nil, err
	}
	var ns []*gorgonia.Node
	for _, i := range c.WRT {
		ns = append(ns, gs[i])
	}
	return ns, nil
}

// machineForward runs the op alone on a tape machine and returns its output.
func machineForward(c OpCase, in []*tensor.Dense) ([]float64, error) {
	g := gorgonia.NewGraph()
	out, err := c.Build(g, inputs(g, in))
	if err != nil {
		return nil, err
	}
	vs, err := run(g, out)
	if err != nil {
		return nil, err
	}
	return vs[0], nil
}

// machineBackward runs the op and its gradient ops on a tape machine.
func machineBackward(c OpCase, in []*tensor.Dense) ([][]float64, error) {
	g := gorgonia.NewGraph()
	ns := inputs(g, in)
	out, err := c.Build(g, ns)
	if err != nil {
		return nil, err
	}
	gs, err := symDiff(c, ns, out, upstream(g, out))
	if err != nil {
		return nil, err
	}
	return run(g, gs...)
}

// run executes g once and copies the values of outs to the host.
func run(g *gorgonia.ExprGraph, outs ...*gorgonia.Node) ([][]float64, error) {
	vm := graph.NewTapeMachine(g, nil, false)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		return nil, err
	}
	vs := make([][]float64, len(outs))
	for i, n := range outs {
		v, err := floats(n.Value())
		if err != nil {
			return nil, fmt.Errorf("%v: %w", n, err)
		}
		vs[i] = v
	}
	return vs, nil
}

// cpuTwin computes the output and the gradients by calling each node's Do
// (the CPU implementation) on a fresh graph: for alpha dropout a fresh op
// from the same seed, which draws the same first mask as the machines' ops.
func cpuTwin(c OpCase, in []*tensor.Dense) ([]float64, [][]float64, error) {
	g := gorgonia.NewGraph()
	ns := inputs(g, in)
	out, err := c.Build(g, ns)
	if err != nil {
		return nil, nil, err
	}
	gs, err := symDiff(c, ns, out, upstream(g, out))
	if err != nil {
		return nil, nil, err
	}
	memo := map[*gorgonia.Node]gorgonia.Value{}
	ov, err := eval(g, out, memo)
	if err != nil {
		return nil, nil, err
	}
	o, err := floats(ov)
	if err != nil {
		return nil, nil, err
	}
	var grads [][]float64
	for _, n := range gs {
		v, err := eval(g, n, memo)
		if err != nil {
			return nil, nil, err
		}
		f, err := floats(v)
		if err != nil {
			return nil, nil, err
		}
		grads = append(grads, f)
	}
	return o, grads, nil
}

// eval computes n by the Do methods of its ops, children first.
func eval(g *gorgonia.ExprGraph, n *gorgonia.Node, memo map[*gorgonia.Node]gorgonia.Value) (gorgonia.Value, error) {
	if v, ok := memo[n]; ok {
		return v, nil
	}
	if n.Op() == nil {
		memo[n] = n.Value()
		return n.Value(), nil
	}
	var vals []gorgonia.Value
	for it := g.From(n.ID()); it.Next(); {
		v, err := eval(g, it.Node().(*gorgonia.Node), memo)
		if err != nil {
			return nil, err
		}
		vals = append(vals, v)
	}
	v, err := n.Op().Do(vals...)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", n.Op(), err)
	}
	memo[n] = v
	return v, nil
}

// floats copies a float32/float64 scalar or tensor into a new []float64.
func floats(v gorgonia.Value) ([]float64, error) {
	switch t := v.(type) {
	case *gorgonia.F32:
		return []float64{float64(*t)}, nil
	case *gorgonia.F64:
		return []float64{float64(*t)}, nil
	case *tensor.Dense:
		out := make([]float64, t.Len())
		switch t.Dtype() {
		case tensor.Float32:
			for i, x := range t.Float32s() {
				out[i] = float64(x)
			}
		case tensor.Float64:
			copy(out, t.Float64s())
		default:
			return nil, fmt.Errorf("dtype %v", t.Dtype())
		}
		return out, nil
	}
	return nil, fmt.Errorf("value %T", v)
}

// Failed is the relative difference reported for a failed comparison (a
// length mismatch, a NaN, an error): the largest float64, which JSON can
// carry (unlike +Inf).
const Failed = math.MaxFloat64

// relDiff returns max |a − b| / max |b| (Failed for a length mismatch or
// NaN).
func relDiff(a, b []float64) float64 {
	if len(a) != len(b) {
		return Failed
	}
	var d, m float64
	for i := range a {
		e := math.Abs(a[i] - b[i])
		if math.IsNaN(e) {
			return Failed
		}
		d = math.Max(d, e)
		m = math.Max(m, math.Abs(b[i]))
	}
	r := d
	if m != 0 {
		r = d / m
	}
	if math.IsInf(r, 0) {
		return Failed
	}
	return r
}

func randn32(seed uint64, shape ...int) *tensor.Dense {
	r := rand.New(rand.NewPCG(seed, 0x5e1))
	t := tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(shape...))
	for i := range t.Float32s() {
		t.Float32s()[i] = float32(r.NormFloat64())
	}
	return t
}

func scale32(t *tensor.Dense, s float32) *tensor.Dense {
	for i := range t.Float32s() {
		t.Float32s()[i] *= s
	}
	return t
}

// bernoulli32 returns 0/1 values, 1 with probability p.
func bernoulli32(seed uint64, p float64, shape ...int) *tensor.Dense {
	r := rand.New(rand.NewPCG(seed, 0xbe))
	t := tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(shape...))
	for i := range t.Float32s() {
		if r.Float64() < p {
			t.Float32s()[i] = 1
		}
	}
	return t
}

// onehot32 returns rows one-hot rows over c classes.
func onehot32(seed uint64, rows, c int) *tensor.Dense {
	r := rand.New(rand.NewPCG(seed, 0x0e))
	t := tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(rows, c))
	for i := range rows {
		t.Float32s()[i*c+r.IntN(c)] = 1
	}
	return t
}

func to64(t *tensor.Dense) *tensor.Dense {
	out := tensor.New(tensor.Of(tensor.Float64), tensor.WithShape(t.Shape().Clone()...))
	for i, v := range t.Float32s() {
		out.Float64s()[i] = float64(v)
	}
	return out
}
