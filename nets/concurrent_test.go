package nets

import (
	"fmt"
	"sync"
	"testing"

	"gorgonia.org/gorgonia"

	"github.com/selunet/selunet/graph"
)

// TestConcurrentBuilds builds, differentiates and runs every architecture
// in both dtypes on goroutines of their own at once, as a local sweep's
// in-process workers do. Under the race detector (CI runs this package
// with -race) it fails on any unsynchronized state the builds share.
func TestConcurrentBuilds(t *testing.T) {
	type job struct{ arch, dtype string }
	var jobs []job
	for _, arch := range Archs {
		for _, dtype := range []string{"float32", "float64"} {
			jobs = append(jobs, job{arch, dtype})
		}
	}
	errs := make([]error, len(jobs))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if err := trainStep(j.arch, j.dtype); err != nil {
				errs[i] = fmt.Errorf("%s %s: %w", j.arch, j.dtype, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// trainStep builds smallSpec's net of arch in training mode, takes the
// gradient of its summed logits and runs the graph once.
func trainStep(arch, dtype string) error {
	spec := smallSpec(arch, dtype)
	net, err := New(spec, 5, 2, Binary, 1)
	if err != nil {
		return err
	}
	g := gorgonia.NewGraph()
	xn := net.Input(g, 4)
	gr, err := net.Build(xn, graph.Train, 7)
	if err != nil {
		return err
	}
	if err := gorgonia.Let(xn, randInput(spec.TensorDtype(), 4, 5, 3)); err != nil {
		return err
	}
	cost, err := gorgonia.Sum(gr.Out)
	if err != nil {
		return err
	}
	if _, err := gorgonia.Grad(cost, net.Params.NodesIn(g)...); err != nil {
		return err
	}
	if gr.BeforeStep != nil {
		gr.BeforeStep()
	}
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	return vm.RunAll()
}
