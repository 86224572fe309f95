package alphadropout_test

import (
	"fmt"

	"github.com/selunet/selunet/graph"
	"github.com/selunet/selunet/ops/alphadropout"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Example builds a train graph with alpha dropout at rate 0.5 and an eval
// graph where the same call is the identity.
func Example() {
	a, b := alphadropout.Coefficients(0.05)
	fmt.Printf("a=%.4f b=%.4f\n", a, b)

	x := tensor.New(tensor.WithShape(8), tensor.WithBacking([]float64{1, 1, 1, 1, 1, 1, 1, 1}))
	for _, mode := range []graph.Mode{graph.Train, graph.Eval} {
		g := gorgonia.NewGraph()
		xn := gorgonia.NewVector(g, tensor.Float64, gorgonia.WithShape(8), gorgonia.WithName("x"), gorgonia.WithValue(x))
		y, err := alphadropout.Apply(xn, 0.5, mode, 4)
		if err != nil {
			fmt.Println(err)
			return
		}
		m := gorgonia.NewTapeMachine(g)
		if err := m.RunAll(); err != nil {
			fmt.Println(err)
			return
		}
		m.Close()
		fmt.Print(mode, ":")
		for _, v := range y.Value().Data().([]float64) {
			fmt.Printf(" %.4f", v)
		}
		fmt.Println()
	}
	// Output:
	// a=0.9548 b=0.0839
	// train: -0.7792 -0.7792 1.6656 1.6656 -0.7792 1.6656 1.6656 -0.7792
	// eval: 1.0000 1.0000 1.0000 1.0000 1.0000 1.0000 1.0000 1.0000
}
