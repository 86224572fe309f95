//go:build !amd64 || purego

package selu

const useAVX2 = false

func forward32AVX2(y, x []float32, l, la float32) { panic("selu: no AVX2 kernel") }

func backward32AVX2(dx, dy, y []float32, l, la float32) { panic("selu: no AVX2 kernel") }
