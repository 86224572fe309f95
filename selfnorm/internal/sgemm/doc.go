// Package sgemm is a float32 matrix product C = A·B for row-major dense
// matrices, with an AVX2+FMA 6×16 register-blocked kernel on amd64 and
// gonum's Sgemm for every other case (no AVX2/FMA, n not a multiple of 16).
// It exists so that the self-normalization runs of package selfnorm, which
// are almost entirely matrix products, finish in seconds.
//
// The kernel keeps a 6×16 block of C in twelve YMM accumulators and, for each
// p < k, broadcasts A[i][p] for six rows and multiplies it with two 8-float
// vectors of B's row p (FMA); panels of 16 columns are the outer loop so a
// k×16 panel of B stays in cache while the rows stream past. Rows are split
// across GOMAXPROCS goroutines for products of at least 2²¹ multiply-adds;
// the last m mod 6 rows go through a zero-padded block.
package sgemm
