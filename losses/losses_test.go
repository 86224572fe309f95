package losses

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/selunet/selunet/graph/gradcheck"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// graphFn builds a scalar cost from input nodes (the signature of
// graph/gradcheck.Check).
type graphFn = gradcheck.Func

func denseOf(shape []int, data []float64) *tensor.Dense {
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), data...)))
}

func dense32(shape []int, data []float64) *tensor.Dense {
	d := make([]float32, len(data))
	for i := range data {
		d[i] = float32(data[i])
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(d))
}

// analytic returns the gradients of f's cost with respect to all inputs,
// from gorgonia.Grad + TapeMachine (lisp=false) or LispMachine autodiff.
func analytic(f graphFn, inputs []*tensor.Dense, lisp bool) ([][]float64, error) {
	g := gorgonia.NewGraph()
	nodes := make([]*gorgonia.Node, len(inputs))
	for i, in := range inputs {
		nodes[i] = gorgonia.NodeFromAny(g, in.Clone().(*tensor.Dense), gorgonia.WithName(fmt.Sprintf("in%d", i)))
	}
	cost, err := f(g, nodes)
	if err != nil {
		return nil, err
	}
	var vm gorgonia.VM
	if lisp {
		vm = gorgonia.NewLispMachine(g)
	} else {
		if _, err := gorgonia.Grad(cost, nodes...); err != nil {
			return nil, err
		}
		vm = gorgonia.NewTapeMachine(g, gorgonia.BindDualValues(nodes...))
	}
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		return nil, err
	}
	out := make([][]float64, len(nodes))
	for i, n := range nodes {
		gv, err := n.Grad()
		if err != nil {
			return nil, err
		}
		out[i] = append(out[i], gv.Data().([]float64)...)
	}
	return out, nil
}

// constNode returns a node holding a copy of d (not differentiated).
func constNode(g *gorgonia.ExprGraph, d *tensor.Dense, name string) *gorgonia.Node {
	return gorgonia.NodeFromAny(g, d.Clone().(*tensor.Dense), gorgonia.WithName(name))
}

var nan = math.NaN()

// lossValue runs the graph of loss (returned with err by a loss
// constructor) on a TapeMachine and returns its value; an error stops the
// test, naming case i.
func lossValue(t *testing.T, i int, loss *gorgonia.Node, err error) float64 {
	t.Helper()
	if err != nil {
		t.Fatalf("case %d: %v", i, err)
	}
	vm := gorgonia.NewTapeMachine(loss.Graph())
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatalf("case %d: %v", i, err)
	}
	got, _ := scalarOf(loss.Value())
	return got
}

// TestBCEValues checks forward values against hand computation:
// ℓ(0, y) = log 2 = 0.693147180559945; ℓ(z, y) = max(z,0) − zy + log1p(e^−|z|).
func TestBCEValues(t *testing.T) {
	const tol = 1e-12
	log2 := math.Ln2
	cases := []struct {
		z, y, m []float64 // m nil: no mask
		want    float64
	}{
		{[]float64{0, 0}, []float64{1, 0}, nil, log2},                                                                                 // 0: both log 2
		{[]float64{100, -100}, []float64{1, 0}, nil, math.Exp(-100)},                                                                  // 1: confident right: ≈ e^-100 each
		{[]float64{100, -100}, []float64{0, 1}, nil, 100 + math.Exp(-100)},                                                            // 2: confident wrong: ≈ 100 each
		{[]float64{1, 2, 3}, []float64{1, 0, nan}, []float64{1, 1, 0}, (math.Log1p(math.Exp(-1)) + 2 + math.Log1p(math.Exp(-2))) / 2}, // 3: NaN target masked
		{[]float64{5, -5}, []float64{1, 1}, []float64{0, 0}, 0},                                                                       // 4: all masked → 0
		{[]float64{2}, []float64{0.25}, []float64{0.5}, 0.5 * (2 - 0.5 + math.Log1p(math.Exp(-2)))},                                   // 5: weight 0.5 < 1 → denominator 1
		{[]float64{-3, 4}, []float64{1, 0}, []float64{2, 2}, (3 + math.Log1p(math.Exp(-3)) + 4 + math.Log1p(math.Exp(-4))) / 2},       // 6: weights 2: (2a+2b)/4
		{[]float64{1e4, -1e4}, []float64{1, 0}, nil, 0},                                                                               // 7: huge logits, no overflow
	}
	for i, c := range cases {
		for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
			mk := denseOf
			tl := tol
			if dt == tensor.Float32 {
				mk, tl = dense32, 1e-6
			}
			g := gorgonia.NewGraph()
			sh := []int{len(c.z)}
			z := constNode(g, mk(sh, c.z), "z")
			y := constNode(g, mk(sh, c.y), "y")
			var m *gorgonia.Node
			if c.m != nil {
				m = constNode(g, mk(sh, c.m), "m")
			}
			loss, err := BCEWithLogits(z, y, m)
			got := lossValue(t, i, loss, err)
			if math.Abs(got-c.want) > tl*math.Max(1, math.Abs(c.want)) || math.IsNaN(got) {
				t.Errorf("case %d %v: got:%v want:%v", i, dt, got, c.want)
			}
		}
	}
}

// TestSCEValues checks softmax cross-entropy against hand computation:
// lse(1,2,3) = 3 + log(1 + e^-1 + e^-2) = 3.40760596444438.
func TestSCEValues(t *testing.T) {
	const tol = 1e-12
	lse123 := 3 + math.Log(1+math.Exp(-1)+math.Exp(-2))
	cases := []struct {
		n, c    int
		z, y, w []float64
		want    float64
	}{
		{1, 3, []float64{1, 2, 3}, []float64{0, 0, 1}, nil, lse123 - 3},                                                      // 0
		{2, 3, []float64{1, 2, 3, 1, 2, 3}, []float64{1, 0, 0, 0, 1, 0}, nil, ((lse123 - 1) + (lse123 - 2)) / 2},             // 1: mean
		{1, 2, []float64{1000, 0}, []float64{0, 1}, nil, 1000},                                                               // 2: no overflow
		{1, 2, []float64{-1000, 0}, []float64{0, 1}, nil, 0},                                                                 // 3
		{2, 3, []float64{1, 2, 3, nan, nan, nan}, []float64{0, 0, 1, nan, 0, 0}, []float64{1, 0}, lse123 - 3},                // 4: padded row skipped
		{2, 3, []float64{1, 2, 3, 1, 2, 3}, []float64{0, 0, 1, 1, 0, 0}, []float64{3, 1}, (3*(lse123-3) + (lse123 - 1)) / 4}, // 5: weights
		{1, 3, []float64{1, 2, 3}, []float64{0.2, 0.3, 0.5}, nil, lse123 - (0.2 + 0.6 + 1.5)},                                // 6: soft targets
		{2, 2, []float64{1, 2, 3, 4}, []float64{1, 0, 0, 1}, []float64{0, 0}, 0},                                             // 7: all weights 0
	}
	for i, c := range cases {
		g := gorgonia.NewGraph()
		z := constNode(g, denseOf([]int{c.n, c.c}, c.z), "z")
		y := constNode(g, denseOf([]int{c.n, c.c}, c.y), "y")
		var w *gorgonia.Node
		if c.w != nil {
			w = constNode(g, denseOf([]int{c.n}, c.w), "w")
		}
		loss, err := SoftmaxCrossEntropy(z, y, w)
		got := lossValue(t, i, loss, err)
		if math.Abs(got-c.want) > tol*math.Max(1, math.Abs(c.want)) || math.IsNaN(got) {
			t.Errorf("case %d: got:%v want:%v", i, got, c.want)
		}
	}
}

// TestGradients checks both losses, masked and unmasked, composed with a
// matrix product and a scale (so the upstream gradient is not 1), against
// finite differences on TapeMachine (symbolic) and LispMachine (autodiff).
func TestGradients(t *testing.T) {
	x := []float64{0.5, -1.5, 2.0, 0.3, -0.7, 1.1}      // 3×2 features
	wInit := []float64{0.4, -0.2, 1.3, 0.8, -0.6, 0.05} // 2×3 weights
	yBin := []float64{1, 0, nan, 0, 1, 1, 1, 0, 0}      // 3×3 targets, one NaN masked out
	mask := []float64{1, 1, 0, 1, 0.5, 1, 1, 1, 1}      // 3×3 mask
	yHot := []float64{0, 1, 0, 1, 0, 0, 0.3, 0.3, 0.4}  // 3×3 targets
	rowW := []float64{1, 0, 2}                          // row weights
	yBinFull := []float64{1, 0, 1, 0, 1, 1, 1, 0, 0}
	linear := func(g *gorgonia.ExprGraph, in []*gorgonia.Node) *gorgonia.Node {
		xn := constNode(g, denseOf([]int{3, 2}, x), "x")
		return gorgonia.Must(gorgonia.Mul(xn, in[0])) // 3×3 logits
	}
	scale := func(n *gorgonia.Node, err error) (*gorgonia.Node, error) {
		if err != nil {
			return nil, err
		}
		return gorgonia.Mul(n, gorgonia.NewConstant(2.5))
	}
	cases := []struct {
		name string
		f    graphFn
	}{
		{"bce masked", func(g *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) { // 0
			return scale(BCEWithLogits(linear(g, in), constNode(g, denseOf([]int{3, 3}, yBin), "y"), constNode(g, denseOf([]int{3, 3}, mask), "m")))
		}},
		{"bce plain", func(g *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) { // 1
			return scale(BCEWithLogits(linear(g, in), constNode(g, denseOf([]int{3, 3}, yBinFull), "y"), nil))
		}},
		{"sce weighted", func(g *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) { // 2
			return scale(SoftmaxCrossEntropy(linear(g, in), constNode(g, denseOf([]int{3, 3}, yHot), "y"), constNode(g, denseOf([]int{3}, rowW), "w")))
		}},
		{"sce plain", func(g *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) { // 3
			return scale(SoftmaxCrossEntropy(linear(g, in), constNode(g, denseOf([]int{3, 3}, yHot), "y"), nil))
		}},
	}
	for i, c := range cases {
		// graph/gradcheck compares TapeMachine (gorgonia.Grad) and
		// LispMachine gradients with central differences.
		if err := gradcheck.Check(c.f, []*tensor.Dense{denseOf([]int{2, 3}, wInit)}); err != nil {
			t.Errorf("case %d %s: %v", i, c.name, err)
		}
	}
}

// TestGradientsDirect checks both losses with targets, mask and row
// weights fed as (constant) graph inputs, including garbage under mask 0
// and logits far from 0. (NaN under a mask is covered by TestBCEValues,
// TestSCEValues and TestExtremeGradients: gradcheck reports NaN inputs as
// modified because NaN != NaN.)
func TestGradientsDirect(t *testing.T) {
	bce := func(g *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) {
		return BCEWithLogits(in[0], in[1], in[2])
	}
	sce := func(g *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) {
		return SoftmaxCrossEntropy(in[0], in[1], in[2])
	}
	cases := []struct {
		f      graphFn
		inputs []*tensor.Dense
	}{
		{bce, []*tensor.Dense{ // 0: 2×3, an invalid label (5) masked, large logits
			denseOf([]int{2, 3}, []float64{0.3, -8, 12, -0.4, 2, 1}),
			denseOf([]int{2, 3}, []float64{1, 0, 1, 5, 0, 0.7}),
			denseOf([]int{2, 3}, []float64{1, 1, 1, 0, 2, 1}),
		}},
		{sce, []*tensor.Dense{ // 1: 3×4, middle row padded (garbage) and weighted out
			denseOf([]int{3, 4}, []float64{0.3, -1, 2, 0.5, 1e300, -1e300, 0, 0, 30, -2, 29, 0}),
			denseOf([]int{3, 4}, []float64{0, 0, 1, 0, 1, 0, 0, 0, 0.5, 0, 0.5, 0}),
			denseOf([]int{3}, []float64{1, 0, 2}),
		}},
	}
	for i, c := range cases {
		if err := gradcheck.Check(c.f, c.inputs, gradcheck.WithRespectTo(0)); err != nil {
			t.Errorf("case %d: %v", i, err)
		}
	}
}

// TestGradientAtZero checks dℓ/dz = σ(0) − y = 0.5 − y exactly at z = 0,
// the point where Abs/Rectify subgradients would go wrong.
func TestGradientAtZero(t *testing.T) {
	const tol = 1e-15
	f := func(g *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) {
		return BCEWithLogits(in[0], constNode(g, denseOf([]int{2}, []float64{1, 0}), "y"), nil)
	}
	for _, lisp := range []bool{false, true} {
		got, err := analytic(f, []*tensor.Dense{denseOf([]int{2}, []float64{0, 0})}, lisp)
		if err != nil {
			t.Fatal(err)
		}
		want := []float64{-0.25, 0.25} // (0.5 − y)/2
		for j := range want {
			if math.Abs(got[0][j]-want[j]) > tol {
				t.Errorf("lisp=%v [%d]: got:%v want:%v", lisp, j, got[0][j], want[j])
			}
		}
	}
}

// TestExtremeGradients checks that gradients at logits ±100 are finite and
// correct (σ(100) − 1 ≈ −3.7e-44, σ(−100) − 1 ≈ −1), and that masked
// entries get exactly zero gradient.
func TestExtremeGradients(t *testing.T) {
	const tol = 1e-15
	f := func(g *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) {
		y := constNode(g, denseOf([]int{3}, []float64{1, 1, nan}), "y")
		m := constNode(g, denseOf([]int{3}, []float64{1, 1, 0}), "m")
		return BCEWithLogits(in[0], y, m)
	}
	got, err := analytic(f, []*tensor.Dense{denseOf([]int{3}, []float64{100, -100, 7})}, false)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{(sigmoid(100) - 1) / 2, (sigmoid(-100) - 1) / 2, 0}
	for j := range want {
		if math.Abs(got[0][j]-want[j]) > tol || math.IsNaN(got[0][j]) {
			t.Errorf("[%d]: got:%v want:%v", j, got[0][j], want[j])
		}
	}
}

// TestFloat32Gradient checks that the float32 path agrees with float64.
func TestFloat32Gradient(t *testing.T) {
	const tol = 1e-6
	z := []float64{0.3, -2, 4, 0, 1, -1}
	y := []float64{1, 0, 1, 1, 0, 0}
	run := func(mk func([]int, []float64) *tensor.Dense) []float64 {
		g := gorgonia.NewGraph()
		zn := gorgonia.NodeFromAny(g, mk([]int{2, 3}, z), gorgonia.WithName("z"))
		yn := constNode(g, mk([]int{2, 3}, y), "y")
		loss, err := SoftmaxCrossEntropy(zn, yn, nil)
		if err != nil {
			t.Fatal(err)
		}
		l2, err := BCEWithLogits(zn, yn, nil)
		if err != nil {
			t.Fatal(err)
		}
		sum := gorgonia.Must(gorgonia.Add(loss, l2))
		if _, err := gorgonia.Grad(sum, zn); err != nil {
			t.Fatal(err)
		}
		vm := gorgonia.NewTapeMachine(g, gorgonia.BindDualValues(zn))
		defer vm.Close()
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		gv, _ := zn.Grad()
		var out []float64
		switch d := gv.Data().(type) {
		case []float32:
			for _, v := range d {
				out = append(out, float64(v))
			}
		case []float64:
			out = d
		}
		return out
	}
	g64, g32 := run(denseOf), run(dense32)
	for j := range g64 {
		if math.Abs(g64[j]-g32[j]) > tol {
			t.Errorf("[%d]: got:%v want:%v", j, g32[j], g64[j])
		}
	}
}

// TestBuildErrors checks shape and dtype errors at build time.
func TestBuildErrors(t *testing.T) {
	g := gorgonia.NewGraph()
	a := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(2, 3), gorgonia.WithName("a"))
	b := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(3, 2), gorgonia.WithName("b"))
	c := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(2, 3), gorgonia.WithName("c"))
	v := gorgonia.NewVector(g, tensor.Float64, gorgonia.WithShape(3), gorgonia.WithName("v"))
	cases := []struct {
		err  error
		want string
	}{
		{second(BCEWithLogits(a, b, nil)), "targets shape (3, 2) differs from logits shape (2, 3)"}, // 0
		{second(BCEWithLogits(a, c, nil)), "targets is float32, logits are float64"},                // 1
		{second(BCEWithLogits(a, a, b)), "mask shape"},                                              // 2
		{second(BCEWithLogits(nil, a, nil)), "must not be nil"},                                     // 3
		{second(SoftmaxCrossEntropy(v, v, nil)), "logits must be N×C"},                              // 4
		{second(SoftmaxCrossEntropy(a, a, v)), "rowWeight must have shape (2)"},                     // 5
	}
	for i, c := range cases {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("case %d: got:%v want:%v", i, c.err, c.want)
		}
	}
}

func second(_ *gorgonia.Node, err error) error { return err }
