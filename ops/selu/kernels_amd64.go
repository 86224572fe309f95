//go:build amd64 && !purego

package selu

import "golang.org/x/sys/cpu"

// useAVX2 reports whether the 8-lane assembly kernels (AVX2 + FMA) can run.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// forward32AVX2 computes selu on the first len(x)&^7 elements, 8 lanes in
// float32 with FMA (l = λ, la = λα): within 2 ulp of the correctly rounded
// result, where forward32Go (float64 inside) is within 1 ulp.
//
//go:noescape
func forward32AVX2(y, x []float32, l, la float32)

// backward32AVX2 computes dx on the first len(dx)&^7 elements.
//
//go:noescape
func backward32AVX2(dx, dy, y []float32, l, la float32)
