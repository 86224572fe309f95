package graph

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"weak"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestInitializerMoments checks mean and variance of each initializer against
// its definition (variances worked by hand from the formulas in doc.go).
func TestInitializerMoments(t *testing.T) {
	const tol = 0.02 // relative; 250k draws give a std error of about 0.3% on the variance
	shape := tensor.Shape{500, 500}
	cases := []struct {
		name    string
		init    Initializer
		wantVar float64
	}{
		{"LeCunNormal", LeCunNormal(), 1.0 / 500},            // 0
		{"HeNormal", HeNormal(), 2.0 / 500},                  // 1
		{"GlorotNormal", GlorotNormal(), 2.0 / 1000},         // 2
		{"GlorotUniform", GlorotUniform(), 6.0 / 1000 / 3.0}, // 3: l²/3
	}
	for i, c := range cases {
		for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
			v := c.init(rand.New(rand.NewPCG(1, 2)), dt, shape)
			xs := asFloat64s(v)
			var m, s2 float64
			for _, x := range xs {
				m += x
			}
			m /= float64(len(xs))
			for _, x := range xs {
				s2 += (x - m) * (x - m)
			}
			s2 /= float64(len(xs))
			if math.Abs(m) > 4*math.Sqrt(c.wantVar/float64(len(xs))) {
				t.Errorf("%d %s %v: mean got:%v want:0", i, c.name, dt, m)
			}
			if math.Abs(s2/c.wantVar-1) > tol {
				t.Errorf("%d %s %v: var got:%v want:%v", i, c.name, dt, s2, c.wantVar)
			}
		}
	}
}

func asFloat64s(v *tensor.Dense) []float64 {
	if v.Dtype() == tensor.Float32 {
		out := make([]float64, v.Len())
		for i, x := range v.Float32s() {
			out[i] = float64(x)
		}
		return out
	}
	return v.Float64s()
}

// TestFans checks the fan convention (by definition in Initializer's doc).
func TestFans(t *testing.T) {
	cases := []struct {
		s       tensor.Shape
		in, out int
	}{
		{tensor.Shape{}, 1, 1},             // 0
		{tensor.Shape{7}, 7, 7},            // 1
		{tensor.Shape{3, 5}, 3, 5},         // 2
		{tensor.Shape{3, 5, 2, 2}, 12, 20}, // 3
	}
	for i, c := range cases {
		in, out := Fans(c.s)
		if in != c.in || out != c.out {
			t.Errorf("%d: got:(%d,%d) want:(%d,%d)", i, in, out, c.in, c.out)
		}
	}
}

func TestConstantAndZeros(t *testing.T) {
	v := Constant(2.5)(nil, tensor.Float32, tensor.Shape{2, 3})
	for _, x := range v.Float32s() {
		if x != 2.5 {
			t.Fatalf("got:%v want:2.5", x)
		}
	}
	z := Zeros()(nil, tensor.Float64, tensor.Shape{4})
	for _, x := range z.Float64s() {
		if x != 0 {
			t.Fatalf("got:%v want:0", x)
		}
	}
}

func TestParamsDeterministic(t *testing.T) {
	mk := func() *Params {
		ps := NewParams(tensor.Float64, 7)
		ps.Add("a", tensor.Shape{3, 4}, LeCunNormal())
		ps.AddFixed("b", tensor.Shape{4}, Zeros())
		ps.Add("c", tensor.Shape{4, 2}, GlorotUniform())
		return ps
	}
	p1, p2 := mk(), mk()
	for i, p := range p1.All() {
		q := p2.All()[i]
		if p.Name != q.Name || !slices.Equal(p.Value.Float64s(), q.Value.Float64s()) {
			t.Fatalf("param %d differs between equal seeds", i)
		}
	}
	if got := len(p1.Nodes(gorgonia.NewGraph())); got != 2 {
		t.Errorf("trainable nodes got:%v want:2", got)
	}
	if p1.Get("b").Trainable || p1.Get("zz") != nil {
		t.Errorf("Get/Trainable wrong")
	}
	if p1.Size() != 12+4+8 || p1.Len() != 3 {
		t.Errorf("Size got:%v Len got:%v want:24,3", p1.Size(), p1.Len())
	}
	p3 := NewParams(tensor.Float64, 8)
	p3.Add("a", tensor.Shape{3, 4}, LeCunNormal())
	if slices.Equal(p3.Get("a").Value.Float64s(), p1.Get("a").Value.Float64s()) {
		t.Errorf("different seeds gave equal weights")
	}
}

func TestParamsPanics(t *testing.T) {
	cases := []struct {
		name string
		f    func()
	}{
		{"duplicate", func() { // 0
			ps := NewParams(tensor.Float32, 1)
			ps.Add("w", tensor.Shape{2}, Zeros())
			ps.Add("w", tensor.Shape{2}, Zeros())
		}},
		{"bad shape", func() { NewParams(tensor.Float32, 1).Add("w", tensor.Shape{2, 0}, Zeros()) }}, // 1
		{"empty name", func() { NewParams(tensor.Float32, 1).Add("", tensor.Shape{2}, Zeros()) }},    // 2
		{"nil init", func() { NewParams(tensor.Float32, 1).Add("w", tensor.Shape{2}, nil) }},         // 3
		{"bad dtype", func() { NewParams(tensor.Int, 1) }},                                           // 4
	}
	for i, c := range cases {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%d %s: no panic", i, c.name)
				}
			}()
			c.f()
		}()
	}
}

func TestCloneCopyFrom(t *testing.T) {
	ps := NewParams(tensor.Float32, 3)
	w := ps.Add("w", tensor.Shape{2, 2}, LeCunNormal())
	c := ps.Clone()
	if c.Get("w").Value == w.Value {
		t.Fatal("Clone shares tensors")
	}
	orig := append([]float32(nil), w.Value.Float32s()...)
	w.Value.Float32s()[0] = 100
	if c.Get("w").Value.Float32s()[0] != orig[0] {
		t.Fatal("Clone is not deep")
	}
	before := w.Value
	if err := ps.CopyFrom(c); err != nil {
		t.Fatal(err)
	}
	if w.Value != before || w.Value.Float32s()[0] != orig[0] {
		t.Errorf("CopyFrom: got:%v want:%v in place", w.Value.Float32s()[0], orig[0])
	}
	other := NewParams(tensor.Float32, 3)
	other.Add("w", tensor.Shape{2, 3}, Zeros())
	if err := ps.CopyFrom(other); err == nil {
		t.Error("CopyFrom accepted a shape mismatch")
	}
	other2 := NewParams(tensor.Float32, 3)
	other2.Add("v", tensor.Shape{2, 2}, Zeros())
	if err := ps.CopyFrom(other2); err == nil {
		t.Error("CopyFrom accepted a name mismatch")
	}
}

// TestSharedParamsAcrossGraphs checks the facts the package relies on in
// Gorgonia v0.9.18: a TapeMachine with BindDualValues on graph A and an
// in-place solver step leave p.Value the same tensor, and a machine on graph B
// reads the updated values.
func TestSharedParamsAcrossGraphs(t *testing.T) {
	const tol = 1e-12
	ps := NewParams(tensor.Float64, 11)
	w := ps.Add("w", tensor.Shape{3, 2}, LeCunNormal())
	wPtr := w.Value
	xv := tensor.New(tensor.WithShape(1, 3), tensor.WithBacking([]float64{1, 2, 3}))

	// graph A: training
	ga := gorgonia.NewGraph()
	xa := gorgonia.NewMatrix(ga, tensor.Float64, gorgonia.WithShape(1, 3), gorgonia.WithValue(xv), gorgonia.WithName("x"))
	wa := w.Node(ga)
	ya := gorgonia.Must(gorgonia.Mul(xa, wa))
	if w.Node(ga) != wa {
		t.Fatal("Node not idempotent")
	}
	cost := gorgonia.Must(gorgonia.Sum(ya))
	if _, err := gorgonia.Grad(cost, ps.Nodes(ga)...); err != nil {
		t.Fatal(err)
	}
	ma := NewTapeMachine(ga, ps, true)
	defer ma.Close()

	// graph B: evaluation
	gb := gorgonia.NewGraph()
	xb := gorgonia.NewMatrix(gb, tensor.Float64, gorgonia.WithShape(1, 3), gorgonia.WithValue(xv), gorgonia.WithName("x"))
	yb := gorgonia.Must(gorgonia.Mul(xb, w.Node(gb)))
	var ybv gorgonia.Value
	gorgonia.Read(yb, &ybv)
	mb := NewTapeMachine(gb, ps, false)
	defer mb.Close()

	solver := gorgonia.NewVanillaSolver(gorgonia.WithLearnRate(0.5))
	for step := 0; step < 3; step++ {
		before := append([]float64(nil), w.Value.Float64s()...)
		if err := ma.RunAll(); err != nil {
			t.Fatal(err)
		}
		if err := solver.Step(gorgonia.NodesToValueGrads(ps.Nodes(ga))); err != nil {
			t.Fatal(err)
		}
		ma.Reset()
		if w.Value != wPtr {
			t.Fatalf("step %d: machine or solver replaced Param.Value", step)
		}
		// d sum(x·W)/dW_ij = x_i, so W_ij -= 0.5·x_i
		for i, v := range w.Value.Float64s() {
			want := before[i] - 0.5*float64(i/2+1)
			if math.Abs(v-want) > tol {
				t.Fatalf("step %d: W[%d] got:%v want:%v", step, i, v, want)
			}
		}
		if err := mb.RunAll(); err != nil {
			t.Fatal(err)
		}
		mb.Reset()
		got := ybv.(*tensor.Dense).Float64s()
		wv := w.Value.Float64s()
		for j := 0; j < 2; j++ {
			want := wv[j] + 2*wv[2+j] + 3*wv[4+j]
			if math.Abs(got[j]-want) > tol {
				t.Fatalf("step %d: eval graph y[%d] got:%v want:%v (stale weights)", step, j, got[j], want)
			}
		}
	}
}

func TestModeText(t *testing.T) {
	for i, m := range []Mode{Train, Eval} {
		b, err := m.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Mode
		if err := back.UnmarshalText(b); err != nil || back != m {
			t.Errorf("%d: got:%v want:%v", i, back, m)
		}
	}
	if Mode(5).String() != "Mode(5)" {
		t.Errorf("got:%v", Mode(5))
	}
	if _, err := ParseMode("test"); err == nil {
		t.Error("ParseMode accepted test")
	}
}

// TestSharedParamsAdamAndLisp: Gorgonia's Adam solver and a LispMachine also
// leave Param.Value in place, and Node still finds the bound node afterwards.
func TestSharedParamsAdamAndLisp(t *testing.T) {
	ps := NewParams(tensor.Float32, 5)
	w := ps.Add("w", tensor.Shape{2, 2}, GlorotUniform())
	wPtr := w.Value
	x := tensor.New(tensor.WithShape(1, 2), tensor.WithBacking([]float32{1, -1}))

	g := gorgonia.NewGraph()
	xn := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(1, 2), gorgonia.WithName("x"), gorgonia.WithValue(x))
	cost := gorgonia.Must(gorgonia.Sum(gorgonia.Must(gorgonia.Mul(xn, w.Node(g)))))
	if _, err := gorgonia.Grad(cost, ps.Nodes(g)...); err != nil {
		t.Fatal(err)
	}
	m := NewTapeMachine(g, ps, true)
	defer m.Close()
	adam := gorgonia.NewAdamSolver(gorgonia.WithLearnRate(0.1))
	before := append([]float32(nil), w.Value.Float32s()...)
	for step := 0; step < 2; step++ {
		if err := m.RunAll(); err != nil {
			t.Fatal(err)
		}
		if err := adam.Step(gorgonia.NodesToValueGrads(ps.Nodes(g))); err != nil {
			t.Fatal(err)
		}
		m.Reset()
	}
	if w.Value != wPtr || w.Value.Float32s()[0] == before[0] {
		t.Fatalf("Adam: got:replaced=%v changed=%v want:false,true", w.Value != wPtr, w.Value.Float32s()[0] != before[0])
	}

	gl := gorgonia.NewGraph()
	xl := gorgonia.NewMatrix(gl, tensor.Float32, gorgonia.WithShape(1, 2), gorgonia.WithName("x"), gorgonia.WithValue(x))
	wl := w.Node(gl)
	gorgonia.Must(gorgonia.Sum(gorgonia.Must(gorgonia.Mul(xl, wl))))
	lm := gorgonia.NewLispMachine(gl)
	defer lm.Close()
	if err := lm.RunAll(); err != nil {
		t.Fatal(err)
	}
	if w.Value != wPtr || w.Node(gl) != wl {
		t.Fatalf("LispMachine: got:replaced=%v sameNode=%v want:false,true", w.Value != wPtr, w.Node(gl) == wl)
	}
	if _, err := wl.Grad(); err != nil {
		t.Errorf("LispMachine gradient of w: %v", err)
	}
}

// TestZeroGrads: gradients accumulate over TapeMachine runs (Gorgonia
// behaviour) and ZeroGrads resets them; d sum(w)/dw = 1 per run.
func TestZeroGrads(t *testing.T) {
	ps := NewParams(tensor.Float64, 1)
	w := ps.Add("w", tensor.Shape{2}, Constant(1))
	g := gorgonia.NewGraph()
	if _, err := gorgonia.Grad(gorgonia.Must(gorgonia.Sum(w.Node(g))), ps.Nodes(g)...); err != nil {
		t.Fatal(err)
	}
	m := NewTapeMachine(g, ps, true)
	defer m.Close()
	cases := []struct {
		zero bool
		want float64
	}{
		{false, 1}, // 0
		{false, 2}, // 1: accumulated
		{true, 1},  // 2: after ZeroGrads
	}
	for i, c := range cases {
		if c.zero {
			ps.ZeroGrads(g)
		}
		if err := m.RunAll(); err != nil {
			t.Fatal(err)
		}
		m.Reset()
		gv, _ := w.Node(g).Grad()
		if got := gv.Data().([]float64)[0]; got != c.want {
			t.Errorf("%d: got:%v want:%v", i, got, c.want)
		}
	}
}

// TestTapeMachineCollected: a machine in a reference cycle (a struct that
// holds the machine and is the target of a gorgonia.Read in its graph) is
// garbage-collected once the struct is unreachable. With Gorgonia's own
// finalizer in place the cycle would never be collected.
func TestTapeMachineCollected(t *testing.T) {
	type holder struct {
		vm  gorgonia.VM
		out gorgonia.Value
	}
	var gone []weak.Pointer[holder]
	for i := 0; i < 4; i++ {
		g := gorgonia.NewGraph()
		x := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(64, 64), gorgonia.WithName("x"), gorgonia.WithInit(gorgonia.Ones()))
		y := gorgonia.Must(gorgonia.Mul(x, x))
		h := &holder{}
		gorgonia.Read(y, &h.out)
		h.vm = NewTapeMachine(g, nil, false)
		if err := h.vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		gone = append(gone, weak.Make(h))
	}
	runtime.GC()
	runtime.GC()
	for i, w := range gone {
		if w.Value() != nil {
			t.Errorf("%d: the holder of a tape machine is still alive after GC", i)
		}
	}
}
