//go:build amd64 && !purego

package solvers

import "golang.org/x/sys/cpu"

// hasAVX selects the AVX Adam kernel for float32.
var hasAVX = cpu.X86.HasAVX

//go:noescape
func adamAVX(wp, gp, mp, vp *float32, n int, c *[8]float32, zero bool)

// adamF32Vector runs the AVX kernel on the largest multiple of 8 elements
// of a plain (no clipping, scaling or L2) float32 Adam update and returns
// how many elements it did (0 without AVX).
func adamF32Vector(w, g, m, v []float32, h *hyper[float32]) int {
	n := len(w) &^ 7
	if !hasAVX || n == 0 || h.hasClipV || h.hasScale || h.hasL2 {
		return 0
	}
	decay := h.decay
	if !h.hasDecay {
		decay = 1
	}
	c := [8]float32{h.b1, h.omb1, h.b2, h.omb2, h.eps, h.stepSize, h.invSqrtBC2, decay}
	_, _, _ = g[n-1], m[n-1], v[n-1]
	adamAVX(&w[0], &g[0], &m[0], &v[0], n, &c, h.zeroG)
	return n
}
