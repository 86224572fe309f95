// Package sgemm is a float32 matrix product C = alpha·op(A)·op(B) + beta·C
// for row-major dense matrices with any strides (Gemm; Mul is the plain
// C = A·B), with an AVX2+FMA 6×16 register-blocked kernel on amd64 and
// gonum's Sgemm without AVX2/FMA, off amd64 or with the purego tag. It backs
// package fastblas (a BLAS for Gorgonia) and the forward-only product of
// package selfnorm.
//
// The work is cut into tasks: groups of row blocks (144 rows each) × groups
// of panels (16 columns each, up to 64 per task). Several goroutines split
// the longer side of C, since splitting rows repeats the packing of op(B)
// and splitting columns that of op(A). For each k block of up to 256 a
// task packs its panels of op(B) into 256×16 slivers (zero beyond column
// n) with AVX2 copy or 8×8-transpose routines that prefetch the rows they
// read: once for all its row blocks, or, when it has only one (the m = 128
// products of a training step), a chunk of 64 panels of B (8 of Bᵀ) at a
// time between kernels. op(A) = A is read in place (each of six rows
// walks forward, which the prefetcher follows); op(A) = Aᵀ is packed into
// slivers of 6 rows (element (r, p) at p·6 + r). Scratch is reused through
// a sync.Pool. The kernel keeps a 6×16 block of C in twelve YMM
// accumulators and, for each p, broadcasts A[i][p] for six rows and
// multiplies it with the two 8-float halves of the packed B row p (FMA); it
// then writes alpha·acc, adds it, or adds beta·C. Products of at least 2²⁰
// multiply-adds share the tasks among GOMAXPROCS goroutines of package par;
// each element of C is computed by one task in a fixed order, so results
// do not depend on the number of threads. Edge tiles (m mod 6 rows, n mod
// 16 columns) go through a 6×16 temporary.
package sgemm
