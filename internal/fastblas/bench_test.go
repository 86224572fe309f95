package fastblas

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// BenchmarkSgemm times the products of one training step of a 1024-wide
// layer with batch 128 (X·W, dY·Wᵀ, Xᵀ·dY) and a 2048-wide forward
// product, for fastblas and gonum; run with -cpu 1,2 for 1 and 2 threads.
// Inputs are N(0,1) from a fixed seed.
func BenchmarkSgemm(b *testing.B) {
	N, T := blas.NoTrans, blas.Trans
	shapes := []struct {
		name    string
		tA, tB  blas.Transpose
		m, n, k int
	}{
		{"XW_128x1024x1024", N, N, 128, 1024, 1024},
		{"dYWt_128x1024x1024", N, T, 128, 1024, 1024},
		{"XtdY_1024x1024x128", T, N, 1024, 1024, 128},
		{"XW_128x2048x2048", N, N, 128, 2048, 2048},
	}
	impls := []struct {
		name string
		f    blas.Float32
	}{{"fastblas", Implementation{}}, {"gonum", gonum.Implementation{}}}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, s := range shapes {
		lda, ldb := s.k, s.n
		if s.tA == T {
			lda = s.m
		}
		if s.tB == T {
			ldb = s.k
		}
		a, bb, c := randSlice(rng, s.m*s.k), randSlice(rng, s.k*s.n), make([]float32, s.m*s.n)
		for _, im := range impls {
			b.Run(fmt.Sprintf("%s/%s", s.name, im.name), func(b *testing.B) {
				for b.Loop() {
					im.f.Sgemm(s.tA, s.tB, s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, s.n)
				}
				b.ReportMetric(2*float64(s.m*s.n*s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
