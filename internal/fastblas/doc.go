// Package fastblas is a BLAS for Gorgonia whose float32 matrix product is
// an AVX2+FMA kernel, several times faster than gonum's pure-Go Sgemm on the
// shapes of a training step (X·W, dY·Wᵀ, Xᵀ·dY).
//
//	prev := gorgonia.WhichBLAS()
//	gorgonia.Use(fastblas.Implementation{})
//	defer gorgonia.Use(prev)
//
// Implementation embeds gonum's blas/gonum.Implementation, so every routine
// is gonum's except Sgemm, which computes
//
//	C = alpha·op(A)·op(B) + beta·C,  op(X) = X or Xᵀ,
//
// for row-major matrices with any leading dimensions, with the same argument
// checks and panic messages as gonum ("blas: ..."). With beta = 0, C is
// written without being read, so it may hold NaN or garbage.
//
// How it works (internal/sgemm): op(B) is packed into zero-padded k×16
// panels (so every n is fast, not only multiples of 16) in scratch buffers
// reused through a sync.Pool; op(A) is read in place with its strides (the
// last m mod 6 rows go through a zero-padded copy). A 6×16 register-blocked
// kernel (twelve YMM accumulators; per k step, two 8-float loads of B, six
// broadcasts of A, twelve FMAs) runs over k in blocks of 256 so that a
// 6×256 sliver of A and a 256×16 sliver of B stay in L1, and applies alpha
// and beta when it stores (beta only on the first k block, then it adds).
// Products of at least 2²⁰ multiply-adds are split over GOMAXPROCS
// goroutines in tiles of 144 rows × a group of panels; each element of C is
// computed by one goroutine in a fixed order, so results are bit-identical
// for any GOMAXPROCS. Results differ from gonum's only by float32 rounding
// (a different summation order).
//
// Without AVX2 and FMA, on other architectures or with the purego build tag,
// Sgemm is gonum's. Dgemm and all other routines are always gonum's.
package fastblas
