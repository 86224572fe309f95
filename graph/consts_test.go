package graph

import (
	"sync"
	"testing"

	"gorgonia.org/tensor"
)

// TestConcurrentGraphBuilding builds and differentiates graphs that use
// Gorgonia's shared constant nodes on several goroutines at once. Under the
// race detector (CI runs this package with -race) it fails if a first use
// of a shared constant still writes to it, which init is there to prevent.
func TestConcurrentGraphBuilding(t *testing.T) {
	var wg sync.WaitGroup
	errs := make([]error, 8)
	start := make(chan struct{})
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			dt := tensor.Float64
			if i%2 == 1 {
				dt = tensor.Float32
			}
			errs[i] = hashSharedConstants(dt)
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("goroutine %d: %v", i, err)
		}
	}
}
