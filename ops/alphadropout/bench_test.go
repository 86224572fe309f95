package alphadropout

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/selunet/selunet/graph"
	"github.com/selunet/selunet/internal/cputime"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

var benchShapes = [][2]int{{128, 1024}, {1024, 1024}}

func randn32(seed uint64, n int) []float32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	return x
}

// BenchmarkKernelFwdBwd32 times the op's forward (mask draw + transform) and
// backward on float32 N(0,1) input at rate 0.05 (refbench uses p = 0.05),
// without a graph.
func BenchmarkKernelFwdBwd32(b *testing.B) {
	for _, s := range benchShapes {
		b.Run(fmt.Sprintf("%dx%d", s[0], s[1]), func(b *testing.B) {
			n := s[0] * s[1]
			x := tensor.New(tensor.WithShape(s[0], s[1]), tensor.WithBacking(randn32(1, n)))
			dy := tensor.New(tensor.WithShape(s[0], s[1]), tensor.WithBacking(randn32(2, n)))
			y := tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(s[0], s[1]))
			dx := tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(s[0], s[1]))
			op, _ := New(0.05, 1, 0)
			b.SetBytes(int64(n) * 4)
			ct := cputime.Start()
			for b.Loop() {
				if _, err := op.forward(y, x); err != nil {
					b.Fatal(err)
				}
				if _, err := op.backward(dx, dy, false); err != nil {
					b.Fatal(err)
				}
			}
			ct.Report(b)
		})
	}
}

// BenchmarkGraphFwdBwd32 times one TapeMachine run of y = dropout(x) and
// dx = gorgonia.Backpropagate(y, dy) with a fixed random upstream gradient dy
// bound to an input node (as refbench's torch.autograd.grad), float32, rate
// 0.05.
func BenchmarkGraphFwdBwd32(b *testing.B) {
	for _, s := range benchShapes {
		b.Run(fmt.Sprintf("%dx%d", s[0], s[1]), func(b *testing.B) {
			n := s[0] * s[1]
			g := gorgonia.NewGraph()
			x := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(s[0], s[1]), gorgonia.WithName("x"),
				gorgonia.WithValue(tensor.New(tensor.WithShape(s[0], s[1]), tensor.WithBacking(randn32(1, n)))))
			dy := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(s[0], s[1]), gorgonia.WithName("dy"),
				gorgonia.WithValue(tensor.New(tensor.WithShape(s[0], s[1]), tensor.WithBacking(randn32(2, n)))))
			y, err := Apply(x, 0.05, graph.Train, 1)
			if err != nil {
				b.Fatal(err)
			}
			dx, err := gorgonia.Backpropagate(gorgonia.Nodes{y}, gorgonia.Nodes{dy}, gorgonia.Nodes{x})
			if err != nil {
				b.Fatal(err)
			}
			var dxv gorgonia.Value
			gorgonia.Read(dx[0], &dxv)
			m := gorgonia.NewTapeMachine(g)
			defer m.Close()
			b.SetBytes(int64(n) * 4)
			ct := cputime.Start()
			for b.Loop() {
				if err := m.RunAll(); err != nil {
					b.Fatal(err)
				}
				m.Reset()
			}
			ct.Report(b)
		})
	}
}
