//go:build amd64 && !purego

package sgemm

import "golang.org/x/sys/cpu"

var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// kern6x16 sets the 6×16 block at c (row stride ldc) to the product of the
// 6×k rows at a (stride lda) and the k×16 columns at b (stride ldb).
//
//go:noescape
func kern6x16(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int)
