// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

package bias

import (
	"math"
	"runtime"
	"testing"

	"github.com/selunet/selunet/graph/gradcheck"
	"github.com/selunet/selunet/ops/internal/optest"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestForwardBackwardValues checks Do and the column sums on small inputs
// whose expected values were worked out by hand.
func TestForwardBackwardValues(t *testing.T) {
	const tol = 0 // small integers and halves: exact in both dtypes
	cases := []struct {
		n, m      int
		x, b      []float64
		want, sum []float64 // y, and column sums of x (as dy)
	}{
		{1, 1, []float64{2}, []float64{-3}, []float64{-1}, []float64{2}},                                                    // 0
		{2, 3, []float64{1, 2, 3, 4, 5, 6}, []float64{10, 20, 30}, []float64{11, 22, 33, 14, 25, 36}, []float64{5, 7, 9}},   // 1
		{3, 2, []float64{0.5, -1, 1.5, -2, 2.5, -3}, []float64{-0.5, 1}, []float64{0, 0, 1, -1, 2, -2}, []float64{4.5, -6}}, // 2
		{1, 4, []float64{1, 2, 3, 4}, []float64{0, 0, 0, 0}, []float64{1, 2, 3, 4}, []float64{1, 2, 3, 4}},                  // 3
	}
	for i, c := range cases {
		for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
			x := tensor.New(tensor.WithShape(c.n, c.m), tensor.WithBacking(conv(c.x, dt)))
			b := tensor.New(tensor.WithShape(c.m), tensor.WithBacking(conv(c.b, dt)))
			y, err := (&Op{n: c.n, m: c.m}).Do(x, b)
			if err != nil {
				t.Fatalf("%d %v: %v", i, dt, err)
			}
			s, err := (&SumOp{n: c.n, m: c.m}).Do(x)
			if err != nil {
				t.Fatalf("%d %v: %v", i, dt, err)
			}
			for k, w := range c.want {
				if got := at(y, k); math.Abs(got-w) > tol {
					t.Errorf("%d %v y[%d]: got:%v want:%v", i, dt, k, got, w)
				}
			}
			for k, w := range c.sum {
				if got := at(s, k); math.Abs(got-w) > tol {
					t.Errorf("%d %v sum[%d]: got:%v want:%v", i, dt, k, got, w)
				}
			}
		}
	}
}

func conv(v []float64, dt tensor.Dtype) any {
	if dt == tensor.Float64 {
		return append([]float64(nil), v...)
	}
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

func at(v gorgonia.Value, k int) float64 {
	switch d := v.Data().(type) {
	case []float32:
		return float64(d[k])
	case []float64:
		return d[k]
	}
	return math.NaN()
}

// TestGradcheck runs the shared harness (tape and lisp against central
// differences, float64) on several shapes and in composition.
func TestGradcheck(t *testing.T) {
	add := func(g *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) { return Add(in[0], in[1]) }
	cases := []struct {
		name string
		f    gradcheck.Func
		in   []*tensor.Dense
	}{
		{"4x5", add, []*tensor.Dense{gradcheck.Randn(1, 4, 5), gradcheck.Randn(2, 5)}}, // 0
		{"1x3", add, []*tensor.Dense{gradcheck.Randn(3, 1, 3), gradcheck.Randn(4, 3)}}, // 1
		{"6x1", add, []*tensor.Dense{gradcheck.Randn(5, 6, 1), gradcheck.Randn(6, 1)}}, // 2
		{"x·W+b then square", func(g *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) { // 3
			xw, err := gorgonia.Mul(in[0], in[1])
			if err != nil {
				return nil, err
			}
			y, err := Add(xw, in[2])
			if err != nil {
				return nil, err
			}
			return gorgonia.Square(y)
		}, []*tensor.Dense{gradcheck.Randn(7, 3, 4), gradcheck.Randn(8, 4, 2), gradcheck.Randn(9, 2)}},
		{"bias added twice", func(g *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) { // 4
			y, err := Add(in[0], in[1])
			if err != nil {
				return nil, err
			}
			return Add(y, in[1])
		}, []*tensor.Dense{gradcheck.Randn(10, 2, 3), gradcheck.Randn(11, 3)}},
	}
	for i, c := range cases {
		if err := gradcheck.Check(c.f, c.in); err != nil {
			t.Errorf("%d %s: got:%v want:nil", i, c.name, err)
		}
	}
}

// TestMatchesBroadcastAdd: forward values and both gradients of
// sum(y ⊙ r) equal Gorgonia's BroadcastAdd bit for bit in float32 (the sums
// of a 3-row matrix have only one rounding order) and within tol at
// 128×1024.
func TestMatchesBroadcastAdd(t *testing.T) {
	const tol = 1e-4 // absolute, float32 sums of 128 N(0,1) values
	for i, s := range [][2]int{{3, 5}, {128, 1024}} {
		got := runGraph(t, s[0], s[1], false)
		want := runGraph(t, s[0], s[1], true)
		for k := range want {
			for j := range want[k] {
				d := math.Abs(float64(got[k][j] - want[k][j]))
				if (i == 0 && d != 0) || d > tol {
					t.Fatalf("%d %v output %d element %d: got:%v want:%v", i, s, k, j, got[k][j], want[k][j])
				}
			}
		}
	}
}

// addGraph builds, in float32 with seeded random values, x (n×m), b (m)
// and r (n×m), and y = x + b with Add or, if broadcast, with
// gorgonia.BroadcastAdd.
func addGraph(t testing.TB, n, m int, broadcast bool) (g *gorgonia.ExprGraph, x, b, r, y *gorgonia.Node) {
	t.Helper()
	g = gorgonia.NewGraph()
	x = gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(n, m), gorgonia.WithName("x"),
		gorgonia.WithValue(tensor.New(tensor.WithShape(n, m), tensor.WithBacking(optest.Randn32(1, n*m)))))
	b = gorgonia.NewVector(g, tensor.Float32, gorgonia.WithShape(m), gorgonia.WithName("b"),
		gorgonia.WithValue(tensor.New(tensor.WithShape(m), tensor.WithBacking(optest.Randn32(2, m)))))
	r = gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(n, m), gorgonia.WithName("r"),
		gorgonia.WithValue(tensor.New(tensor.WithShape(n, m), tensor.WithBacking(optest.Randn32(3, n*m)))))
	var err error
	if broadcast {
		y, err = gorgonia.BroadcastAdd(x, b, nil, []byte{0})
	} else {
		y, err = Add(x, b)
	}
	if err != nil {
		t.Fatal(err)
	}
	return g, x, b, r, y
}

// runGraph builds L = sum((x + b) ⊙ r) in float32 and returns y, dL/dx and
// dL/db from one TapeMachine run.
func runGraph(t testing.TB, n, m int, broadcast bool) [][]float32 {
	g, x, b, r, y := addGraph(t, n, m, broadcast)
	loss := gorgonia.Must(gorgonia.Sum(gorgonia.Must(gorgonia.HadamardProd(y, r))))
	grads, err := gorgonia.Grad(loss, x, b)
	if err != nil {
		t.Fatal(err)
	}
	var yv gorgonia.Value
	gorgonia.Read(y, &yv)
	m0 := gorgonia.NewTapeMachine(g)
	defer m0.Close()
	if err := m0.RunAll(); err != nil {
		t.Fatal(err)
	}
	out := [][]float32{}
	for _, v := range []gorgonia.Value{yv, grads[0].Value(), grads[1].Value()} {
		out = append(out, append([]float32(nil), v.Data().([]float32)...))
	}
	return out
}

// TestParallelDeterministic: large inputs give the same bits with one and
// with several goroutines, and in place (y = x).
func TestParallelDeterministic(t *testing.T) {
	n, m := 600, 1000 // > ParallelThreshold elements, m not a multiple of 16
	x, b := optest.Randn32(4, n*m), optest.Randn32(5, m)
	run := func(procs int) ([]float32, []float32) {
		old := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(old)
		y, s := make([]float32, n*m), make([]float32, m)
		addRows(y, x, b)
		colSums(s, x)
		return y, s
	}
	y1, s1 := run(1)
	y4, s4 := run(4)
	y3, s3 := run(3)
	xi := append([]float32(nil), x...)
	addRows(xi, xi, b)
	for i := range y1 {
		if y1[i] != y4[i] || y1[i] != y3[i] || y1[i] != xi[i] {
			t.Fatalf("y[%d]: got:%v, %v, %v want:%v", i, y4[i], y3[i], xi[i], y1[i])
		}
	}
	for j := range s1 {
		var want float32
		for i := range n {
			want += x[i*m+j]
		}
		if s1[j] != want || s4[j] != want || s3[j] != want {
			t.Fatalf("sum[%d]: got:%v, %v, %v want:%v", j, s1[j], s4[j], s3[j], want)
		}
	}
}

// TestPreallocAlias: UsePreallocDo with x itself as prealloc gives x + b.
func TestPreallocAlias(t *testing.T) {
	const tol = 0
	x := tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]float64{1, 2, 3, 4}))
	b := tensor.New(tensor.WithShape(2), tensor.WithBacking([]float64{10, 20}))
	y, err := (&Op{n: 2, m: 2}).UsePreallocDo(x, x, b)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{11, 22, 13, 24}
	for i, w := range want {
		if got := y.Data().([]float64)[i]; math.Abs(got-w) > tol {
			t.Errorf("%d: got:%v want:%v", i, got, w)
		}
	}
	// the sum writes into prealloc rather than adding to it
	pre := tensor.New(tensor.WithShape(2), tensor.WithBacking([]float64{100, 100}))
	s, err := (&SumOp{n: 2, m: 2}).UsePreallocDo(pre, y)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range []float64{24, 46} {
		if got := s.Data().([]float64)[i]; math.Abs(got-w) > tol {
			t.Errorf("sum %d: got:%v want:%v", i, got, w)
		}
	}
}

// TestHashes: equal shapes hash equal, other shapes and the two ops differ.
func TestHashes(t *testing.T) {
	cases := []struct {
		a, b interface{ Hashcode() uint32 }
		same bool
	}{
		{&Op{2, 3}, &Op{2, 3}, true},        // 0
		{&Op{2, 3}, &Op{3, 2}, false},       // 1
		{&Op{2, 3}, &Op{2, 4}, false},       // 2
		{&Op{2, 3}, &SumOp{2, 3}, false},    // 3
		{&SumOp{2, 3}, &SumOp{4, 3}, false}, // 4
	}
	for i, c := range cases {
		if got := c.a.Hashcode() == c.b.Hashcode(); got != c.same {
			t.Errorf("%d: got:%v want:%v", i, got, c.same)
		}
	}
}

// TestAddErrors: bad nodes give errors, not panics.
func TestAddErrors(t *testing.T) {
	g := gorgonia.NewGraph()
	m32 := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(2, 3), gorgonia.WithName("m32"))
	v32 := gorgonia.NewVector(g, tensor.Float32, gorgonia.WithShape(3), gorgonia.WithName("v32"))
	v64 := gorgonia.NewVector(g, tensor.Float64, gorgonia.WithShape(3), gorgonia.WithName("v64"))
	v4 := gorgonia.NewVector(g, tensor.Float32, gorgonia.WithShape(4), gorgonia.WithName("v4"))
	mi := gorgonia.NewMatrix(g, tensor.Int, gorgonia.WithShape(2, 3), gorgonia.WithName("mi"))
	cases := []struct {
		name string
		x, b *gorgonia.Node
	}{
		{"nil x", nil, v32},    // 0
		{"nil b", m32, nil},    // 1
		{"int", mi, v32},       // 2
		{"dtypes", m32, v64},   // 3
		{"length", m32, v4},    // 4
		{"x vector", v32, v32}, // 5
		{"b matrix", m32, m32}, // 6
	}
	for i, c := range cases {
		if _, err := Add(c.x, c.b); err == nil {
			t.Errorf("%d %s: got:nil want:error", i, c.name)
		}
	}
	if _, err := Add(m32, v32); err != nil {
		t.Errorf("valid: got:%v want:nil", err)
	}
}

// benchGraph builds y = x + b with Add or BroadcastAdd and its gradients
// for the upstream gradient dy.
func benchGraph(b *testing.B, broadcast bool) {
	n, m := 128, 1024
	g, x, bb, dy, y := addGraph(b, n, m, broadcast)
	if _, err := gorgonia.Backpropagate(gorgonia.Nodes{y}, gorgonia.Nodes{dy}, gorgonia.Nodes{x, bb}); err != nil {
		b.Fatal(err)
	}
	mach := gorgonia.NewTapeMachine(g)
	defer mach.Close()
	b.SetBytes(int64(n*m) * 4)
	for b.Loop() {
		if err := mach.RunAll(); err != nil {
			b.Fatal(err)
		}
		mach.Reset()
	}
}

// BenchmarkGraphFwdBwd times one TapeMachine run of y = x + b (128×1024
// float32) and its gradients for a fixed upstream gradient dy, with Add and
// with gorgonia.BroadcastAdd.
func BenchmarkGraphFwdBwd(b *testing.B) {
	b.Run("Add", func(b *testing.B) { benchGraph(b, false) })
	b.Run("BroadcastAdd", func(b *testing.B) { benchGraph(b, true) })
}

// BenchmarkKernels times the graph-free forward (x + b) and column sums on
// 128×1024 float32, the work one Add does per training step.
func BenchmarkKernels(b *testing.B) {
	n, m := 128, 1024
	x, bb, y, s := optest.Randn32(1, n*m), optest.Randn32(2, m), make([]float32, n*m), make([]float32, m)
	b.Run("forward", func(b *testing.B) {
		for b.Loop() {
			addRows(y, x, bb)
		}
	})
	b.Run("colsums", func(b *testing.B) {
		for b.Loop() {
			colSums(s, x)
		}
	})
}
