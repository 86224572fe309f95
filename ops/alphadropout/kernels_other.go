//go:build !amd64 || purego

package alphadropout

const useAVX2 = false

func forward32AVX2(y, x []float32, mask []uint64, a, b, d float32) {
	panic("alphadropout: no AVX2 kernel")
}

func backward32AVX2(dx, dy []float32, mask []uint64, a float32) {
	panic("alphadropout: no AVX2 kernel")
}

func maskAVX2(mask []uint64, st *[4][8]uint32, steps int, t uint32) {
	panic("alphadropout: no AVX2 kernel")
}
