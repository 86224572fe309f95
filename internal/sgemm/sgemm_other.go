//go:build !amd64 || purego

package sgemm

// useAVX2 is false off amd64 and with the purego tag: Gemm uses gonum.
const useAVX2 = false

func kern6x16(k int, a *float32, ars, acs int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, mode int) {
	panic("sgemm: no AVX2 kernel")
}

func packRows4(dst, src *float32, ld, np, pstride int) { panic("sgemm: no AVX2 kernel") }

func packTrans8(dst, src *float32, ld, kk8 int) { panic("sgemm: no AVX2 kernel") }
