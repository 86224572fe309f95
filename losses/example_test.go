package losses_test

import (
	"fmt"
	"math"

	"github.com/selunet/selunet/losses"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// ExampleBCEWithLogits computes a masked multi-task loss: two samples, two
// tasks, the second label of the second sample missing (NaN, mask 0).
func ExampleBCEWithLogits() {
	g := gorgonia.NewGraph()
	mat := func(name string, v ...float64) *gorgonia.Node {
		return gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(2, 2), tensor.WithBacking(v)), gorgonia.WithName(name))
	}
	z := mat("z", 0, 2, -1, 100)
	y := mat("y", 1, 1, 0, math.NaN())
	m := mat("m", 1, 1, 1, 0)
	loss, err := losses.BCEWithLogits(z, y, m)
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := gorgonia.Grad(loss, z); err != nil {
		fmt.Println(err)
		return
	}
	vm := gorgonia.NewTapeMachine(g, gorgonia.BindDualValues(z))
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		fmt.Println(err)
		return
	}
	dz, _ := z.Grad()
	fmt.Printf("loss %.4f\n", loss.Value().Data()) // (log 2 + log1p(e^-2) + log1p(e^-1))/3
	fmt.Printf("grad %.4f\n", dz.Data())
	// Output:
	// loss 0.3778
	// grad [-0.1667 -0.0397 0.0896 0.0000]
}

// ExampleSoftmaxCrossEntropy computes the mean cross-entropy of two rows.
func ExampleSoftmaxCrossEntropy() {
	g := gorgonia.NewGraph()
	z := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float64{1, 2, 3, 0, 0, 0})), gorgonia.WithName("z"))
	y := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float64{0, 0, 1, 1, 0, 0})), gorgonia.WithName("y"))
	loss, err := losses.SoftmaxCrossEntropy(z, y, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.4f\n", loss.Value().Data()) // (0.4076 + log 3)/2
	// Output:
	// 0.7531
}
