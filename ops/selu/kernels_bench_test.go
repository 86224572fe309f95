package selu

import (
	"fmt"
	"math/rand/v2"
	"testing"
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
			for b.Loop() {
				Forward32(y, x)
				Backward32(dx, dy, y)
			}
		})
	}
}

// BenchmarkKernelFwd32 times Forward32 alone.
func BenchmarkKernelFwd32(b *testing.B) {
	for _, s := range benchShapes {
		b.Run(fmt.Sprintf("%dx%d", s[0], s[1]), func(b *testing.B) {
			n := s[0] * s[1]
			x, y := randn32(1, n), make([]float32, n)
			for b.Loop() {
				Forward32(y, x)
			}
		})
	}
}
