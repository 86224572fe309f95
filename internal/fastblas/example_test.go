package fastblas_test

import (
	"fmt"

	"github.com/selunet/selunet/internal/fastblas"
	"gonum.org/v1/gonum/blas"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// ExampleImplementation_Sgemm computes C = 2·A·Bᵀ with A 2×3 and B 2×3.
func ExampleImplementation_Sgemm() {
	a := []float32{1, 2, 3, 4, 5, 6}
	b := []float32{1, 0, 1, 0, 1, 0}
	c := make([]float32, 4)
	fastblas.Implementation{}.Sgemm(blas.NoTrans, blas.Trans, 2, 2, 3, 2, a, 3, b, 3, 0, c, 2)
	fmt.Printf("%.4f\n", c)
	// Output: [8.0000 4.0000 20.0000 10.0000]
}

// Example makes Gorgonia's matrix products use fastblas, then restores the
// previous BLAS.
func Example() {
	prev := gorgonia.WhichBLAS()
	gorgonia.Use(fastblas.Implementation{})
	defer gorgonia.Use(prev)

	g := gorgonia.NewGraph()
	x := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(1, 2), gorgonia.WithName("x"),
		gorgonia.WithValue(tensor.New(tensor.WithShape(1, 2), tensor.WithBacking([]float32{1, 2}))))
	w := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(2, 2), gorgonia.WithName("w"),
		gorgonia.WithValue(tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]float32{0.5, -1, 0.25, 2}))))
	y := gorgonia.Must(gorgonia.Mul(x, w))
	m := gorgonia.NewTapeMachine(g)
	defer m.Close()
	if err := m.RunAll(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.4f\n", y.Value().Data())
	// Output: [1.0000 3.0000]
}
