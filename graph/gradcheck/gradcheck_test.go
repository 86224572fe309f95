package gradcheck

import (
	"errors"
	"fmt"
	"hash"
	"hash/fnv"
	"math"
	"strings"
	"testing"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

func unary(op func(*gorgonia.Node) (*gorgonia.Node, error)) Func {
	return func(_ *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) { return op(in[0]) }
}

// TestBuiltins checks the harness on Gorgonia built-ins whose gradients are
// known to be right; the expected result is "no mismatch".
func TestBuiltins(t *testing.T) {
	x := Randn(1, 3, 4)
	y := Randn(2, 4, 2)
	z := Randn(3, 3, 4)
	cases := []struct {
		name   string
		f      Func
		inputs []*tensor.Dense
	}{
		{"Tanh", unary(gorgonia.Tanh), []*tensor.Dense{x}},       // 0
		{"Sigmoid", unary(gorgonia.Sigmoid), []*tensor.Dense{x}}, // 1
		{"Exp", unary(gorgonia.Exp), []*tensor.Dense{x}},         // 2
		{"Square", unary(gorgonia.Square), []*tensor.Dense{x}},   // 3
		{"MatMul", func(_ *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) { // 4
			return gorgonia.Mul(in[0], in[1])
		}, []*tensor.Dense{x, y}},
		{"Hadamard", func(_ *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) { // 5
			return gorgonia.HadamardProd(in[0], in[1])
		}, []*tensor.Dense{x, z}},
		{"Sum", unary(func(n *gorgonia.Node) (*gorgonia.Node, error) { return gorgonia.Sum(n) }), []*tensor.Dense{x}}, // 6
		{"ScalarTanh", unary(gorgonia.Tanh), []*tensor.Dense{Randn(4)}},                                               // 7
		{"Float32Input", unary(gorgonia.Tanh), []*tensor.Dense{ // 8: converted to float64
			tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]float32{0.1, -0.5, 1.5, 2}))}},
	}
	for i, c := range cases {
		if err := Check(c.f, c.inputs); err != nil {
			t.Errorf("%d %s: got:%v want:nil", i, c.name, err)
		}
	}
}

// cubeOp is y = k·x³ with gradient g·3k·x², or a deliberately wrong
// gradient (g·2k·x²) when broken; corrupt makes Do overwrite its input.
type cubeOp struct {
	broken, corrupt bool
}

func (op cubeOp) Arity() int    { return 1 }
func (op cubeOp) Type() hm.Type { a := hm.TypeVariable('a'); return hm.NewFnType(a, a) }
func (op cubeOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	return ds[0].(tensor.Shape).Clone(), nil
}
func (op cubeOp) ReturnsPtr() bool     { return false }
func (op cubeOp) CallsExtern() bool    { return false }
func (op cubeOp) OverwritesInput() int { return -1 }
func (op cubeOp) String() string       { return fmt.Sprintf("cube%v%v", op.broken, op.corrupt) }
func (op cubeOp) WriteHash(h hash.Hash) {
	fmt.Fprint(h, op.String())
}
func (op cubeOp) Hashcode() uint32 { h := fnv.New32a(); op.WriteHash(h); return h.Sum32() }

func mapValue(v gorgonia.Value, f func(float64) float64, inPlace bool) gorgonia.Value {
	switch x := v.(type) {
	case *gorgonia.F64:
		return gorgonia.NewF64(f(float64(*x)))
	case *tensor.Dense:
		out := x
		if !inPlace {
			out = x.Clone().(*tensor.Dense)
		}
		for i, e := range out.Float64s() {
			out.Float64s()[i] = f(e)
		}
		return out
	}
	panic(fmt.Sprintf("unexpected %T", v))
}

func (op cubeOp) Do(vs ...gorgonia.Value) (gorgonia.Value, error) {
	return mapValue(vs[0], func(x float64) float64 { return x * x * x }, op.corrupt), nil
}

func (op cubeOp) factor() float64 {
	if op.broken {
		return 2
	}
	return 3
}

func (op cubeOp) DiffWRT(int) []bool { return []bool{true} }
func (op cubeOp) SymDiff(in gorgonia.Nodes, out, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	dx, err := gorgonia.ApplyOp(cubeGradOp{op}, in[0], grad)
	return gorgonia.Nodes{dx}, err
}
func (op cubeOp) DoDiff(_ gorgonia.ExecutionContext, in gorgonia.Nodes, out *gorgonia.Node) error {
	xg, _ := in[0].Grad()
	yg, _ := out.Grad()
	k := op.factor()
	switch d := xg.(type) {
	case *gorgonia.F64:
		x := float64(*in[0].Value().(*gorgonia.F64))
		*d += gorgonia.F64(k * x * x * float64(*yg.(*gorgonia.F64)))
	case *tensor.Dense:
		xs, gs := in[0].Value().Data().([]float64), yg.Data().([]float64)
		for i, v := range d.Float64s() {
			d.Float64s()[i] = v + k*xs[i]*xs[i]*gs[i]
		}
	}
	return nil
}

type cubeGradOp struct{ cubeOp }

func (op cubeGradOp) Arity() int { return 2 }
func (op cubeGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, a)
}
func (op cubeGradOp) String() string { return "cubeGrad" + op.cubeOp.String() }
func (op cubeGradOp) WriteHash(h hash.Hash) {
	fmt.Fprint(h, op.String())
}
func (op cubeGradOp) Hashcode() uint32 { h := fnv.New32a(); op.WriteHash(h); return h.Sum32() }
func (op cubeGradOp) Do(vs ...gorgonia.Value) (gorgonia.Value, error) {
	k := op.factor()
	switch x := vs[0].(type) {
	case *gorgonia.F64:
		return gorgonia.NewF64(k * float64(*x) * float64(*x) * float64(*vs[1].(*gorgonia.F64))), nil
	default:
		xs, gs := x.Data().([]float64), vs[1].Data().([]float64)
		out := x.(*tensor.Dense).Clone().(*tensor.Dense)
		for i := range xs {
			out.Float64s()[i] = k * xs[i] * xs[i] * gs[i]
		}
		return out, nil
	}
}

func cube(op cubeOp) Func {
	return func(_ *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) {
		return gorgonia.ApplyOp(op, in[0])
	}
}

// TestCatchesWrongGradient checks that the harness passes the correct cube op
// and reports the broken one on both machines (expected: a *MismatchError).
func TestCatchesWrongGradient(t *testing.T) {
	x := Randn(5, 2, 3)
	if err := Check(cube(cubeOp{}), []*tensor.Dense{x}); err != nil {
		t.Fatalf("correct op: got:%v want:nil", err)
	}
	if err := Check(cube(cubeOp{}), []*tensor.Dense{Randn(6)}); err != nil {
		t.Fatalf("correct op, scalar: got:%v want:nil", err)
	}
	cases := []struct {
		name   string
		opts   []Option
		method string
	}{
		{"tape", nil, "tape"},                    // 0
		{"lisp", []Option{SkipTape()}, "lisp"},   // 1
		{"scalar", []Option{SkipLisp()}, "tape"}, // 2
	}
	for i, c := range cases {
		in := x
		if c.name == "scalar" {
			in = Randn(6)
		}
		err := Check(cube(cubeOp{broken: true}), []*tensor.Dense{in}, c.opts...)
		var me *MismatchError
		if !errors.As(err, &me) {
			t.Errorf("%d %s: got:%v want:*MismatchError", i, c.name, err)
			continue
		}
		if me.Method != c.method || me.Count != in.Len() {
			t.Errorf("%d %s: got:%s/%d want:%s/%d (%v)", i, c.name, me.Method, me.Count, c.method, in.Len(), err)
		}
	}
}

// TestCatchesInputOverwrite: an op that writes into its input must be reported.
func TestCatchesInputOverwrite(t *testing.T) {
	err := Check(cube(cubeOp{corrupt: true}), []*tensor.Dense{Randn(7, 4)})
	if err == nil || !strings.Contains(err.Error(), "modified input") {
		t.Errorf("got:%v want:error about a modified input", err)
	}
}

// TestErrors covers bad arguments; each must give an error, not a panic.
func TestErrors(t *testing.T) {
	ok := unary(gorgonia.Tanh)
	cases := []struct {
		name   string
		f      Func
		inputs []*tensor.Dense
		opts   []Option
	}{
		{"nil func", nil, []*tensor.Dense{Randn(1, 2)}, nil},                                 // 0
		{"no inputs", ok, nil, nil},                                                          // 1
		{"nil input", ok, []*tensor.Dense{nil}, nil},                                         // 2
		{"int input", ok, []*tensor.Dense{tensor.New(tensor.WithBacking([]int{1, 2}))}, nil}, // 3
		{"wrt range", ok, []*tensor.Dense{Randn(1, 2)}, []Option{WithRespectTo(3)}},          // 4
		{"func error", func(*gorgonia.ExprGraph, []*gorgonia.Node) (*gorgonia.Node, error) { // 5
			return nil, errors.New("boom")
		}, []*tensor.Dense{Randn(1, 2)}, nil},
		{"func panic", func(*gorgonia.ExprGraph, []*gorgonia.Node) (*gorgonia.Node, error) { // 6
			panic("boom")
		}, []*tensor.Dense{Randn(1, 2)}, nil},
	}
	for i, c := range cases {
		if err := Check(c.f, c.inputs, c.opts...); err == nil {
			t.Errorf("%d %s: got:nil want:error", i, c.name)
		}
	}
}

// TestRespectTo differentiates only input 0 of x ⊙ m (m a constant mask).
func TestRespectTo(t *testing.T) {
	m := tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]float64{1, 0, 0, 1}))
	f := func(_ *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) {
		return gorgonia.HadamardProd(in[0], in[1])
	}
	T(t, f, []*tensor.Dense{Randn(8, 2, 2), m}, WithRespectTo(0))
}

// TestNaNConstantInput checks that a NaN in a constant input (a missing
// label that the op masks out) is not mistaken for an input the forward pass
// overwrote.
func TestNaNConstantInput(t *testing.T) {
	labels := tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]float64{1, math.NaN(), 0, 1}))
	f := func(_ *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) {
		// Use only the first label, as a mask would select present ones.
		l, err := gorgonia.Slice(in[1], gorgonia.S(0), gorgonia.S(0))
		if err != nil {
			return nil, err
		}
		sq, err := gorgonia.Square(in[0])
		if err != nil {
			return nil, err
		}
		return gorgonia.Mul(sq, l)
	}
	T(t, f, []*tensor.Dense{Randn(9, 2, 2), labels}, WithRespectTo(0))
}
