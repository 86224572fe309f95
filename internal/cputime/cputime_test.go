package cputime

import (
	"runtime"
	"testing"
)

func TestProcessAdvances(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("CPU time is read on Linux only")
	}
	a := Process()
	x := 0.0
	for i := 0; i < 20_000_000; i++ {
		x += float64(i)
	}
	if b := Process(); !(b > a) || x == 0 {
		t.Errorf("CPU time did not advance: %v then %v", a, b)
	}
}

func BenchmarkExample(b *testing.B) {
	t := Start()
	for i := 0; i < b.N; i++ {
		_ = make([]byte, 64)
	}
	t.Report(b)
}
