package selu

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selunet/selunet/internal/cputime"
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

// BenchmarkKernelFwdBwd32 times Forward32 followed by Backward32 on N(0,1)
// float32 input (seed 1), as PyTorch's refbench "fwd+bwd".
func BenchmarkKernelFwdBwd32(b *testing.B) {
	for _, s := range benchShapes {
		b.Run(fmt.Sprintf("%dx%d", s[0], s[1]), func(b *testing.B) {
			n := s[0] * s[1]
			x, dy := randn32(1, n), randn32(2, n)
			y, dx := make([]float32, n), make([]float32, n)
			b.SetBytes(int64(n) * 4)
			ct := cputime.Start()
			for b.Loop() {
				Forward32(y, x)
				Backward32(dx, dy, y)
			}
			ct.Report(b)
		})
	}
}

// BenchmarkKernelFwd32 times Forward32 alone.
func BenchmarkKernelFwd32(b *testing.B) {
	for _, s := range benchShapes {
		b.Run(fmt.Sprintf("%dx%d", s[0], s[1]), func(b *testing.B) {
			n := s[0] * s[1]
			x, y := randn32(1, n), make([]float32, n)
			ct := cputime.Start()
			for b.Loop() {
				Forward32(y, x)
			}
			ct.Report(b)
		})
	}
}

// BenchmarkGraphFwdBwd32 times one TapeMachine run of y = selu(x) and
// dx = gorgonia.Backpropagate(y, dy) with a fixed random upstream gradient
// dy bound to an input node (as refbench's torch.autograd.grad), float32.
func BenchmarkGraphFwdBwd32(b *testing.B) {
	for _, s := range benchShapes {
		b.Run(fmt.Sprintf("%dx%d", s[0], s[1]), func(b *testing.B) {
			n := s[0] * s[1]
			g := gorgonia.NewGraph()
			x := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(s[0], s[1]), gorgonia.WithName("x"),
				gorgonia.WithValue(tensor.New(tensor.WithShape(s[0], s[1]), tensor.WithBacking(randn32(1, n)))))
			dy := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(s[0], s[1]), gorgonia.WithName("dy"),
				gorgonia.WithValue(tensor.New(tensor.WithShape(s[0], s[1]), tensor.WithBacking(randn32(2, n)))))
			y, err := Apply(x)
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
