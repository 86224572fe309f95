package kit_test

import (
	"fmt"
	"math"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selunet/selunet/ops/kit"
)

// Softsign is a whole new op: y = x / (1 + |x|), dy/dx = 1 / (1 + |x|)².
// Its test checks the gradients in one line:
//
//	gradcheck.Unary(t, Softsign.Apply, gradcheck.Randn(1, 3, 4))
var Softsign = &kit.Unary{
	Name:  "softsign",
	F:     func(x float64) float64 { return x / (1 + math.Abs(x)) },
	DF:    func(x float64) float64 { d := 1 + math.Abs(x); return 1 / (d * d) },
	Deriv: kit.FromInput,
}

// Example defines softsign with the kit and differentiates sum(softsign(x)).
func Example() {
	g := gorgonia.NewGraph()
	x := gorgonia.NewVector(g, tensor.Float32, gorgonia.WithShape(3), gorgonia.WithName("x"),
		gorgonia.WithValue(tensor.New(tensor.WithBacking([]float32{-3, 0, 1}))))
	y := gorgonia.Must(Softsign.Apply(x))
	if _, err := gorgonia.Grad(gorgonia.Must(gorgonia.Sum(y)), x); err != nil {
		fmt.Println(err)
		return
	}
	m := gorgonia.NewTapeMachine(g, gorgonia.BindDualValues(x))
	defer m.Close()
	if err := m.RunAll(); err != nil {
		fmt.Println(err)
		return
	}
	dx, _ := x.Grad()
	fmt.Println(y.Value().Data(), dx.Data())
	// Output:
	// [-0.75 0 0.5] [0.0625 1 0.25]
}
