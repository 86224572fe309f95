//go:build cuda

package check

import (
	"math"
	"testing"

	"github.com/selunet/selunet/graph"
	"github.com/selunet/selunet/ops/alphadropout"
	"github.com/selunet/selunet/ops/selu"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestGPUOps compares every op with a GPU kernel with its CPU twin
// (forward and backward, relative difference ≤ 1e-5) and runs its float64
// gradient check on the GPU tape machine. Needs a GPU.
func TestGPUOps(t *testing.T) {
	for _, c := range Cases() {
		t.Run(c.Name, func(t *testing.T) {
			r := RunCase(c)
			if r.Err != "" {
				t.Fatal(r.Err)
			}
			if r.FwdRel > 1e-5 || r.BwdRel > 1e-5 {
				t.Errorf("GPU vs CPU: forward %.3g, backward %.3g (want ≤ 1e-5)", r.FwdRel, r.BwdRel)
			}
			if r.GradCheck != "ok" {
				t.Errorf("gradient check: %s", r.GradCheck)
			}
		})
	}
}

// TestGPUAlphaDropoutSeeded checks that the device mask depends only on
// the seed: two machines with ops of the same seed give the same output,
// another seed a different one, and the share of dropped units is near the
// rate, and N(0, 1) inputs keep mean 0 and variance 1.
func TestGPUAlphaDropoutSeeded(t *testing.T) {
	x := randn32(30, 256, 1024)
	draw := func(seed uint64) []float64 {
		g := gorgonia.NewGraph()
		y, err := alphadropout.Apply(inputs(g, []*tensor.Dense{x})[0], 0.1, graph.Train, seed)
		if err != nil {
			t.Fatal(err)
		}
		vs, err := run(g, y)
		if err != nil {
			t.Fatal(err)
		}
		return vs[0]
	}
	a, b, c := draw(7), draw(7), draw(8)
	if relDiff(a, b) != 0 {
		t.Error("same seed, different outputs")
	}
	if relDiff(a, c) == 0 {
		t.Error("different seeds, same outputs")
	}
	ca, cb := alphadropout.Coefficients(0.1)
	drop := float32(ca*selu.AlphaPrime + cb)
	dropped := 0
	for _, v := range a {
		if float32(v) == drop {
			dropped++
		}
	}
	if share := float64(dropped) / float64(len(a)); share < 0.09 || share > 0.11 {
		t.Errorf("dropped share %.4f, want about 0.1", share)
	}
	// N(0, 1) in, mean 0 and variance 1 out (the paper's fixed point)
	var m, v float64
	for _, y := range a {
		m += y
	}
	m /= float64(len(a))
	for _, y := range a {
		v += (y - m) * (y - m)
	}
	v /= float64(len(a))
	if math.Abs(m) > 0.01 || math.Abs(v-1) > 0.02 {
		t.Errorf("output mean %.4f, variance %.4f; want 0 and 1", m, v)
	}
}
