package selu

import (
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Apply returns selu(x) with the paper's constants (Alpha, Lambda); see
// ApplyParams.
func Apply(x *gorgonia.Node) (*gorgonia.Node, error) { return ApplyParams(x, Default()) }

// ApplyParams returns a node computing p's SELU elementwise on x, a float32 or
// float64 scalar or tensor of any shape; the output has x's type and shape.
// It returns an error if x is nil, x's dtype is not Float32/Float64, or p is
// invalid (see Params.Validate). Two ApplyParams calls with equal p on the
// same x yield the same node (SELU is a pure function).
func ApplyParams(x *gorgonia.Node, p Params) (*gorgonia.Node, error) {
	if x == nil {
		return nil, fmt.Errorf("selu: nil input node")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if dt := x.Dtype(); dt != tensor.Float32 && dt != tensor.Float64 {
		return nil, fmt.Errorf("selu: input %v has dtype %v, want Float32 or Float64", x, dt)
	}
	return gorgonia.ApplyOp(NewOp(p), x)
}

// Op is the SELU forward op. It implements gorgonia.Op, gorgonia.SDOp (for
// gorgonia.Grad + TapeMachine), gorgonia.ADOp (for LispMachine) and
// gorgonia.UsePreallocDoer (alias-safe: prealloc may be the input).
type Op struct{ p Params }

// NewOp returns the op for p. It panics if p is invalid.
func NewOp(p Params) *Op {
	if err := p.Validate(); err != nil {
		panic(err.Error())
	}
	return &Op{p: p}
}

// Params returns the op's constants.
func (op *Op) Params() Params { return op.p }

// Arity returns 1.
func (op *Op) Arity() int { return 1 }

// Type returns a → a (any float scalar or tensor type).
func (op *Op) Type() hm.Type { a := hm.TypeVariable('a'); return hm.NewFnType(a, a) }

// InferShape returns the input's shape.
func (op *Op) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	if len(ds) != 1 {
		return nil, fmt.Errorf("selu: want 1 input, got %d", len(ds))
	}
	s, ok := ds[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("selu: input shape is %T", ds[0])
	}
	return s.Clone(), nil
}

// ReturnsPtr returns false.
func (op *Op) ReturnsPtr() bool { return false }

// CallsExtern returns false.
func (op *Op) CallsExtern() bool { return false }

// OverwritesInput returns -1: the output is a fresh value.
func (op *Op) OverwritesInput() int { return -1 }

// WriteHash writes the op name and constants.
func (op *Op) WriteHash(h hash.Hash) { fmt.Fprintf(h, "selu(%x,%x)", op.p.Lambda, op.p.Alpha) }

// Hashcode returns the FNV-1a hash of WriteHash.
func (op *Op) Hashcode() uint32 { h := fnv.New32a(); op.WriteHash(h); return h.Sum32() }

// String returns "selu" for the default constants, else "selu(λ=…, α=…)".
func (op *Op) String() string {
	if op.p == Default() {
		return "selu"
	}
	return op.p.String()
}

// Do computes selu of a float32/float64 scalar or tensor into a new value.
func (op *Op) Do(vs ...gorgonia.Value) (gorgonia.Value, error) {
	if len(vs) != 1 {
		return nil, fmt.Errorf("selu: Do: want 1 value, got %d", len(vs))
	}
	return op.do(nil, vs[0])
}

// UsePreallocDo computes selu into prealloc, which may be the input itself.
func (op *Op) UsePreallocDo(prealloc gorgonia.Value, vs ...gorgonia.Value) (gorgonia.Value, error) {
	if len(vs) != 1 {
		return nil, fmt.Errorf("selu: UsePreallocDo: want 1 value, got %d", len(vs))
	}
	return op.do(prealloc, vs[0])
}

func (op *Op) do(out, x gorgonia.Value) (gorgonia.Value, error) {
	switch v := x.(type) {
	case *gorgonia.F32:
		return gorgonia.NewF32(float32(op.p.scalar(float64(*v)))), nil
	case *gorgonia.F64:
		return gorgonia.NewF64(op.p.scalar(float64(*v))), nil
	case *tensor.Dense:
		xv, o, err := prepare(out, v)
		if err != nil {
			return nil, err
		}
		switch v.Dtype() {
		case tensor.Float32:
			op.p.Forward32(o.Float32s(), xv.Float32s())
		case tensor.Float64:
			op.p.Forward64(o.Float64s(), xv.Float64s())
		default:
			return nil, fmt.Errorf("selu: unsupported dtype %v", v.Dtype())
		}
		return o, nil
	}
	return nil, fmt.Errorf("selu: unsupported value %T", x)
}

// scalar is the float64 reference SELU of one value.
func (p Params) scalar(x float64) float64 {
	y := []float64{0}
	p.Forward64(y, []float64{x})
	return y[0]
}

// prepare materializes a view input and returns (input, output) dense tensors
// with contiguous data of equal length; out is reused when it fits.
func prepare(out gorgonia.Value, x *tensor.Dense) (*tensor.Dense, *tensor.Dense, error) {
	if x.RequiresIterator() {
		x = x.Materialize().(*tensor.Dense)
	}
	if o, ok := out.(*tensor.Dense); ok && o != nil && o.Dtype() == x.Dtype() && o.Len() == x.Len() && !o.RequiresIterator() {
		return x, o, nil
	}
	if out != nil {
		if _, ok := out.(*tensor.Dense); !ok {
			return nil, nil, fmt.Errorf("selu: prealloc is %T, want *tensor.Dense", out)
		}
	}
	return x, tensor.New(tensor.Of(x.Dtype()), tensor.WithShape(x.Shape().Clone()...)), nil
}

// DiffWRT returns [true].
func (op *Op) DiffWRT(int) []bool { return []bool{true} }

// SymDiff returns dx = GradOp(y, dy), computed from the forward output y
// without re-evaluating exp.
func (op *Op) SymDiff(in gorgonia.Nodes, out, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("selu: SymDiff: want 1 input, got %d", len(in))
	}
	dx, err := gorgonia.ApplyOp(&GradOp{p: op.p}, out, grad)
	if err != nil {
		return nil, err
	}
	return gorgonia.Nodes{dx}, nil
}

// DoDiff adds dy·selu'(x) (from the output value y) into x's gradient, for
// the LispMachine.
func (op *Op) DoDiff(_ gorgonia.ExecutionContext, in gorgonia.Nodes, out *gorgonia.Node) error {
	if len(in) != 1 {
		return fmt.Errorf("selu: DoDiff: want 1 input, got %d", len(in))
	}
	xg, err := in[0].Grad()
	if err != nil {
		return fmt.Errorf("selu: DoDiff: input grad: %w", err)
	}
	dy, err := out.Grad()
	if err != nil {
		return fmt.Errorf("selu: DoDiff: output grad: %w", err)
	}
	g := &GradOp{p: op.p}
	d, err := g.Do(out.Value(), dy)
	if err != nil {
		return err
	}
	return addInto(xg, d)
}

// addInto adds src into dst in place (dst a *tensor.Dense or scalar pointer).
func addInto(dst, src gorgonia.Value) error {
	switch a := dst.(type) {
	case *gorgonia.F32:
		*a += *src.(*gorgonia.F32)
	case *gorgonia.F64:
		*a += *src.(*gorgonia.F64)
	case *tensor.Dense:
		s, ok := src.(*tensor.Dense)
		if !ok {
			return fmt.Errorf("selu: gradient is %T, want *tensor.Dense", src)
		}
		switch a.Dtype() {
		case tensor.Float32:
			ad, sd := a.Float32s(), s.Float32s()
			for i := range ad {
				ad[i] += sd[i]
			}
		case tensor.Float64:
			ad, sd := a.Float64s(), s.Float64s()
			for i := range ad {
				ad[i] += sd[i]
			}
		}
	default:
		return fmt.Errorf("selu: cannot accumulate into %T", dst)
	}
	return nil
}

// GradOp computes dx = dy·selu'(x) from (y, dy), where y = selu(x): the
// derivative is λ where y > 0 and y + λα where y ≤ 0 (λα at x = 0). It is
// created by Op.SymDiff; it implements gorgonia.Op and
// gorgonia.UsePreallocDoer (alias-safe) but is not itself differentiable.
type GradOp struct{ p Params }

// Arity returns 2.
func (op *GradOp) Arity() int { return 2 }

// Type returns a → a → a.
func (op *GradOp) Type() hm.Type { a := hm.TypeVariable('a'); return hm.NewFnType(a, a, a) }

// InferShape returns the first input's shape.
func (op *GradOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	if len(ds) != 2 {
		return nil, fmt.Errorf("selu: grad: want 2 inputs, got %d", len(ds))
	}
	s, ok := ds[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("selu: grad: input shape is %T", ds[0])
	}
	return s.Clone(), nil
}

// ReturnsPtr returns false.
func (op *GradOp) ReturnsPtr() bool { return false }

// CallsExtern returns false.
func (op *GradOp) CallsExtern() bool { return false }

// OverwritesInput returns -1.
func (op *GradOp) OverwritesInput() int { return -1 }

// WriteHash writes the op name and constants.
func (op *GradOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "seluGrad(%x,%x)", op.p.Lambda, op.p.Alpha) }

// Hashcode returns the FNV-1a hash of WriteHash.
func (op *GradOp) Hashcode() uint32 { h := fnv.New32a(); op.WriteHash(h); return h.Sum32() }

// String returns "seluGrad".
func (op *GradOp) String() string { return "seluGrad" }

// Do computes dx from (y, dy) into a new value.
func (op *GradOp) Do(vs ...gorgonia.Value) (gorgonia.Value, error) {
	return op.do(nil, vs...)
}

// UsePreallocDo computes dx into prealloc, which may alias y or dy.
func (op *GradOp) UsePreallocDo(prealloc gorgonia.Value, vs ...gorgonia.Value) (gorgonia.Value, error) {
	return op.do(prealloc, vs...)
}

func (op *GradOp) do(out gorgonia.Value, vs ...gorgonia.Value) (gorgonia.Value, error) {
	if len(vs) != 2 {
		return nil, fmt.Errorf("selu: grad: want 2 values, got %d", len(vs))
	}
	l, la := op.p.Lambda, op.p.Lambda*op.p.Alpha
	switch y := vs[0].(type) {
	case *gorgonia.F32:
		dy, ok := vs[1].(*gorgonia.F32)
		if !ok {
			return nil, fmt.Errorf("selu: grad: dy is %T, want *F32", vs[1])
		}
		d := float32(l)
		if !(*y > 0) {
			d = float32(*y) + float32(la)
		}
		return gorgonia.NewF32(float32(*dy) * d), nil
	case *gorgonia.F64:
		dy, ok := vs[1].(*gorgonia.F64)
		if !ok {
			return nil, fmt.Errorf("selu: grad: dy is %T, want *F64", vs[1])
		}
		d := l
		if !(*y > 0) {
			d = float64(*y) + la
		}
		return gorgonia.NewF64(float64(*dy) * d), nil
	case *tensor.Dense:
		dy, ok := vs[1].(*tensor.Dense)
		if !ok || dy.Dtype() != y.Dtype() || dy.Len() != y.Len() {
			return nil, fmt.Errorf("selu: grad: dy %v does not match y %v", vs[1], y.Shape())
		}
		if dy.RequiresIterator() {
			dy = dy.Materialize().(*tensor.Dense)
		}
		yv, o, err := prepare(out, y)
		if err != nil {
			return nil, err
		}
		switch y.Dtype() {
		case tensor.Float32:
			op.p.Backward32(o.Float32s(), dy.Float32s(), yv.Float32s())
		case tensor.Float64:
			op.p.Backward64(o.Float64s(), dy.Float64s(), yv.Float64s())
		default:
			return nil, fmt.Errorf("selu: grad: unsupported dtype %v", y.Dtype())
		}
		return o, nil
	}
	return nil, fmt.Errorf("selu: grad: unsupported value %T", vs[0])
}
