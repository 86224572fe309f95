package datasets

import (
	"math"
	"testing"
)

func TestSignedLog1p(t *testing.T) {
	const tol = 1e-15
	cases := []struct{ x, want float64 }{
		{0, 0},              // 0
		{math.E - 1, 1},     // 1: log(e) = 1
		{-(math.E - 1), -1}, // 2: odd function
		{1e-10, 1e-10},      // 3: identity near 0
	}
	for i, c := range cases {
		if got := SignedLog1p(c.x); math.Abs(got-c.want) > tol*math.Max(1, math.Abs(c.want)) {
			t.Errorf("%d: got:%v want:%v", i, got, c.want)
		}
	}
	s := &Set{X: []float64{-1, 0, 3}, N: 1, D: 3}
	s.Transform(SignedLog1p)
	if s.X[0] != -math.Log(2) || s.X[1] != 0 || s.X[2] != math.Log(4) {
		t.Errorf("got:%v", s.X)
	}
}
