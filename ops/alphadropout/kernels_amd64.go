//go:build amd64 && !purego

package alphadropout

import "golang.org/x/sys/cpu"

// useAVX2 reports whether the 8-lane assembly kernels can run.
var useAVX2 = cpu.X86.HasAVX2

// forward32AVX2 is forward32 for len(x) a multiple of 64 (same bits).
//
//go:noescape
func forward32AVX2(y, x []float32, mask []uint64, a, b, d float32)

// backward32AVX2 is backward32 for len(dx) a multiple of 64 (same bits).
//
//go:noescape
func backward32AVX2(dx, dy []float32, mask []uint64, a float32)

// maskAVX2 writes steps bytes of mask from the eight xoshiro128+ lanes in st
// (updated in place), bit l of byte i set when lane l's i-th output <= t.
//
//go:noescape
func maskAVX2(mask []uint64, st *[4][8]uint32, steps int, t uint32)
