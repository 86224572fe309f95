//go:build !amd64 || purego

package solvers

// hasAVX is false off amd64 (or with the purego tag).
const hasAVX = false

// adamF32Vector does nothing off amd64; the scalar kernel does all elements.
func adamF32Vector(w, g, m, v []float32, h *hyper[float32]) int { return 0 }
