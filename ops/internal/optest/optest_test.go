package optest

import (
	"math"
	"testing"
)

func TestRandn32(t *testing.T) {
	a, b, c := Randn32(1, 1000), Randn32(1, 1000), Randn32(2, 1000)
	var sum, sq float64
	same := 0
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			t.Fatalf("element %d: seed 1 gave %v and %v", i, a[i], b[i])
		}
		if a[i] == c[i] {
			same++
		}
		sum += float64(a[i])
		sq += float64(a[i]) * float64(a[i])
	}
	if same > 0 {
		t.Errorf("seeds 1 and 2 share %d of 1000 values, want 0", same)
	}
	mean, variance := sum/1000, sq/1000-(sum/1000)*(sum/1000)
	if math.Abs(mean) > 0.15 || math.Abs(variance-1) > 0.15 {
		t.Errorf("mean %v, variance %v: want about 0 and 1", mean, variance)
	}
}
