package sgemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func naive(a, b []float32, m, k, n int) []float64 {
	c := make([]float64, m*n)
	for i := 0; i < m; i++ {
		for p := 0; p < k; p++ {
			av := float64(a[i*k+p])
			for j := 0; j < n; j++ {
				c[i*n+j] += av * float64(b[p*n+j])
			}
		}
	}
	return c
}

func randf(rng *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	return x
}

// TestMul compares with a float64 triple loop on shapes that exercise the
// AVX2 kernel, the row remainder, a partial column panel and k = 0. Tolerance:
// float32 accumulation over k terms, 1e-5·sqrt(k)·(1 + |want|).
func TestMul(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cases := [][3]int{
		{6, 1, 16},     // 0
		{7, 5, 32},     // 1: remainder rows
		{13, 33, 48},   // 2
		{5, 8, 16},     // 3: fewer than 6 rows
		{12, 7, 10},    // 4: partial panel (n % 16 != 0)
		{64, 256, 256}, // 5: parallel split
		{4, 0, 16},     // 6: k = 0
	}
	for i, c := range cases {
		m, k, n := c[0], c[1], c[2]
		a, b := randf(rng, m*k), randf(rng, k*n)
		got := make([]float32, m*n)
		for j := range got {
			got[j] = float32(math.NaN()) // must be overwritten
		}
		Mul(got, a, b, m, k, n)
		want := naive(a, b, m, k, n)
		tol := 1e-5 * math.Sqrt(float64(k)+1)
		for j := range want {
			if d := math.Abs(float64(got[j]) - want[j]); !(d <= tol*(1+math.Abs(want[j]))) {
				t.Fatalf("%d %v element %d: got:%v want:%v", i, c, j, got[j], want[j])
			}
		}
	}
}

// BenchmarkMul: the selfnorm layer product 1024×256 · 256×256 and a
// 128×1024 · 1024×1024 training-size product.
func BenchmarkMul(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, s := range [][3]int{{1024, 256, 256}, {128, 1024, 1024}} {
		b.Run(fmt.Sprintf("%dx%dx%d", s[0], s[1], s[2]), func(b *testing.B) {
			a, bb := randf(rng, s[0]*s[1]), randf(rng, s[1]*s[2])
			c := make([]float32, s[0]*s[2])
			for b.Loop() {
				Mul(c, a, bb, s[0], s[1], s[2])
			}
			b.ReportMetric(2*float64(s[0]*s[1]*s[2])*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
