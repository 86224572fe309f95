package nets

import (
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selunet/selunet/graph"
	"github.com/selunet/selunet/graph/gradcheck"
)

// TestGradients checks every architecture's training graph end to end in
// float64: the symbolic gradient of the logits with respect to the input,
// on the tape and the Lisp machine, against finite differences. Batch and
// layer normalization reach the input through their batch or row
// statistics, so a wrong gradient anywhere in them shows here.
func TestGradients(t *testing.T) {
	cases := []struct {
		arch, shape string
		head        Head
	}{
		{SNN, Rectangular, Binary},
		{MSRA, Rectangular, Binary},
		{BatchNorm, Rectangular, Binary},
		{LayerNorm, Rectangular, MultiClass},
		{WeightNorm, Rectangular, Binary},
		{Highway, Rectangular, Binary},
		{ResNet, Rectangular, Binary},
		{ResNet, Diavolo, MultiClass},
	}
	for _, c := range cases {
		t.Run(c.arch+"/"+c.shape, func(t *testing.T) {
			spec := DefaultSpec()
			spec.Arch, spec.Layers, spec.Units, spec.Shape, spec.Dtype = c.arch, 2, 8, c.shape, "float64"
			net, err := New(spec, 4, 3, c.head, 7)
			if err != nil {
				t.Fatal(err)
			}
			gradcheck.T(t, func(g *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) {
				b, err := net.Build(in[0], graph.Train, 1)
				if err != nil {
					return nil, err
				}
				return b.Out, nil
			}, []*tensor.Dense{gradcheck.Randn(3, 6, 4)})
		})
	}
}
