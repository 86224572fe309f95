// Package cputime reports a process's CPU time per benchmark operation next to
// the wall-clock ns/op: on a shared, loaded machine the CPU time is a steadier
// measure of the work done. Used by the benchmarks of the ops packages.
package cputime

import (
	"testing"
	"time"
)

// Timer remembers the process CPU time at Start.
type Timer struct{ start time.Duration }

// Start returns a Timer started now.
func Start() Timer { return Timer{Process()} }

// Report adds the metric "cpu-ns/op" (process CPU time since Start divided by
// b.N) to b. It reports nothing where the CPU time is unknown (Process
// returns 0).
func (t Timer) Report(b *testing.B) {
	if now := Process(); now > 0 {
		b.ReportMetric(float64(now-t.start)/float64(b.N), "cpu-ns/op")
	}
}
