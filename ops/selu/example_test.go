package selu_test

import (
	"fmt"

	"github.com/selunet/selunet/ops/selu"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Example applies SELU in a graph and reads the gradient of sum(selu(x)).
func Example() {
	g := gorgonia.NewGraph()
	x := gorgonia.NewVector(g, tensor.Float64, gorgonia.WithShape(3), gorgonia.WithName("x"),
		gorgonia.WithValue(tensor.New(tensor.WithBacking([]float64{-1, 0, 2}))))
	y := gorgonia.Must(selu.Apply(x))
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
	for i, v := range y.Value().Data().([]float64) {
		fmt.Printf("selu=%.4f d=%.4f\n", v, dx.Data().([]float64)[i])
	}
	// Output:
	// selu=-1.1113 d=0.6468
	// selu=0.0000 d=1.7581
	// selu=2.1014 d=1.0507
}

// ExampleSolve finds the SELU constants for the fixed point (0, 2) (paper A5).
func ExampleSolve() {
	p, err := selu.Solve(0, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("alpha=%.5f lambda=%.5f\n", p.Alpha, p.Lambda)
	// Output:
	// alpha=1.97126 lambda=1.06071
}

// ExampleForward32 uses the graph-free kernels.
func ExampleForward32() {
	x := []float32{-1, 0.5}
	y, dx := make([]float32, 2), make([]float32, 2)
	selu.Forward32(y, x)
	selu.Backward32(dx, []float32{1, 1}, y)
	fmt.Printf("%.4f %.4f | %.4f %.4f\n", y[0], y[1], dx[0], dx[1])
	// Output:
	// -1.1113 0.5254 | 0.6468 1.0507
}
