// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

package backend_test

import (
	"fmt"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selunet/selunet/backend"
)

// Example runs a tiny graph three times, keeping its intermediate tensors
// between runs with a Keeper instead of reallocating them with vm.Reset.
func Example() {
	backend.SetThreads(1)
	g := gorgonia.NewGraph()
	x := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithName("x"),
		gorgonia.WithValue(tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]float32{1, 2, 3, 4}))))
	y := gorgonia.Must(gorgonia.Tanh(gorgonia.Must(gorgonia.Mul(x, x))))
	s := gorgonia.Must(gorgonia.Sum(y))
	var out gorgonia.Value
	gorgonia.Read(s, &out)

	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	k := backend.NewKeeper(vm)
	for i := 0; i < 3; i++ {
		if err := vm.RunAll(); err != nil {
			panic(err)
		}
		fmt.Printf("run %d: %.4f\n", i, out.Data().(float32))
		k.Reset()
	}
	// Output:
	// run 0: 4.0000
	// run 1: 4.0000
	// run 2: 4.0000
}
