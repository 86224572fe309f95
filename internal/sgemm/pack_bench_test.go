package sgemm

import "testing"

// BenchmarkPackB times packing a 1024×1024 op(B) (B or Bᵀ) in the blocks
// a task uses (zeros from make; the content does not matter).
func BenchmarkPackB(b *testing.B) {
	const k, n = 1024, 1024
	for _, tr := range []bool{false, true} {
		g := gemm{n: n, k: k, b: make([]float32, k*n), ldb: n, transB: tr}
		buf := make([]float32, kc*16*chunkN)
		b.Run(map[bool]string{false: "N", true: "T"}[tr], func(b *testing.B) {
			for b.Loop() {
				for pc := 0; pc < k; pc += kc {
					for ps := 0; ps < n/16; ps += chunkN {
						g.packB(buf, pc, kc, ps, ps+chunkN)
					}
				}
			}
			b.SetBytes(4 * k * n)
		})
	}
}
