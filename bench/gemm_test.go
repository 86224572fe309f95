// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

package bench

import (
	"runtime"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gorgonia.org/gorgonia"

	"github.com/selunet/selunet/backend"
)

// BenchmarkSgemm times the three float32 matrix products of one hidden
// layer of the refbench step through the BLAS Gorgonia uses (pure Go or
// OpenBLAS, see backend.Name): forward 128×1024·1024×1024 (NN), input
// gradient dY·Wᵀ (NT), weight gradient Hᵀ·dY (TN). The step does 8 of each
// (plus the thin output layer), so 24 products ≈ the GEMM floor of a step.
func BenchmarkSgemm(b *testing.B) {
	backend.SetThreads(runtime.GOMAXPROCS(0))
	const m, n, k = 128, 1024, 1024
	a := make([]float32, m*k)
	w := make([]float32, k*n)
	c := make([]float32, m*n)
	dw := make([]float32, k*n)
	for i := range a {
		a[i] = float32(i%7) * 0.1
	}
	for i := range w {
		w[i] = float32(i%5) * 0.01
	}
	impl := gorgonia.WhichBLAS()
	cases := []struct {
		name string
		fn   func()
	}{
		{"NN_128x1024x1024", func() { impl.Sgemm(blas.NoTrans, blas.NoTrans, m, n, k, 1, a, k, w, n, 0, c, n) }},
		{"NT_128x1024x1024", func() { impl.Sgemm(blas.NoTrans, blas.Trans, m, k, n, 1, c, n, w, n, 0, a, k) }},
		{"TN_1024x1024x128", func() { impl.Sgemm(blas.Trans, blas.NoTrans, k, n, m, 1, a, k, c, n, 0, dw, n) }},
	}
	for _, cs := range cases {
		b.Run(cs.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				cs.fn()
			}
			b.ReportMetric(2*m*n*k*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
