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
