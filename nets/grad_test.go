package nets

import (
	"math/rand/v2"
	"slices"
	"strings"
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
			// Weights that start at zero (a residual block's last layer)
			// would hide their branch from the check: give them values.
			r := rand.New(rand.NewPCG(7, 1))
			for _, p := range net.Params.All() {
				w := p.Value.Data().([]float64)
				if strings.HasSuffix(p.Name, "/W") && !slices.ContainsFunc(w, func(v float64) bool { return v != 0 }) {
					for i := range w {
						w[i] = r.NormFloat64() / 4
					}
				}
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
