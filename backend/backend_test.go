// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

package backend

import (
	"math"
	"runtime"
	"strings"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

func TestNameAndThreads(t *testing.T) {
	name := Name()
	if name != "openblas" && name != "pure Go (fastblas sgemm + gonum)" {
		t.Errorf("Name: got:%q want: openblas or pure Go (fastblas sgemm + gonum)", name)
	}
	if (name == "openblas") != strings.Contains(Config(), "OpenBLAS") {
		t.Errorf("Config: got:%q for Name %q", Config(), name)
	}
	old := runtime.GOMAXPROCS(0)
	defer SetThreads(old)
	cases := []int{1, 2} // 0, 1
	for i, n := range cases {
		SetThreads(n)
		if got := Threads(); got != n {
			t.Errorf("case %d Threads: got:%v want:%v", i, got, n)
		}
		if got := runtime.GOMAXPROCS(0); got != n {
			t.Errorf("case %d GOMAXPROCS: got:%v want:%v", i, got, n)
		}
	}
}

func TestPanics(t *testing.T) {
	cases := []struct {
		name string
		fn   func()
	}{
		{"SetThreads(0)", func() { SetThreads(0) }},                                        // 0
		{"NewKeeper(lisp)", func() { NewKeeper(gorgonia.NewLispMachine(mlp(2, 3).g)) }},    // 1
		{"GradPairs(len)", func() { GradPairs(gorgonia.Nodes{nil}, nil) }},                 // 2
		{"GradPairs(nil)", func() { GradPairs(gorgonia.Nodes{nil}, gorgonia.Nodes{nil}) }}, // 3
	}
	for i, c := range cases {
		func() {
			defer func() {
				r := recover()
				if s, _ := r.(string); !strings.HasPrefix(s, "backend: ") {
					t.Errorf("case %d %s: got:%v want: a panic starting with \"backend: \"", i, c.name, r)
				}
			}()
			c.fn()
		}()
	}
}

type net struct {
	g       *gorgonia.ExprGraph
	x, w1   *gorgonia.Node
	w2      *gorgonia.Node
	loss    *gorgonia.Node
	lossVal gorgonia.Value
	grads   gorgonia.Nodes
}

// mlp builds a tiny two-layer tanh network with a mean-square loss.
func mlp(batch, in int) *net {
	g := gorgonia.NewGraph()
	n := &net{g: g}
	fill := func(r, c int, f func(i int) float64) *tensor.Dense {
		d := make([]float64, r*c)
		for i := range d {
			d[i] = f(i)
		}
		return tensor.New(tensor.WithShape(r, c), tensor.WithBacking(d))
	}
	n.x = gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithName("x"), gorgonia.WithValue(fill(batch, in, func(i int) float64 { return math.Sin(float64(i)) })))
	n.w1 = gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithName("w1"), gorgonia.WithValue(fill(in, 4, func(i int) float64 { return math.Cos(float64(i)) / 2 })))
	n.w2 = gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithName("w2"), gorgonia.WithValue(fill(4, 1, func(i int) float64 { return 0.3 * float64(i-2) })))
	h := gorgonia.Must(gorgonia.Tanh(gorgonia.Must(gorgonia.Mul(n.x, n.w1))))
	o := gorgonia.Must(gorgonia.Mul(h, n.w2))
	n.loss = gorgonia.Must(gorgonia.Mean(gorgonia.Must(gorgonia.Square(o))))
	gorgonia.Read(n.loss, &n.lossVal)
	var err error
	if n.grads, err = gorgonia.Grad(n.loss, n.w1, n.w2); err != nil {
		panic(err)
	}
	return n
}

// train runs steps of SGD on a fresh mlp and returns the losses and the
// final first-layer weights.
func train(t *testing.T, steps int, keep bool) ([]float64, []float64, *Keeper) {
	return trainWith(t, steps, keep, true)
}

// trainWith is train with gradients in dual values (dual) or read from the
// gradient nodes through GradPairs.
func trainWith(t *testing.T, steps int, keep, dual bool) ([]float64, []float64, *Keeper) {
	n := mlp(5, 3)
	var vm gorgonia.VM
	vgs := gorgonia.NodesToValueGrads(gorgonia.Nodes{n.w1, n.w2})
	if dual {
		vm = gorgonia.NewTapeMachine(n.g, gorgonia.BindDualValues(n.w1, n.w2))
	} else {
		vm = gorgonia.NewTapeMachine(n.g)
		vgs = GradPairs(gorgonia.Nodes{n.w1, n.w2}, n.grads)
	}
	defer vm.Close()
	var k *Keeper
	if keep {
		k = NewKeeper(vm)
	}
	s := gorgonia.NewVanillaSolver(gorgonia.WithLearnRate(0.1))
	var losses []float64
	for i := 0; i < steps; i++ {
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		losses = append(losses, n.lossVal.Data().(float64))
		if err := s.Step(vgs); err != nil {
			t.Fatal(err)
		}
		if keep {
			k.Reset()
			// no kept register may share memory with an input or a weight
			for _, in := range []*gorgonia.Node{n.x, n.w1, n.w2} {
				for r, v := range *k.cpumem {
					if v != nil && v.Uintptr() == in.Value().Uintptr() {
						t.Errorf("step %d: register %d kept the value of %v", i, r, in)
					}
				}
			}
		} else {
			vm.Reset()
		}
	}
	return losses, append([]float64(nil), n.w1.Value().Data().([]float64)...), k
}

// TestKeeperBitIdentical compares losses and weights of SGD steps with
// Keeper.Reset against gorgonia's Reset (the expected numbers).
func TestKeeperBitIdentical(t *testing.T) {
	const steps = 6
	wantL, wantW := func() ([]float64, []float64) { l, w, _ := train(t, steps, false); return l, w }()
	gotL, gotW, k := train(t, steps, true)
	for i := range wantL {
		if math.Float64bits(gotL[i]) != math.Float64bits(wantL[i]) {
			t.Errorf("step %d loss: got:%v want:%v", i, gotL[i], wantL[i])
		}
	}
	for i := range wantW {
		if math.Float64bits(gotW[i]) != math.Float64bits(wantW[i]) {
			t.Errorf("w1[%d]: got:%v want:%v", i, gotW[i], wantW[i])
		}
	}
	if wantL[0] == wantL[steps-1] {
		t.Errorf("loss did not change: got:%v want: a different value", wantL[steps-1])
	}
	if k.Kept() == 0 || k.Kept() >= k.Registers() {
		t.Errorf("Kept: got:%d of %d registers want: some but not all", k.Kept(), k.Registers())
	}
}

// TestGradPairsBitIdentical compares SGD through GradPairs (no dual values),
// with and without Keeper, against dual values and Reset (the expected
// numbers).
func TestGradPairsBitIdentical(t *testing.T) {
	const steps = 6
	wantL, wantW, _ := trainWith(t, steps, false, true)
	for i, keep := range []bool{false, true} { // 0, 1
		gotL, gotW, _ := trainWith(t, steps, keep, false)
		for s := range wantL {
			if math.Float64bits(gotL[s]) != math.Float64bits(wantL[s]) {
				t.Errorf("case %d step %d loss: got:%v want:%v", i, s, gotL[s], wantL[s])
			}
		}
		for j := range wantW {
			if math.Float64bits(gotW[j]) != math.Float64bits(wantW[j]) {
				t.Errorf("case %d w1[%d]: got:%v want:%v", i, j, gotW[j], wantW[j])
			}
		}
	}
}
