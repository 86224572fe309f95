package selu

import (
	"math"
	"testing"

	"github.com/selunet/selunet/ops/internal/optest"
)

// TestAVX2MatchesGo: the assembly forward is within 2 ulp of float32(selu)
// computed in float64 with math.Expm1 (the portable kernel within 1 ulp), and
// the assembly backward equals the portable one bit for bit, on a sweep
// including special values and tail lengths.
func TestAVX2MatchesGo(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2 kernel on this machine")
	}
	var x []float32
	for v := float32(-30); v <= 5; v += 1.0 / 1024 {
		x = append(x, v)
	}
	x = append(x, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), float32(math.Copysign(0, -1)), 0, 1e-40, -1e-40)
	x = append(x, optest.Randn32(9, 1000)...)
	l, la := Lambda, Lambda*Alpha
	for _, n := range []int{len(x), 7, 8, 9, 15, 17} {
		xs := x[len(x)-n:]
		ya, yg := make([]float32, n), make([]float32, n)
		forward32(ya, xs, l, la)
		forward32Go(yg, xs, float32(l), la)
		dy := optest.Randn32(5, n)
		da, dg := make([]float32, n), make([]float32, n)
		backward32(da, dy, ya, float32(l), float32(la))
		backward32Go(dg, dy, yg, float32(l), float32(la))
		for i := range xs {
			nan := func(a float32) bool { return a != a }
			want := float32(Lambda * float64(xs[i]))
			if !(xs[i] > 0) {
				want = float32(la * math.Expm1(float64(xs[i])))
			}
			ok := (nan(ya[i]) && nan(yg[i]) && nan(want)) || (ulps(ya[i], want) <= 2 && ulps(yg[i], want) <= 1)
			// backward: the same operations, so the same value given the same y
			dg2 := make([]float32, 1)
			backward32Go(dg2, dy[i:i+1], ya[i:i+1], float32(l), float32(la))
			ok = ok && (da[i] == dg2[0] || (nan(da[i]) && nan(dg2[0])))
			if !ok {
				t.Fatalf("n=%d x=%v: got:(%v, %v) want:(%v, %v)", n, xs[i], ya[i], da[i], yg[i], dg[i])
			}
		}
	}
}
