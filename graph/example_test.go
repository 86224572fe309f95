package graph_test

import (
	"fmt"

	"github.com/selunet/selunet/graph"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Example binds one weight matrix into a train graph and an eval graph.
func Example() {
	ps := graph.NewParams(tensor.Float64, 42)
	w := ps.Add("w", tensor.Shape{2, 1}, graph.Constant(0.5))

	train, eval := gorgonia.NewGraph(), gorgonia.NewGraph()
	wt, we := w.Node(train), w.Node(eval)
	fmt.Println(wt.Value() == we.Value(), len(ps.Nodes(train)), graph.Eval)

	w.Value.Float64s()[0] = 2 // an in-place update is seen by both graphs
	fmt.Printf("%.4f %.4f\n", wt.Value().Data().([]float64)[0], we.Value().Data().([]float64)[0])
	// Output:
	// true 1 eval
	// 2.0000 2.0000
}
