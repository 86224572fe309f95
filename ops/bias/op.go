// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

package bias

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"github.com/selunet/selunet/ops/kit"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Add returns a node computing y = x + b with b added to every row:
// y[i, j] = x[i, j] + b[j]. x must be an (n, m) float32 or float64 matrix and
// b a vector of length m with x's dtype; y has x's type and shape. It returns
// an error if a node is nil, a dtype is not Float32/Float64, the dtypes
// differ, x is not a matrix, b is not a vector or len(b) ≠ m.
func Add(x, b *gorgonia.Node) (*gorgonia.Node, error) {
	if x == nil || b == nil {
		return nil, fmt.Errorf("bias: nil input node")
	}
	dt := x.Dtype()
	if dt != tensor.Float32 && dt != tensor.Float64 {
		return nil, fmt.Errorf("bias: input %v has dtype %v, want Float32 or Float64", x, dt)
	}
	if b.Dtype() != dt {
		return nil, fmt.Errorf("bias: bias %v has dtype %v, input has %v", b, b.Dtype(), dt)
	}
	xs, bs := x.Shape(), b.Shape()
	if len(xs) != 2 {
		return nil, fmt.Errorf("bias: input %v has shape %v, want a matrix", x, xs)
	}
	if len(bs) != 1 || bs[0] != xs[1] {
		return nil, fmt.Errorf("bias: bias %v has shape %v, want (%d)", b, bs, xs[1])
	}
	return gorgonia.ApplyOp(&Op{n: xs[0], m: xs[1]}, x, b)
}

// Op is the row-broadcast bias addition for an (n, m) input; Add builds it.
// It implements gorgonia.Op, gorgonia.SDOp, gorgonia.ADOp and
// gorgonia.UsePreallocDoer (alias-safe: prealloc may be x). Its hash encodes
// the op name and both dimensions, so only identical additions merge.
type Op struct{ n, m int }

var (
	_ gorgonia.Op              = (*Op)(nil)
	_ gorgonia.SDOp            = (*Op)(nil)
	_ gorgonia.ADOp            = (*Op)(nil)
	_ gorgonia.UsePreallocDoer = (*Op)(nil)
	_ gorgonia.Op              = (*SumOp)(nil)
	_ gorgonia.UsePreallocDoer = (*SumOp)(nil)
)

func matrixOf(a hm.Type) gorgonia.TensorType { return gorgonia.TensorType{Dims: 2, Of: a} }
func vectorOf(a hm.Type) gorgonia.TensorType { return gorgonia.TensorType{Dims: 1, Of: a} }

// Arity returns 2 (x, b).
func (op *Op) Arity() int { return 2 }

// Type returns Matrix a → Vector a → Matrix a.
func (op *Op) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(matrixOf(a), vectorOf(a), matrixOf(a))
}

// InferShape returns (n, m). It returns an error if the input shapes are
// not (n, m) and (m).
func (op *Op) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	if len(ds) != 2 {
		return nil, fmt.Errorf("bias: want 2 inputs, got %d", len(ds))
	}
	xs, ok1 := ds[0].(tensor.Shape)
	bs, ok2 := ds[1].(tensor.Shape)
	if !ok1 || !ok2 || !xs.Eq(tensor.Shape{op.n, op.m}) || len(bs) != 1 || bs[0] != op.m {
		return nil, fmt.Errorf("bias: input shapes %v and %v, want (%d, %d) and (%d)", ds[0], ds[1], op.n, op.m, op.m)
	}
	return tensor.Shape{op.n, op.m}, nil
}

// ReturnsPtr returns false.
func (op *Op) ReturnsPtr() bool { return false }

// OverwritesInput returns -1: the output is a fresh value.
func (op *Op) OverwritesInput() int { return -1 }

// WriteHash writes the op name and shape.
func (op *Op) WriteHash(h hash.Hash) { fmt.Fprintf(h, "biasAdd(%d,%d)", op.n, op.m) }

// Hashcode returns the FNV-1a hash of WriteHash.
func (op *Op) Hashcode() uint32 { return kit.Hashcode(op) }

// String returns "+bias".
func (op *Op) String() string { return "+bias" }

// Do computes x + b into a new value.
func (op *Op) Do(vs ...gorgonia.Value) (gorgonia.Value, error) { return op.do(nil, vs) }

// UsePreallocDo computes x + b into prealloc, which may be x itself.
func (op *Op) UsePreallocDo(prealloc gorgonia.Value, vs ...gorgonia.Value) (gorgonia.Value, error) {
	return op.do(prealloc, vs)
}

func (op *Op) do(out gorgonia.Value, vs []gorgonia.Value) (gorgonia.Value, error) {
	if len(vs) != 2 {
		return nil, fmt.Errorf("bias: want 2 values, got %d", len(vs))
	}
	x, err := dense(vs[0], op.n*op.m, "input")
	if err != nil {
		return nil, err
	}
	b, err := dense(vs[1], op.m, "bias")
	if err != nil {
		return nil, err
	}
	if b.Dtype() != x.Dtype() {
		return nil, fmt.Errorf("bias: bias is %v, input is %v", b.Dtype(), x.Dtype())
	}
	o, err := output(out, x.Dtype(), tensor.Shape{op.n, op.m})
	if err != nil {
		return nil, err
	}
	switch x.Dtype() {
	case tensor.Float32:
		addRows(o.Float32s(), x.Float32s(), b.Float32s())
	case tensor.Float64:
		addRows(o.Float64s(), x.Float64s(), b.Float64s())
	default:
		return nil, fmt.Errorf("bias: unsupported dtype %v", x.Dtype())
	}
	return o, nil
}

// dense returns v as a contiguous *tensor.Dense of n elements (materializing
// a view).
func dense(v gorgonia.Value, n int, what string) (*tensor.Dense, error) {
	d, ok := v.(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("bias: %s is %T, want *tensor.Dense", what, v)
	}
	if d.RequiresIterator() {
		d = d.Materialize().(*tensor.Dense)
	}
	if d.Len() != n {
		return nil, fmt.Errorf("bias: %s has %d elements, want %d", what, d.Len(), n)
	}
	return d, nil
}

// output returns prealloc when it is a contiguous dense tensor of the right
// dtype and size, else a new tensor of that shape.
func output(prealloc gorgonia.Value, dt tensor.Dtype, s tensor.Shape) (*tensor.Dense, error) {
	if prealloc != nil {
		o, ok := prealloc.(*tensor.Dense)
		if !ok {
			return nil, fmt.Errorf("bias: prealloc is %T, want *tensor.Dense", prealloc)
		}
		if o.Dtype() == dt && o.Len() == s.TotalSize() && !o.RequiresIterator() {
			return o, nil
		}
	}
	return tensor.New(tensor.Of(dt), tensor.WithShape(s.Clone()...)), nil
}

// DiffWRT returns [true, true].
func (op *Op) DiffWRT(int) []bool { return []bool{true, true} }

// SymDiff returns (dy, SumOp(dy)): x's gradient is the output gradient node
// itself and b's gradient is its column sums.
func (op *Op) SymDiff(in gorgonia.Nodes, _, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("bias: SymDiff: want 2 inputs, got %d", len(in))
	}
	db, err := gorgonia.ApplyOp(&SumOp{n: op.n, m: op.m}, grad)
	if err != nil {
		return nil, fmt.Errorf("bias: SymDiff: %w", err)
	}
	return gorgonia.Nodes{grad, db}, nil
}

// DoDiff adds dy into x's gradient and the column sums of dy into b's
// gradient, for the LispMachine.
func (op *Op) DoDiff(_ gorgonia.ExecutionContext, in gorgonia.Nodes, out *gorgonia.Node) error {
	if len(in) != 2 {
		return fmt.Errorf("bias: DoDiff: want 2 inputs, got %d", len(in))
	}
	dyv, err := out.Grad()
	if err != nil {
		return fmt.Errorf("bias: DoDiff: output grad: %w", err)
	}
	dy, err := dense(dyv, op.n*op.m, "output gradient")
	if err != nil {
		return err
	}
	xgv, err := in[0].Grad()
	if err != nil {
		return fmt.Errorf("bias: DoDiff: input grad: %w", err)
	}
	bgv, err := in[1].Grad()
	if err != nil {
		return fmt.Errorf("bias: DoDiff: bias grad: %w", err)
	}
	xg, err := dense(xgv, op.n*op.m, "input gradient")
	if err != nil {
		return err
	}
	bg, err := dense(bgv, op.m, "bias gradient")
	if err != nil {
		return err
	}
	if xg.Dtype() != dy.Dtype() || bg.Dtype() != dy.Dtype() {
		return fmt.Errorf("bias: DoDiff: gradients are %v and %v, output gradient is %v", xg.Dtype(), bg.Dtype(), dy.Dtype())
	}
	switch dy.Dtype() {
	case tensor.Float32:
		db := make([]float32, op.m)
		colSums(db, dy.Float32s())
		accumulate(xg.Float32s(), dy.Float32s())
		accumulate(bg.Float32s(), db)
	case tensor.Float64:
		db := make([]float64, op.m)
		colSums(db, dy.Float64s())
		accumulate(xg.Float64s(), dy.Float64s())
		accumulate(bg.Float64s(), db)
	default:
		return fmt.Errorf("bias: DoDiff: unsupported dtype %v", dy.Dtype())
	}
	return nil
}

// SumOp computes the column sums db[j] = Σᵢ dy[i, j] of an (n, m) matrix,
// summing rows in increasing order. Op.SymDiff creates it for the bias
// gradient. It implements gorgonia.Op and gorgonia.UsePreallocDoer but is
// not differentiable.
type SumOp struct{ n, m int }

// Arity returns 1.
func (op *SumOp) Arity() int { return 1 }

// Type returns Matrix a → Vector a.
func (op *SumOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(matrixOf(a), vectorOf(a))
}

// InferShape returns (m). It returns an error if the input is not (n, m).
func (op *SumOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	if len(ds) != 1 {
		return nil, fmt.Errorf("bias: sum: want 1 input, got %d", len(ds))
	}
	if s, ok := ds[0].(tensor.Shape); !ok || !s.Eq(tensor.Shape{op.n, op.m}) {
		return nil, fmt.Errorf("bias: sum: input shape %v, want (%d, %d)", ds[0], op.n, op.m)
	}
	return tensor.Shape{op.m}, nil
}

// ReturnsPtr returns false.
func (op *SumOp) ReturnsPtr() bool { return false }

// OverwritesInput returns -1.
func (op *SumOp) OverwritesInput() int { return -1 }

// WriteHash writes the op name and input shape.
func (op *SumOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "biasSum(%d,%d)", op.n, op.m) }

// Hashcode returns the FNV-1a hash of WriteHash.
func (op *SumOp) Hashcode() uint32 { return kit.Hashcode(op) }

// String returns "Σrows".
func (op *SumOp) String() string { return "Σrows" }

// Do computes the column sums into a new value.
func (op *SumOp) Do(vs ...gorgonia.Value) (gorgonia.Value, error) { return op.do(nil, vs) }

// UsePreallocDo computes the column sums into prealloc (which is
// overwritten, not added to).
func (op *SumOp) UsePreallocDo(prealloc gorgonia.Value, vs ...gorgonia.Value) (gorgonia.Value, error) {
	return op.do(prealloc, vs)
}

func (op *SumOp) do(out gorgonia.Value, vs []gorgonia.Value) (gorgonia.Value, error) {
	if len(vs) != 1 {
		return nil, fmt.Errorf("bias: sum: want 1 value, got %d", len(vs))
	}
	dy, err := dense(vs[0], op.n*op.m, "sum input")
	if err != nil {
		return nil, err
	}
	o, err := output(out, dy.Dtype(), tensor.Shape{op.m})
	if err != nil {
		return nil, err
	}
	if op.n > 1 && o.Uintptr() == dy.Uintptr() {
		o = tensor.New(tensor.Of(dy.Dtype()), tensor.WithShape(op.m))
	}
	switch dy.Dtype() {
	case tensor.Float32:
		colSums(o.Float32s(), dy.Float32s())
	case tensor.Float64:
		colSums(o.Float64s(), dy.Float64s())
	default:
		return nil, fmt.Errorf("bias: sum: unsupported dtype %v", dy.Dtype())
	}
	return o, nil
}
