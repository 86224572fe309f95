// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

package kit

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Deriv names the value a Unary's derivative is written in.
type Deriv int

const (
	// FromInput: DF and the Backward kernels read the op's input x.
	FromInput Deriv = iota
	// FromOutput: DF and the Backward kernels read the op's output y = F(x).
	FromOutput
)

// String returns "input" or "output".
func (d Deriv) String() string {
	if d == FromOutput {
		return "output"
	}
	return "input"
}

// CUDAKernel runs one of a Unary's kernels on a GPU: the signature of
// gorgonia.CUDADoer.CUDADo plus the Unary it belongs to. Forward kernels get
// inputs (x); backward kernels get (v, dy), v being x or y as Unary.Deriv
// says. See "GPU kernels" in the package documentation.
type CUDAKernel func(u *Unary, extern gorgonia.External, dev gorgonia.Device, prealloc gorgonia.Value, inputs ...gorgonia.Value) (gorgonia.Value, error)

// GPU holds a Unary's optional GPU kernels; a nil kernel runs on the CPU.
type GPU struct {
	Forward, Backward CUDAKernel
}

// deviceOp is the hook through which a GPU build (a file of this package
// with the cuda tag) turns an op with a GPU kernel into one with a CUDADo
// method. It is nil in CPU builds: every op stays on the CPU.
var deviceOp func(op gorgonia.Op, u *Unary, k CUDAKernel) gorgonia.Op

// Unary is an elementwise function y = F(x) with its derivative, from which
// Apply builds Gorgonia ops. Set the fields, then treat the value as
// read-only: the ops built from it keep a pointer to it.
type Unary struct {
	// Name names the op in graphs ("softsign"); the gradient op is
	// Name+"Grad". Required.
	Name string
	// Consts are the op's constants (nil for none): ops with equal Name and
	// Consts compute the same function and may be merged by Gorgonia.
	Consts []float64
	// F is the function in float64. Required unless both Forward kernels
	// are set.
	F func(x float64) float64
	// DF is the derivative f'(x) as a function of x (Deriv FromInput) or of
	// y = F(x) (Deriv FromOutput). Required unless both Backward kernels are
	// set.
	DF func(v float64) float64
	// Deriv says which value DF and the Backward kernels read.
	Deriv Deriv

	// Forward32 and Forward64 write y[i] = F(x[i]) for i < len(x); y may be
	// x. Optional: nil runs F elementwise.
	Forward32 func(y, x []float32)
	Forward64 func(y, x []float64)
	// Backward32 and Backward64 write dx[i] = dy[i]·DF(v[i]) for i < len(dx),
	// v being x or y as Deriv says; dx may be dy or v. Optional: nil runs DF
	// elementwise.
	Backward32 func(dx, dy, v []float32)
	Backward64 func(dx, dy, v []float64)

	// GPU holds optional GPU kernels, set only by files built with the cuda
	// tag (see the package documentation); CPU builds ignore it.
	GPU GPU
}

// Validate returns an error if u lacks a name or a way to compute its
// forward or backward pass in either dtype.
func (u *Unary) Validate() error {
	switch {
	case u == nil:
		return fmt.Errorf("kit: nil Unary")
	case u.Name == "":
		return fmt.Errorf("kit: Unary has no Name")
	case u.F == nil && (u.Forward32 == nil || u.Forward64 == nil):
		return fmt.Errorf("kit: %s: needs F or both Forward32 and Forward64", u.Name)
	case u.DF == nil && (u.Backward32 == nil || u.Backward64 == nil):
		return fmt.Errorf("kit: %s: needs DF or both Backward32 and Backward64", u.Name)
	case u.Deriv != FromInput && u.Deriv != FromOutput:
		return fmt.Errorf("kit: %s: unknown Deriv %d", u.Name, u.Deriv)
	}
	return nil
}

// Apply returns a node computing u elementwise on x, a float32 or float64
// scalar or tensor of any shape; the output has x's type and shape. It
// returns an error if x is nil, x's dtype is not Float32/Float64 or u is
// invalid.
func (u *Unary) Apply(x *gorgonia.Node) (*gorgonia.Node, error) {
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if x == nil {
		return nil, fmt.Errorf("%s: nil input node", u.Name)
	}
	if dt := x.Dtype(); dt != tensor.Float32 && dt != tensor.Float64 {
		return nil, fmt.Errorf("%s: input %v has dtype %v, want Float32 or Float64", u.Name, x, dt)
	}
	return gorgonia.ApplyOp(u.onDevice(&Op{u: u}, u.GPU.Forward), x)
}

// onDevice passes op through the GPU hook when u has the kernel k.
func (u *Unary) onDevice(op gorgonia.Op, k CUDAKernel) gorgonia.Op {
	if deviceOp != nil && k != nil {
		return deviceOp(op, u, k)
	}
	return op
}

// Op is the forward op of a Unary: Apply builds it. It implements
// gorgonia.Op, SDOp, ADOp and UsePreallocDoer (alias-safe: prealloc may be
// the input).
type Op struct{ u *Unary }

var (
	_ gorgonia.Op              = (*Op)(nil)
	_ gorgonia.SDOp            = (*Op)(nil)
	_ gorgonia.ADOp            = (*Op)(nil)
	_ gorgonia.UsePreallocDoer = (*Op)(nil)
	_ gorgonia.Op              = (*GradOp)(nil)
	_ gorgonia.UsePreallocDoer = (*GradOp)(nil)
)

// Unary returns the function the op computes.
func (op *Op) Unary() *Unary { return op.u }

// Arity returns 1.
func (op *Op) Arity() int { return 1 }

// Type returns a → a (any float scalar or tensor type).
func (op *Op) Type() hm.Type { a := hm.TypeVariable('a'); return hm.NewFnType(a, a) }

// InferShape returns the input's shape.
func (op *Op) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	return sameShape(op.u.Name, 1, ds)
}

// ReturnsPtr returns false.
func (op *Op) ReturnsPtr() bool { return false }

// CallsExtern returns false: the op runs on the CPU.
func (op *Op) CallsExtern() bool { return false }

// OverwritesInput returns -1: the output is a fresh value.
func (op *Op) OverwritesInput() int { return -1 }

// WriteHash writes the name and constants.
func (op *Op) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%s%x", op.u.Name, op.u.Consts) }

// Hashcode returns the FNV-1a hash of WriteHash.
func (op *Op) Hashcode() uint32 { return Hashcode(op) }

// String returns the Unary's Name.
func (op *Op) String() string { return op.u.Name }

// Do computes the op into a new value.
func (op *Op) Do(vs ...gorgonia.Value) (gorgonia.Value, error) {
	if len(vs) != 1 {
		return nil, fmt.Errorf("%s: want 1 value, got %d", op.u.Name, len(vs))
	}
	return op.u.forward(nil, vs[0])
}

// UsePreallocDo computes the op into prealloc, which may be the input.
func (op *Op) UsePreallocDo(prealloc gorgonia.Value, vs ...gorgonia.Value) (gorgonia.Value, error) {
	if len(vs) != 1 {
		return nil, fmt.Errorf("%s: want 1 value, got %d", op.u.Name, len(vs))
	}
	return op.u.forward(prealloc, vs[0])
}

// DiffWRT returns [true].
func (op *Op) DiffWRT(int) []bool { return []bool{true} }

// SymDiff returns dx = GradOp(v, dy), v being the input or the output as
// Unary.Deriv says.
func (op *Op) SymDiff(in gorgonia.Nodes, out, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("%s: SymDiff: want 1 input, got %d", op.u.Name, len(in))
	}
	v := in[0]
	if op.u.Deriv == FromOutput {
		v = out
	}
	dx, err := gorgonia.ApplyOp(op.u.onDevice(&GradOp{u: op.u}, op.u.GPU.Backward), v, grad)
	if err != nil {
		return nil, err
	}
	return gorgonia.Nodes{dx}, nil
}

// DoDiff adds dy·f'(x) into the input's gradient (LispMachine).
func (op *Op) DoDiff(_ gorgonia.ExecutionContext, in gorgonia.Nodes, out *gorgonia.Node) error {
	if len(in) != 1 {
		return fmt.Errorf("%s: DoDiff: want 1 input, got %d", op.u.Name, len(in))
	}
	xg, err := in[0].Grad()
	if err != nil {
		return fmt.Errorf("%s: DoDiff: input gradient: %w", op.u.Name, err)
	}
	dy, err := out.Grad()
	if err != nil {
		return fmt.Errorf("%s: DoDiff: output gradient: %w", op.u.Name, err)
	}
	v := in[0].Value()
	if op.u.Deriv == FromOutput {
		v = out.Value()
	}
	d, err := op.u.backward(nil, v, dy)
	if err != nil {
		return err
	}
	return AddInto(xg, d)
}

// GradOp computes dx = dy·f'(x) from (v, dy), v being x or y = F(x) as
// Unary.Deriv says. Op.SymDiff creates it; it implements gorgonia.Op and
// UsePreallocDoer (alias-safe) and is not itself differentiable.
type GradOp struct{ u *Unary }

// Unary returns the function whose derivative the op computes.
func (op *GradOp) Unary() *Unary { return op.u }

// Arity returns 2.
func (op *GradOp) Arity() int { return 2 }

// Type returns a → a → a.
func (op *GradOp) Type() hm.Type { a := hm.TypeVariable('a'); return hm.NewFnType(a, a, a) }

// InferShape returns the first input's shape.
func (op *GradOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	return sameShape(op.u.Name+"Grad", 2, ds)
}

// ReturnsPtr returns false.
func (op *GradOp) ReturnsPtr() bool { return false }

// CallsExtern returns false: the op runs on the CPU.
func (op *GradOp) CallsExtern() bool { return false }

// OverwritesInput returns -1.
func (op *GradOp) OverwritesInput() int { return -1 }

// WriteHash writes the name and constants.
func (op *GradOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%sGrad%x", op.u.Name, op.u.Consts) }

// Hashcode returns the FNV-1a hash of WriteHash.
func (op *GradOp) Hashcode() uint32 { return Hashcode(op) }

// String returns Name+"Grad".
func (op *GradOp) String() string { return op.u.Name + "Grad" }

// Do computes dx from (v, dy) into a new value.
func (op *GradOp) Do(vs ...gorgonia.Value) (gorgonia.Value, error) {
	if len(vs) != 2 {
		return nil, fmt.Errorf("%sGrad: want 2 values, got %d", op.u.Name, len(vs))
	}
	return op.u.backward(nil, vs[0], vs[1])
}

// UsePreallocDo computes dx into prealloc, which may alias v or dy.
func (op *GradOp) UsePreallocDo(prealloc gorgonia.Value, vs ...gorgonia.Value) (gorgonia.Value, error) {
	if len(vs) != 2 {
		return nil, fmt.Errorf("%sGrad: want 2 values, got %d", op.u.Name, len(vs))
	}
	return op.u.backward(prealloc, vs[0], vs[1])
}

// sameShape checks the arity and returns a clone of the first shape.
func sameShape(name string, arity int, ds []gorgonia.DimSizer) (tensor.Shape, error) {
	if len(ds) != arity {
		return nil, fmt.Errorf("%s: want %d inputs, got %d", name, arity, len(ds))
	}
	s, ok := ds[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("%s: input shape is %T", name, ds[0])
	}
	return s.Clone(), nil
}
