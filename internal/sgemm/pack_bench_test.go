package sgemm

import "testing"

// BenchmarkPackB times packing a 1024×1024 op(B) (B or Bᵀ) in the blocks
// a task uses. It cycles through 16 matrices (64 MiB, more than the L3
// cache), so that op(B) comes from memory as in a training step, where
// each weight matrix was last touched a layer's pass earlier. The content
// does not matter (zeros from make).
func BenchmarkPackB(b *testing.B) {
	const k, n, mats = 1024, 1024, 16
	src := make([][]float32, mats)
	for i := range src {
		src[i] = make([]float32, k*n)
		for j := range src[i] {
			src[i][j] = 1 // touch every page
		}
	}
	for _, tr := range []bool{false, true} {
		chunk := chunkN
		if tr {
			chunk = chunkT
		}
		buf := make([]float32, kc*16*chunk)
		b.Run(map[bool]string{false: "N", true: "T"}[tr], func(b *testing.B) {
			i := 0
			for b.Loop() {
				g := gemm{n: n, k: k, b: src[i%mats], ldb: n, transB: tr}
				i++
				for pc := 0; pc < k; pc += kc {
					for ps := 0; ps < n/16; ps += chunk {
						g.packB(buf, pc, kc, ps, ps+chunk)
					}
				}
			}
			b.SetBytes(4 * k * n)
		})
	}
}
