package sgemm

import (
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// minParallelFlops is the product size (m·k·n) from which Mul splits rows
// across goroutines.
const minParallelFlops = 1 << 21

// Mul sets c (m×n) to a (m×k) times b (k×n), all row-major and contiguous.
// It panics if a slice is shorter than its matrix or a dimension is negative.
func Mul(c, a, b []float32, m, k, n int) {
	if m < 0 || k < 0 || n < 0 || len(a) < m*k || len(b) < k*n || len(c) < m*n {
		panic("sgemm: bad dimensions")
	}
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		clear(c[:m*n])
		return
	}
	if !useAVX2 || n%16 != 0 {
		gonum.Implementation{}.Sgemm(blas.NoTrans, blas.NoTrans, m, n, k, 1, a, k, b, n, 0, c, n)
		return
	}
	m6 := m - m%6
	w := runtime.GOMAXPROCS(0)
	if m*k*n < minParallelFlops {
		w = 1
	}
	w = max(1, min(w, m6/6))
	per := (m6/6 + w - 1) / w * 6
	var wg sync.WaitGroup
	for lo := 0; lo < m6; lo += per {
		hi := min(lo+per, m6)
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			block(c, a, b, lo, hi, k, n)
		}(lo, hi)
	}
	if r := m - m6; r > 0 {
		// remaining 1..5 rows through a zero-padded 6-row block
		pa := make([]float32, 6*k)
		copy(pa, a[m6*k:m*k])
		pc := make([]float32, 6*n)
		block(pc, pa, b, 0, 6, k, n)
		copy(c[m6*n:m*n], pc[:r*n])
	}
	wg.Wait()
}

// block computes rows [lo, hi) (a multiple of 6) of c, panel by panel.
func block(c, a, b []float32, lo, hi, k, n int) {
	for j := 0; j < n; j += 16 {
		for i := lo; i < hi; i += 6 {
			kern6x16(k, &a[i*k], k, &b[j], n, &c[i*n+j], n)
		}
	}
}
