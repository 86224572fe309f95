package alphadropout

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/selunet/selunet/graph"
	"github.com/selunet/selunet/graph/gradcheck"
	"github.com/selunet/selunet/ops/selu"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestCoefficients compares a and b with 40-digit values
// computed from the formulas of the paper's Sec. 2 ("New Dropout
// Technique") and with the general (μ, ν) form.
func TestCoefficients(t *testing.T) {
	const tol = 1e-15
	cases := []struct{ rate, a, b float64 }{
		{0.05, 0.95484447600503087639, 0.083935572193810186713}, // 0
		{0.10, 0.92128451614971148273, 0.16197097005757022794},  // 1
		{0.20, 0.87890358344353285886, 0.30903996214409452103},  // 2
		{0, 1, 0}, // 3: no dropout
	}
	for i, c := range cases {
		a, b := Coefficients(c.rate)
		if math.Abs(a-c.a) > tol || math.Abs(b-c.b) > tol {
			t.Errorf("%d: rate %v got:(%v, %v) want:(%v, %v)", i, c.rate, a, b, c.a, c.b)
		}
		// the general formula with μ = 0, ν = 1 (a different code path) agrees
		ga, gb := CoefficientsAt(c.rate, 0, 1+1e-300, selu.AlphaPrime)
		if math.Abs(ga-c.a) > 1e-14 || math.Abs(gb-c.b) > 1e-14 {
			t.Errorf("%d: general got:(%v, %v) want:(%v, %v)", i, ga, gb, c.a, c.b)
		}
	}
}

// TestCoefficientsPanics: programmer errors panic.
func TestCoefficientsPanics(t *testing.T) {
	for i, f := range []func(){
		func() { Coefficients(1) },                         // 0
		func() { Coefficients(-0.1) },                      // 1
		func() { Coefficients(math.NaN()) },                // 2
		func() { CoefficientsAt(0.1, 0, 0, -1.7) },         // 3
		func() { CoefficientsAt(0.1, 0, 1, math.Inf(-1)) }, // 4
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%d: got:no panic want:panic", i)
				}
			}()
			f()
		}()
	}
}

// run builds y = dropout(x) on a float32/float64 graph and runs the forward
// pass reps times; it returns the op, the x value and y's value.
func run(t *testing.T, dt tensor.Dtype, xs []float64, rate float64, seed uint64, reps int, opts ...Option) (*Op, gorgonia.Value) {
	t.Helper()
	g := gorgonia.NewGraph()
	var xv *tensor.Dense
	if dt == tensor.Float32 {
		b := make([]float32, len(xs))
		for i, v := range xs {
			b[i] = float32(v)
		}
		xv = tensor.New(tensor.WithShape(len(xs)), tensor.WithBacking(b))
	} else {
		xv = tensor.New(tensor.WithShape(len(xs)), tensor.WithBacking(append([]float64(nil), xs...)))
	}
	x := gorgonia.NewVector(g, dt, gorgonia.WithShape(len(xs)), gorgonia.WithName("x"), gorgonia.WithValue(xv))
	y, err := Apply(x, rate, graph.Train, seed, opts...)
	if err != nil {
		t.Fatal(err)
	}
	var yv gorgonia.Value
	gorgonia.Read(y, &yv)
	m := gorgonia.NewTapeMachine(g)
	defer m.Close()
	for r := 0; r < reps; r++ {
		m.Reset()
		if err := m.RunAll(); err != nil {
			t.Fatal(err)
		}
	}
	return Ops(g)[0], yv
}

func asF64(v gorgonia.Value) []float64 {
	switch d := v.Data().(type) {
	case []float64:
		return d
	case []float32:
		out := make([]float64, len(d))
		for i, x := range d {
			out[i] = float64(x)
		}
		return out
	}
	panic("bad data")
}

// TestMoments: on 10^6 N(0,1) inputs (input RNG independent of the mask RNG)
// the output keeps mean 0 and the input's variance, and the drop fraction is
// the rate. Tolerances from the brief: mean ±0.005, variance ±0.01; drop
// fraction ±0.002 (5 standard errors at rate 0.2).
func TestMoments(t *testing.T) {
	const n = 1000000
	const tolMean, tolVar, tolFrac = 0.005, 0.01, 0.002
	rng := rand.New(rand.NewPCG(2024, 7))
	xs := make([]float64, n)
	var xm, xv float64
	for i := range xs {
		xs[i] = rng.NormFloat64()
		xm += xs[i]
	}
	xm /= n
	for _, v := range xs {
		xv += (v - xm) * (v - xm)
	}
	xv /= n
	cases := []struct {
		rate float64
		dt   tensor.Dtype
	}{
		{0.05, tensor.Float32}, // 0
		{0.10, tensor.Float32}, // 1
		{0.20, tensor.Float32}, // 2
		{0.10, tensor.Float64}, // 3
	}
	for i, c := range cases {
		op, yv := run(t, c.dt, xs, c.rate, uint64(i+1), 1)
		ys := asF64(yv)
		var m, v float64
		for _, y := range ys {
			m += y
		}
		m /= n
		for _, y := range ys {
			v += (y - m) * (y - m)
		}
		v /= n
		frac := 1 - float64(op.Kept())/n
		if math.Abs(m) > tolMean || math.Abs(v-xv) > tolVar || math.Abs(frac-c.rate) > tolFrac {
			t.Errorf("%d rate %v %v: got:mean %v var %v drop %v want:mean 0 var %v drop %v", i, c.rate, c.dt, m, v, frac, xv, c.rate)
		}
		// kept units are exactly a·x + b, dropped ones a·α' + b
		a, b := op.Coefficients()
		mask := op.Mask()
		tol := 1e-15
		if c.dt == tensor.Float32 {
			tol = 1e-6
		}
		for j := 0; j < 1000; j++ {
			want := a*selu.AlphaPrime + b
			if mask[j] {
				want = a*xs[j] + b
			}
			if math.Abs(ys[j]-want) > tol*math.Max(1, math.Abs(want)) {
				t.Fatalf("%d: element %d got:%v want:%v", i, j, ys[j], want)
			}
		}
	}
}

// TestGeneralFixedPoint: with WithFixedPoint(μ, ν) an input with mean μ and
// variance ν keeps both (10^6 samples; tolerances as TestMoments).
func TestGeneralFixedPoint(t *testing.T) {
	const n = 1000000
	const mu, nu = 0.2, 2.0
	rng := rand.New(rand.NewPCG(99, 1))
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = mu + math.Sqrt(nu)*rng.NormFloat64()
	}
	_, yv := run(t, tensor.Float64, xs, 0.1, 5, 1, WithFixedPoint(mu, nu))
	var m, v float64
	for _, y := range asF64(yv) {
		m += y
	}
	m /= n
	for _, y := range asF64(yv) {
		v += (y - m) * (y - m)
	}
	v /= n
	if math.Abs(m-mu) > 0.005 || math.Abs(v-nu) > 0.02 {
		t.Errorf("got:(%v, %v) want:(%v, %v)", m, v, mu, nu)
	}
}

// TestReproducible: same seed → same masks; each forward pass draws a new
// mask; a second call site gets a different mask; RNG state round-trips.
func TestReproducible(t *testing.T) {
	xs := make([]float64, 5000)
	for i := range xs {
		xs[i] = float64(i%7) - 3
	}
	op1, _ := run(t, tensor.Float32, xs, 0.3, 42, 1)
	op2, _ := run(t, tensor.Float32, xs, 0.3, 42, 1)
	op3, _ := run(t, tensor.Float32, xs, 0.3, 42, 2)
	op4, _ := run(t, tensor.Float32, xs, 0.3, 43, 1)
	eq := func(a, b []bool) bool {
		for i := range a {
			if a[i] != b[i] {
				return false
			}
		}
		return len(a) == len(b)
	}
	if !eq(op1.Mask(), op2.Mask()) {
		t.Error("same seed gave different masks")
	}
	if eq(op1.Mask(), op3.Mask()) {
		t.Error("second forward pass reused the mask")
	}
	if eq(op1.Mask(), op4.Mask()) {
		t.Error("different seeds gave equal masks")
	}

	// two call sites with the same seed in one graph
	g := gorgonia.NewGraph()
	x := gorgonia.NewVector(g, tensor.Float64, gorgonia.WithShape(len(xs)), gorgonia.WithName("x"),
		gorgonia.WithValue(tensor.New(tensor.WithBacking(append([]float64(nil), xs...)))))
	y1 := gorgonia.Must(Apply(x, 0.3, graph.Train, 42))
	y2 := gorgonia.Must(Apply(x, 0.3, graph.Train, 42))
	if y1 == y2 {
		t.Fatal("two dropouts of one input merged into one node")
	}
	m := gorgonia.NewTapeMachine(g)
	defer m.Close()
	state, err := Ops(g)[0].MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	ops := Ops(g)
	if len(ops) != 2 || eq(ops[0].Mask(), ops[1].Mask()) {
		t.Errorf("two call sites: got:%d ops, equal masks want:2 ops, different masks", len(ops))
	}
	first := ops[0].Mask()
	if err := ops[0].UnmarshalBinary(state); err != nil {
		t.Fatal(err)
	}
	m.Reset()
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	if !eq(first, ops[0].Mask()) {
		t.Error("restored RNG state did not reproduce the mask")
	}
	if err := ops[0].UnmarshalBinary([]byte("junk")); err == nil {
		t.Error("UnmarshalBinary accepted junk")
	}
	if b, _ := ops[0].MarshalBinary(); !bytes.HasPrefix(b, []byte(stateMagic)) {
		t.Error("state lacks its prefix")
	}
}

// TestThreadIndependence: masks do not depend on GOMAXPROCS-driven splitting
// (blocks are seeded sequentially), checked by comparing a multi-block run
// with the single-block kernels.
func TestThreadIndependence(t *testing.T) {
	n := 5*BlockSize + 77
	xs := make([]float64, n)
	op, yv := run(t, tensor.Float32, xs, 0.1, 9, 1)
	// replay: same op seeds drawn by a fresh op
	ref, _ := New(0.1, 9, 0)
	seeds, _ := ref.prepareMask(n)
	for blk := 0; blk*BlockSize < n; blk++ {
		lo, hi := blk*BlockSize, min((blk+1)*BlockSize, n)
		drawMask(ref.mask[lo/64:(hi+63)/64], hi-lo, ref.thr, seeds[blk])
	}
	a, b := op.Mask(), ref.Mask()
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("element %d: got:%v want:%v", i, a[i], b[i])
		}
	}
	_ = yv
}

// TestApplyModes: eval mode and rate 0 return x itself; bad rates are errors.
func TestApplyModes(t *testing.T) {
	g := gorgonia.NewGraph()
	x := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(2, 2), gorgonia.WithName("x"))
	xi := gorgonia.NewMatrix(g, tensor.Int, gorgonia.WithShape(2, 2), gorgonia.WithName("xi"))
	cases := []struct {
		name     string
		x        *gorgonia.Node
		rate     float64
		mode     graph.Mode
		identity bool
		err      bool
	}{
		{"eval", x, 0.1, graph.Eval, true, false},        // 0
		{"rate0", x, 0, graph.Train, true, false},        // 1
		{"train", x, 0.1, graph.Train, false, false},     // 2
		{"rate1", x, 1, graph.Train, false, true},        // 3
		{"neg", x, -0.1, graph.Eval, false, true},        // 4
		{"nan", x, math.NaN(), graph.Train, false, true}, // 5
		{"nil", nil, 0.1, graph.Train, false, true},      // 6
		{"int", xi, 0.1, graph.Train, false, true},       // 7
		{"mode", x, 0.1, graph.Mode(7), false, true},     // 8
	}
	for i, c := range cases {
		y, err := Apply(c.x, c.rate, c.mode, 1)
		if (err != nil) != c.err {
			t.Errorf("%d %s: got:err %v want:err %v", i, c.name, err, c.err)
			continue
		}
		if err == nil && (y == c.x) != c.identity {
			t.Errorf("%d %s: got:identity %v want:%v", i, c.name, y == c.x, c.identity)
		}
	}
}

func frozenMask(n int, seed uint64) []bool {
	rng := rand.New(rand.NewPCG(seed, 3))
	m := make([]bool, n)
	for i := range m {
		m[i] = rng.Float64() > 0.3
	}
	return m
}

// TestGradcheck checks dropout alone and after SELU with a frozen mask, on
// both machines (gradcheck harness).
func TestGradcheck(t *testing.T) {
	x := gradcheck.Randn(11, 4, 5)
	for i, v := range x.Float64s() { // keep SELU away from its kink
		if math.Abs(v) < 0.05 {
			x.Float64s()[i] = 0.2
		}
	}
	mask := frozenMask(20, 1)
	cases := []struct {
		name string
		f    gradcheck.Func
		in   *tensor.Dense
	}{
		{"dropout", func(g *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) { // 0
			return Apply(in[0], 0.3, graph.Train, 1, WithMask(mask))
		}, x},
		{"selu→dropout→selu", func(g *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) { // 1
			h, err := selu.Apply(in[0])
			if err != nil {
				return nil, err
			}
			if h, err = Apply(h, 0.3, graph.Train, 1, WithMask(mask)); err != nil {
				return nil, err
			}
			return selu.Apply(h)
		}, x},
		{"scalar", func(g *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) { // 2
			return Apply(in[0], 0.3, graph.Train, 1, WithMask([]bool{true}))
		}, tensor.New(tensor.FromScalar(0.4))},
	}
	for i, c := range cases {
		if err := gradcheck.Check(c.f, []*tensor.Dense{c.in}); err != nil {
			t.Errorf("%d %s: got:%v want:nil", i, c.name, err)
		}
	}
}

// TestBackwardUsesForwardMask: in a float32 train step the gradient is a·d
// with the mask of that step's forward pass, across several steps.
func TestBackwardUsesForwardMask(t *testing.T) {
	const n = 3000
	g := gorgonia.NewGraph()
	x := gorgonia.NewVector(g, tensor.Float32, gorgonia.WithShape(n), gorgonia.WithName("x"),
		gorgonia.WithValue(tensor.New(tensor.WithBacking(make([]float32, n)))))
	y := gorgonia.Must(Apply(x, 0.2, graph.Train, 3))
	grads, err := gorgonia.Grad(gorgonia.Must(gorgonia.Sum(y)), x)
	if err != nil {
		t.Fatal(err)
	}
	var gv gorgonia.Value // read the gradient node (BindDualValues would accumulate across runs)
	gorgonia.Read(grads[0], &gv)
	m := gorgonia.NewTapeMachine(g)
	defer m.Close()
	op := Ops(g)[0]
	a, _ := op.Coefficients()
	for step := 0; step < 3; step++ {
		m.Reset()
		if err := m.RunAll(); err != nil {
			t.Fatal(err)
		}
		gs := gv.Data().([]float32)
		for i, k := range op.Mask() {
			want := float32(0)
			if k {
				want = float32(a)
			}
			if gs[i] != want {
				t.Fatalf("step %d element %d: got:%v want:%v", step, i, gs[i], want)
			}
		}
	}
}
