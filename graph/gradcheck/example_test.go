package gradcheck_test

import (
	"fmt"
	"hash"
	"hash/fnv"
	"math"

	"github.com/chewxy/hm"
	"github.com/selunet/selunet/graph/gradcheck"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// softsign is a user op: y = x / (1 + |x|), dy/dx = 1 / (1 + |x|)², for
// float64 tensors of any shape. It implements gorgonia.Op, SDOp and ADOp.
type softsign struct{}

func (softsign) Arity() int    { return 1 }
func (softsign) Type() hm.Type { a := hm.TypeVariable('a'); return hm.NewFnType(a, a) }
func (softsign) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	return ds[0].(tensor.Shape).Clone(), nil
}
func (softsign) ReturnsPtr() bool         { return false }
func (softsign) CallsExtern() bool        { return false }
func (softsign) OverwritesInput() int     { return -1 }
func (softsign) String() string           { return "softsign" }
func (op softsign) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op softsign) Hashcode() uint32      { h := fnv.New32a(); op.WriteHash(h); return h.Sum32() }

// Do never writes into its input: it returns a fresh tensor.
func (softsign) Do(vs ...gorgonia.Value) (gorgonia.Value, error) {
	y := vs[0].(*tensor.Dense).Clone().(*tensor.Dense)
	for i, x := range y.Float64s() {
		y.Float64s()[i] = x / (1 + math.Abs(x))
	}
	return y, nil
}

// DiffWRT: differentiable with respect to its single input.
func (softsign) DiffWRT(int) []bool { return []bool{true} }

// SymDiff builds dx = dy / (1 + |x|)² from Gorgonia built-ins.
func (softsign) SymDiff(in gorgonia.Nodes, _, dy *gorgonia.Node) (gorgonia.Nodes, error) {
	one := gorgonia.NewConstant(1.0)
	den := gorgonia.Must(gorgonia.Square(gorgonia.Must(gorgonia.Add(one, gorgonia.Must(gorgonia.Abs(in[0]))))))
	dx, err := gorgonia.HadamardDiv(dy, den)
	return gorgonia.Nodes{dx}, err
}

// DoDiff ADDS dy / (1 + |x|)² into x's gradient.
func (softsign) DoDiff(_ gorgonia.ExecutionContext, in gorgonia.Nodes, out *gorgonia.Node) error {
	xg, err := in[0].Grad()
	if err != nil {
		return err
	}
	dy, err := out.Grad()
	if err != nil {
		return err
	}
	x, g, acc := in[0].Value().Data().([]float64), dy.Data().([]float64), xg.Data().([]float64)
	for i := range acc {
		d := 1 + math.Abs(x[i])
		acc[i] += g[i] / (d * d)
	}
	return nil
}

// Example writes a new op and checks its gradients in one line.
func Example() {
	x := gradcheck.Randn(42, 3, 4) // away from the kink of |x| at 0
	err := gradcheck.Check(func(g *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) {
		return gorgonia.ApplyOp(softsign{}, in[0])
	}, []*tensor.Dense{x})
	fmt.Println("softsign gradients:", err)
	// Output:
	// softsign gradients: <nil>
}
