//go:build amd64 && !purego

package sgemm

import "golang.org/x/sys/cpu"

// useAVX2 reports whether the AVX2+FMA kernel can run on this CPU.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// kern6x16 computes the 6×16 block acc = Σ_{p<k} A[r][p]·B[p][j] and writes
// alpha·acc to the block at c (row stride ldc): mode 0 stores it, mode 1 adds
// it to C, mode 2 sets C = alpha·acc + beta·C (C is read only in modes 1, 2).
// Element A[r][p] is at a + r·ars + p·acs; row p of B is 16 floats at
// b + p·ldb. All strides are in float32 elements.
//
//go:noescape
func kern6x16(k int, a *float32, ars, acs int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, mode int)

// packRows4 copies 4 rows of 16·np floats of src (row stride ld) into np
// panels of dst (panel stride pstride): dst[q·pstride + r·16 + c] =
// src[r·ld + q·16 + c] for r < 4, c < 16. Strides are in float32 elements.
//
//go:noescape
func packRows4(dst, src *float32, ld, np, pstride int)

// packTrans8 transposes 8 rows of src (row stride ld) into half of a packed
// panel: dst[p·16 + r] = src[r·ld + p] for p < 8·kk8, r < 8.
//
//go:noescape
func packTrans8(dst, src *float32, ld, kk8 int)
