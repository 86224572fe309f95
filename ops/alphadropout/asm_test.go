//go:build amd64 && !purego

package alphadropout

import (
	"math"
	"testing"

	"github.com/selunet/selunet/ops/internal/optest"
)

// TestAVX2MatchesGo: the assembly kernels give the same bits as the portable
// loops for several lengths (multiples of 64 and tails).
func TestAVX2MatchesGo(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2 kernel on this machine")
	}
	for _, n := range []int{64, 128, 200, 4096 + 5} {
		x, dy := optest.Randn32(1, n), optest.Randn32(2, n)
		mask := make([]uint64, (n+63)/64)
		drawMask(mask, n, threshold(0.7), 3)
		a, b, d := float32(0.9), float32(0.3), float32(-1.2)
		y1, y2 := make([]float32, n), make([]float32, n)
		forward32(y1, x, mask, a, b, d)
		g1, g2 := make([]float32, n), make([]float32, n)
		backward32(g1, dy, mask, a)
		for i := range x {
			kept := mask[i/64]>>(i%64)&1 == 1
			y2[i], g2[i] = d, 0
			if kept {
				y2[i], g2[i] = a*x[i]+b, a*dy[i]
			}
			if math.Float32bits(y1[i]) != math.Float32bits(y2[i]) || math.Float32bits(g1[i]) != math.Float32bits(g2[i]) {
				t.Fatalf("n=%d i=%d: got:(%v, %v) want:(%v, %v)", n, i, y1[i], g1[i], y2[i], g2[i])
			}
		}
	}
}

// TestMaskBitBalance: each of the 64 bit positions of the mask words is kept
// with frequency q (the generator's halves and word positions are unbiased);
// 20,000 words per position, tolerance 5 standard errors.
func TestMaskBitBalance(t *testing.T) {
	const words = 20000
	const q = 0.7
	mask := make([]uint64, words)
	drawMask(mask, words*64, threshold(q), 12345)
	tol := 5 * math.Sqrt(q*(1-q)/words)
	for j := 0; j < 64; j++ {
		c := 0
		for _, m := range mask {
			c += int(m >> j & 1)
		}
		if f := float64(c) / words; math.Abs(f-q) > tol {
			t.Errorf("bit %d: got:%v want:%v±%v", j, f, q, tol)
		}
	}
}

// TestMaskAVX2MatchesGo: the assembly mask generator gives the same bits as
// maskGo for several thresholds, seeds and lengths.
func TestMaskAVX2MatchesGo(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2 kernel on this machine")
	}
	for _, n := range []int{1, 8, 63, 64, 65, 1000, BlockSize} {
		for _, q := range []float64{0.05, 0.5, 0.95, 1} {
			for seed := uint64(0); seed < 3; seed++ {
				a := make([]uint64, (n+63)/64)
				drawMask(a, n, threshold(q), seed)
				b := make([]uint64, len(a))
				useAVX2 = false
				drawMask(b, n, threshold(q), seed)
				useAVX2 = true
				for i := range a {
					if a[i] != b[i] {
						t.Fatalf("n=%d q=%v seed=%d word %d: got:%x want:%x", n, q, seed, i, a[i], b[i])
					}
				}
			}
		}
	}
}
