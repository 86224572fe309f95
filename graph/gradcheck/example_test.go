package gradcheck_test

import (
	"fmt"
	"math"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selunet/selunet/graph/gradcheck"
	"github.com/selunet/selunet/ops/kit"
)

// softsign is a user op, y = x / (1 + |x|) with dy/dx = 1 / (1 + |x|)²,
// written with package ops/kit: its math is the whole op.
var softsign = &kit.Unary{
	Name:  "softsign",
	F:     func(x float64) float64 { return x / (1 + math.Abs(x)) },
	DF:    func(x float64) float64 { d := 1 + math.Abs(x); return 1 / (d * d) },
	Deriv: kit.FromInput,
}

// Example writes a new op and checks its gradients (tape and lisp machines
// against finite differences) in one line; in a test that line is
//
//	gradcheck.Unary(t, softsign.Apply, gradcheck.Randn(42, 3, 4))
func Example() {
	x := gradcheck.Randn(42, 3, 4) // away from the kink of |x| at 0
	err := gradcheck.Check(func(_ *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) {
		return softsign.Apply(in[0])
	}, []*tensor.Dense{x})
	fmt.Println("softsign gradients:", err)
	// Output:
	// softsign gradients: <nil>
}
