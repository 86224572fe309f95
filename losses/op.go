package losses

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"github.com/selunet/selunet/ops/kit"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

type lossKind int

const (
	kindBCE lossKind = iota // binary cross-entropy on logits
	kindSCE                 // softmax cross-entropy
)

// lossOp is the fused forward op: inputs (logits, targets[, weights]) →
// scalar loss. It implements gorgonia.Op, gorgonia.SDOp and gorgonia.ADOp;
// only the logits are differentiable.
type lossOp struct {
	kind     lossKind
	weighted bool // a mask / row-weight input is present
	dims     int  // dimensions of the logits
}

var (
	_ gorgonia.Op   = lossOp{}
	_ gorgonia.SDOp = lossOp{}
	_ gorgonia.ADOp = lossOp{}
)

// Arity is 2, or 3 with a mask / row weights.
func (op lossOp) Arity() int {
	if op.weighted {
		return 3
	}
	return 2
}

func (op lossOp) inTypes() []hm.Type {
	a := hm.TypeVariable('a')
	t := gorgonia.TensorType{Dims: op.dims, Of: a}
	ts := []hm.Type{t, t}
	if op.weighted {
		if op.kind == kindSCE {
			ts = append(ts, gorgonia.TensorType{Dims: 1, Of: a})
		} else {
			ts = append(ts, t)
		}
	}
	return ts
}

// Type is (logits, targets[, weights]) → scalar of the same dtype.
func (op lossOp) Type() hm.Type {
	return hm.NewFnType(append(op.inTypes(), hm.TypeVariable('a'))...)
}

// InferShape returns the scalar shape.
func (op lossOp) InferShape(...gorgonia.DimSizer) (tensor.Shape, error) {
	return tensor.ScalarShape(), nil
}

// Do computes the loss value (*gorgonia.F32 or *gorgonia.F64).
func (op lossOp) Do(vals ...gorgonia.Value) (gorgonia.Value, error) {
	ins, err := op.inputs(vals)
	if err != nil {
		return nil, err
	}
	var sum, den float64
	switch ins.dt {
	case tensor.Float32:
		sum, den = forward(op, ins.f32, ins.n, ins.c)
		return gorgonia.NewF32(float32(sum / den)), nil
	default:
		sum, den = forward(op, ins.f64, ins.n, ins.c)
		return gorgonia.NewF64(sum / den), nil
	}
}

func forward[T float](op lossOp, s [3][]T, n, c int) (float64, float64) {
	if op.kind == kindBCE {
		return bceForward(s[0], s[1], s[2])
	}
	return sceForward(s[0], s[1], s[2], n, c)
}

func (op lossOp) ReturnsPtr() bool     { return false }
func (op lossOp) OverwritesInput() int { return -1 }
func (op lossOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "selunet.losses.%s", op)
}
func (op lossOp) Hashcode() uint32 { return kit.Hashcode(op) }

func (op lossOp) String() string {
	name := "BCEWithLogits"
	if op.kind == kindSCE {
		name = "SoftmaxCrossEntropy"
	}
	return fmt.Sprintf("%s{weighted=%v,dims=%d}", name, op.weighted, op.dims)
}

// DiffWRT reports that only the logits are differentiable.
func (op lossOp) DiffWRT(n int) []bool {
	d := make([]bool, n)
	d[0] = true
	return d
}

// SymDiff returns the gradient node for the logits (nil for the others).
func (op lossOp) SymDiff(inputs gorgonia.Nodes, output, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	args := append(append(gorgonia.Nodes{}, inputs...), grad)
	dz, err := gorgonia.ApplyOp(lossGradOp{op}, args...)
	if err != nil {
		return nil, err
	}
	out := make(gorgonia.Nodes, len(inputs))
	out[0] = dz
	return out, nil
}

// DoDiff adds the gradient into the logits' derivative (LispMachine).
func (op lossOp) DoDiff(ctx gorgonia.ExecutionContext, inputs gorgonia.Nodes, output *gorgonia.Node) error {
	vals := make([]gorgonia.Value, len(inputs))
	for i, n := range inputs {
		vals[i] = n.Value()
	}
	up, err := output.Grad()
	if err != nil {
		return fmt.Errorf("losses: %v: output gradient: %w", op, err)
	}
	dv, err := inputs[0].Grad()
	if err != nil {
		return fmt.Errorf("losses: %v: logits gradient: %w", op, err)
	}
	d, ok := dv.(*tensor.Dense)
	if !ok {
		return fmt.Errorf("losses: %v: logits gradient is %T, want *tensor.Dense", op, dv)
	}
	return op.backward(d, vals, up, true)
}

// backward writes (add=false) or adds (add=true) dLoss/dLogits·upstream into
// out.
func (op lossOp) backward(out *tensor.Dense, vals []gorgonia.Value, upstream gorgonia.Value, add bool) error {
	ins, err := op.inputs(vals)
	if err != nil {
		return err
	}
	u, err := scalarOf(upstream)
	if err != nil {
		return fmt.Errorf("losses: %v: upstream gradient: %w", op, err)
	}
	if out.Dtype() != ins.dt || out.Size() != ins.size {
		return fmt.Errorf("losses: %v: gradient buffer is %v %v, want %v with %d elements", op, out.Dtype(), out.Shape(), ins.dt, ins.size)
	}
	switch ins.dt {
	case tensor.Float32:
		backward(op, out.Float32s(), ins.f32, ins.n, ins.c, u, add)
	default:
		backward(op, out.Float64s(), ins.f64, ins.n, ins.c, u, add)
	}
	return nil
}

func backward[T float](op lossOp, out []T, s [3][]T, n, c int, u float64, add bool) {
	if op.kind == kindBCE {
		bceBackward(out, s[0], s[1], s[2], u/bceDen(s[2], len(s[0])), add)
		return
	}
	_, den := sceDen(s[2], n)
	sceBackward(out, s[0], s[1], s[2], n, c, u/den, add)
}

func sceDen[T float](w []T, n int) (float64, float64) {
	if w == nil {
		return 0, max(float64(n), 1)
	}
	var s float64
	for _, v := range w {
		s += float64(v)
	}
	return s, max(s, 1)
}

// scalarOf reads a scalar value (*gorgonia.F32/F64 or a one-element tensor).
func scalarOf(v gorgonia.Value) (float64, error) {
	switch x := v.Data().(type) {
	case float64:
		return x, nil
	case float32:
		return float64(x), nil
	case []float64:
		if len(x) == 1 {
			return x[0], nil
		}
	case []float32:
		if len(x) == 1 {
			return float64(x[0]), nil
		}
	}
	return 0, fmt.Errorf("got %T with shape %v, want a scalar", v, v.Shape())
}

// inputVals holds the backing slices of the op's inputs.
type inputVals struct {
	dt   tensor.Dtype
	size int
	n, c int // rows and columns (SCE)
	f32  [3][]float32
	f64  [3][]float64
}

func (op lossOp) inputs(vals []gorgonia.Value) (inputVals, error) {
	var in inputVals
	if len(vals) < op.Arity() {
		return in, fmt.Errorf("losses: %v: got %d inputs, want %d", op, len(vals), op.Arity())
	}
	for i := 0; i < op.Arity(); i++ {
		d, ok := vals[i].(*tensor.Dense)
		if !ok {
			return in, fmt.Errorf("losses: %v: input %d is %T, want *tensor.Dense", op, i, vals[i])
		}
		if d.RequiresIterator() {
			d = d.Materialize().(*tensor.Dense)
		}
		if i == 0 {
			in.dt, in.size = d.Dtype(), d.Size()
			if op.kind == kindSCE {
				sh := d.Shape()
				in.n, in.c = sh[0], sh[1]
			}
		} else if d.Dtype() != in.dt {
			return in, fmt.Errorf("losses: %v: input %d is %v, logits are %v", op, i, d.Dtype(), in.dt)
		}
		want := in.size
		if i == 2 && op.kind == kindSCE {
			want = in.n
		}
		if d.Size() != want {
			return in, fmt.Errorf("losses: %v: input %d has %d elements, want %d", op, i, d.Size(), want)
		}
		switch in.dt {
		case tensor.Float32:
			in.f32[i] = d.Float32s()
		case tensor.Float64:
			in.f64[i] = d.Float64s()
		default:
			return in, fmt.Errorf("losses: %v: dtype %v not supported, want float32 or float64", op, in.dt)
		}
	}
	return in, nil
}

// lossGradOp computes dLoss/dLogits·upstream: inputs (logits, targets[,
// weights], upstream scalar) → tensor shaped like the logits.
type lossGradOp struct{ fwd lossOp }

var (
	_ gorgonia.Op              = lossGradOp{}
	_ gorgonia.UsePreallocDoer = lossGradOp{}
)

// Arity is the forward arity plus the upstream gradient.
func (op lossGradOp) Arity() int { return op.fwd.Arity() + 1 }

// Type is (logits, targets[, weights], upstream) → logits' type.
func (op lossGradOp) Type() hm.Type {
	ts := op.fwd.inTypes()
	ts = append(ts, hm.TypeVariable('a'), ts[0])
	return hm.NewFnType(ts...)
}

// InferShape returns the logits' shape.
func (op lossGradOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	if len(ds) == 0 {
		return nil, fmt.Errorf("losses: %v: no input shapes", op)
	}
	s, ok := ds[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("losses: %v: input 0 shape is %T", op, ds[0])
	}
	return s.Clone(), nil
}

// Do allocates the gradient and calls UsePreallocDo.
func (op lossGradOp) Do(vals ...gorgonia.Value) (gorgonia.Value, error) {
	if len(vals) != op.Arity() {
		return nil, fmt.Errorf("losses: %v: got %d inputs, want %d", op, len(vals), op.Arity())
	}
	z, ok := vals[0].(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("losses: %v: logits are %T, want *tensor.Dense", op, vals[0])
	}
	out := tensor.New(tensor.Of(z.Dtype()), tensor.WithShape(z.Shape().Clone()...))
	return op.UsePreallocDo(out, vals...)
}

// UsePreallocDo writes the gradient into prealloc; prealloc may alias any
// input (each element is read before it is written).
func (op lossGradOp) UsePreallocDo(prealloc gorgonia.Value, vals ...gorgonia.Value) (gorgonia.Value, error) {
	if len(vals) != op.Arity() {
		return nil, fmt.Errorf("losses: %v: got %d inputs, want %d", op, len(vals), op.Arity())
	}
	out, ok := prealloc.(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("losses: %v: prealloc is %T, want *tensor.Dense", op, prealloc)
	}
	if err := op.fwd.backward(out, vals[:len(vals)-1], vals[len(vals)-1], false); err != nil {
		return nil, err
	}
	return out, nil
}

func (op lossGradOp) ReturnsPtr() bool     { return false }
func (op lossGradOp) OverwritesInput() int { return -1 }
func (op lossGradOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "selunet.losses.grad.%s", op.fwd)
}
func (op lossGradOp) Hashcode() uint32 { return kit.Hashcode(op) }
func (op lossGradOp) String() string   { return fmt.Sprintf("∂%v", op.fwd) }
