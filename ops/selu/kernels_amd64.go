//go:build amd64 && !purego

package selu

import "golang.org/x/sys/cpu"

// useAVX2 reports whether the 8-lane assembly kernels (AVX2 + FMA) can run.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// forward32AVX2 computes selu on the first len(x)&^7 elements; l = λ as
// float32, la = λα. It uses FMA, so results may differ from forward32Go by
// 1 ulp.
//
//go:noescape
func forward32AVX2(y, x []float32, l float32, la float64)

// backward32AVX2 computes dx on the first len(dx)&^7 elements.
//
//go:noescape
func backward32AVX2(dx, dy, y []float32, l, la float32)
