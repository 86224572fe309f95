// Package sgemm is a float32 matrix product C = alpha·op(A)·op(B) + beta·C
// for row-major dense matrices with any strides (Gemm; Mul is the plain
// C = A·B), with an AVX2+FMA 6×16 register-blocked kernel on amd64 and
// gonum's Sgemm without AVX2/FMA, off amd64 or with the purego tag. It backs
// package fastblas (a BLAS for Gorgonia) and the forward-only product of
// package selfnorm.
//
// The work is cut into tasks of up to 144 rows × 64 panels of 16 columns.
// For each k block of up to 256 a task packs its rows of op(A) into slivers
// of 6 rows (element (r, p) at p·6 + r, rows beyond m zero) and its panels of
// op(B) into 256×16 slivers (zero beyond column n), 64 panels at once for B
// (long sequential reads of its rows) or 8 for Bᵀ; scratch is reused through
// a sync.Pool. The kernel keeps a 6×16 block of C in twelve YMM accumulators
// and, for each p, broadcasts A[i][p] for six rows and multiplies it with
// the two 8-float halves of the packed B row p (FMA); it then writes
// alpha·acc, adds it, or adds beta·C. Tasks are shared among GOMAXPROCS
// goroutines for products of at least 2²⁰ multiply-adds; each element of C
// is computed by one task in a fixed order, so results do not depend on the
// number of threads. Edge tiles (m mod 6 rows, n mod 16 columns) go through
// a 6×16 temporary.
package sgemm
