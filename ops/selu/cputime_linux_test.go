//go:build linux

package selu

import (
	"syscall"
	"testing"
	"time"
)

// cpuTimer reports, next to wall-clock ns/op, the process CPU time per op
// ("cpu-ns/op", user+system from getrusage): on a shared, loaded machine it
// is a steadier measure of the work done than wall-clock time.
type cpuTimer struct{ start time.Duration }

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU() cpuTimer { return cpuTimer{processCPU()} }

func (c cpuTimer) report(b *testing.B) {
	b.ReportMetric(float64(processCPU()-c.start)/float64(b.N), "cpu-ns/op")
}
