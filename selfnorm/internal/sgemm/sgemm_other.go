//go:build !amd64 || purego

package sgemm

const useAVX2 = false

func kern6x16(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int) {
	panic("sgemm: no AVX2 kernel")
}
