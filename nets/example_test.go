package nets_test

import (
	"fmt"

	"gorgonia.org/gorgonia"

	"github.com/selunet/selunet/graph"
	"github.com/selunet/selunet/nets"
)

// An 8-layer conic SNN with alpha dropout for 12 binary tasks, bound into a
// training graph and an evaluation graph that share its weights.
func Example() {
	spec := nets.Spec{Arch: nets.SNN, Layers: 8, Units: 1024, Shape: nets.Conic, Dropout: 0.05, Dtype: "float32"}
	net, err := nets.New(spec, 2048, 12, nets.Binary, 42)
	if err != nil {
		panic(err)
	}
	fmt.Println("widths:", spec.Widths(12))
	fmt.Println("parameters:", len(net.Params.All()))

	trainG, err := net.Build(net.Input(gorgonia.NewGraph(), 128), graph.Train, 1)
	if err != nil {
		panic(err)
	}
	evalG, err := net.Build(net.Input(gorgonia.NewGraph(), 1000), graph.Eval, 0)
	if err != nil {
		panic(err)
	}
	fmt.Println("train logits:", trainG.Out.Shape(), "eval logits:", evalG.Out.Shape())
	// Output:
	// widths: [1024 587 337 193 111 64 36 21]
	// parameters: 18
	// train logits: (128, 12) eval logits: (1000, 12)
}
