// Package sgemm is a float32 matrix product C = alpha·op(A)·op(B) + beta·C
// for row-major dense matrices with any strides (Gemm; Mul is the plain
// C = A·B), with an AVX2+FMA 6×16 register-blocked kernel on amd64 and
// gonum's Sgemm without AVX2/FMA, off amd64 or with the purego tag. It backs
// package fastblas (a BLAS for Gorgonia) and the forward-only product of
// package selfnorm.
//
// op(B) is packed into zero-padded k×16 panels (any n; scratch reused via a
// sync.Pool); op(A) is read in place through its strides, its last m mod 6
// rows from a zero-padded copy. The kernel keeps a 6×16 block of C in twelve
// YMM accumulators and, for each p in a k block of at most 256, broadcasts
// A[i][p] for six rows and multiplies it with the two 8-float halves of the
// packed B row p (FMA); it then writes alpha·acc, adds it, or adds beta·C.
// Tiles of 144 rows × a group of panels are shared among GOMAXPROCS
// goroutines for products of at least 2²⁰ multiply-adds; each element of C
// is computed by one goroutine in a fixed order, so results do not depend on
// the number of threads. Edge tiles (m mod 6 rows, n mod 16 columns) go
// through a 6×16 temporary.
package sgemm
