// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

package bias_test

import (
	"fmt"

	"github.com/selunet/selunet/ops/bias"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Example adds a bias to both rows of a matrix and reads the gradients of
// sum(x + b): ones for x, the row count for b.
func Example() {
	g := gorgonia.NewGraph()
	x := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(2, 3), gorgonia.WithName("x"),
		gorgonia.WithValue(tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float64{1, 2, 3, 4, 5, 6}))))
	b := gorgonia.NewVector(g, tensor.Float64, gorgonia.WithShape(3), gorgonia.WithName("b"),
		gorgonia.WithValue(tensor.New(tensor.WithBacking([]float64{0.5, -1, 2}))))
	y := gorgonia.Must(bias.Add(x, b))
	if _, err := gorgonia.Grad(gorgonia.Must(gorgonia.Sum(y)), x, b); err != nil {
		fmt.Println(err)
		return
	}
	m := gorgonia.NewTapeMachine(g, gorgonia.BindDualValues(x, b))
	defer m.Close()
	if err := m.RunAll(); err != nil {
		fmt.Println(err)
		return
	}
	db, _ := b.Grad()
	fmt.Printf("y=%.4f\ndb=%.4f\n", y.Value().Data(), db.Data())
	// Output:
	// y=[1.5000 1.0000 5.0000 4.5000 4.0000 8.0000]
	// db=[2.0000 2.0000 2.0000]
}
