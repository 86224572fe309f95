package selu

import (
	"testing"

	"github.com/selunet/selunet/internal/cputime"
	"github.com/selunet/selunet/ops/internal/optest"
)

// BenchmarkKernelFwdBwd32 times Forward32 followed by Backward32 on N(0,1)
// float32 input (seed 1), as PyTorch's refbench "fwd+bwd".
func BenchmarkKernelFwdBwd32(b *testing.B) {
	optest.EachShape(b, func(b *testing.B, rows, cols int) {
		n := rows * cols
		x, dy := optest.Randn32(1, n), optest.Randn32(2, n)
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

// BenchmarkKernelFwd32 times Forward32 alone.
func BenchmarkKernelFwd32(b *testing.B) {
	optest.EachShape(b, func(b *testing.B, rows, cols int) {
		n := rows * cols
		x, y := optest.Randn32(1, n), make([]float32, n)
		ct := cputime.Start()
		for b.Loop() {
			Forward32(y, x)
		}
		ct.Report(b)
	})
}

// BenchmarkGraphFwdBwd32 times one TapeMachine run of y = selu(x) and
// dx = gorgonia.Backpropagate(y, dy) with a fixed random upstream gradient
// dy bound to an input node (as refbench's torch.autograd.grad), float32.
func BenchmarkGraphFwdBwd32(b *testing.B) { optest.GraphFwdBwd32(b, Apply) }
