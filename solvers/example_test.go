package solvers_test

import (
	"fmt"

	"github.com/selunet/selunet/solvers"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Example trains w to minimise (w − 3)² with Adam on a Gorgonia graph.
func Example() {
	g := gorgonia.NewGraph()
	wv := gorgonia.NewVector(g, tensor.Float64, gorgonia.WithShape(1), gorgonia.WithName("w"),
		gorgonia.WithValue(tensor.New(tensor.WithShape(1), tensor.WithBacking([]float64{0}))))
	three := gorgonia.NewConstant(3.0)
	loss := gorgonia.Must(gorgonia.Sum(gorgonia.Must(gorgonia.Square(gorgonia.Must(gorgonia.Sub(wv, three))))))
	if _, err := gorgonia.Grad(loss, wv); err != nil {
		fmt.Println(err)
		return
	}
	vm := gorgonia.NewTapeMachine(g, gorgonia.BindDualValues(wv))
	defer vm.Close()

	s, err := solvers.New(solvers.Config{Name: "adam", LR: 0.1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := 0; i < 500; i++ {
		if err := vm.RunAll(); err != nil {
			fmt.Println(err)
			return
		}
		if err := s.Step(gorgonia.NodesToValueGrads(gorgonia.Nodes{wv})); err != nil {
			fmt.Println(err)
			return
		}
		vm.Reset()
	}
	fmt.Printf("w = %.4f after %d steps\n", wv.Value().Data().([]float64)[0], s.Steps())
	// Output:
	// w = 3.0000 after 500 steps
}

// ExampleCosine prints a cosine schedule with two warm-up steps.
func ExampleCosine() {
	s := solvers.ScheduleConfig{Kind: "cosine", TMax: 4, MinLR: 0, Warmup: 2}.Build(0.1)
	for step := 0; step < 7; step++ {
		fmt.Printf("%.4f ", s.LR(step))
	}
	fmt.Println()
	// Output:
	// 0.0500 0.1000 0.1000 0.0854 0.0500 0.0146 0.0000
}

// ExampleNew shows an error that names the key.
func ExampleNew() {
	_, err := solvers.New(solvers.Config{Name: "sgd", LR: -1})
	fmt.Println(err)
	// Output:
	// optimizer.lr: must be > 0, got -1
}

// ExampleWithoutZeroGrads: one SGD step that leaves the gradient in place
// (for gradients a TapeMachine overwrites on every run anyway).
func ExampleWithoutZeroGrads() {
	w := tensor.New(tensor.WithBacking([]float64{1, 2}))
	g := tensor.New(tensor.WithBacking([]float64{0.5, -1}))
	s := solvers.NewSGD(solvers.WithLR(0.1), solvers.WithoutZeroGrads())
	if err := s.Step([]gorgonia.ValueGrad{pair{w, g}}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("w=%.4f g=%.4f zeroes=%v\n", w.Data(), g.Data(), s.(solvers.GradZeroer).ZeroGrads())
	// Output:
	// w=[0.9500 2.1000] g=[0.5000 -1.0000] zeroes=false
}

// pair is a value and its gradient.
type pair struct{ v, g *tensor.Dense }

func (p pair) Value() gorgonia.Value         { return p.v }
func (p pair) Grad() (gorgonia.Value, error) { return p.g, nil }
