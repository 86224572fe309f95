// Package memtest measures heap allocation for tests that bound how much
// memory reading an untrusted file may take.
package memtest

import "runtime"

// Allocated returns the bytes fn allocates on the heap (the growth of
// runtime.MemStats.TotalAlloc across the call, after a GC). Other
// goroutines allocating at the same time are counted too, so callers
// compare it with a generous bound, not an exact value.
func Allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
