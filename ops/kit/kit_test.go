package kit

import (
	"math"
	"strings"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selunet/selunet/graph/gradcheck"
)

// softsign uses the default kernels (F and DF elementwise) and reads x.
var softsign = &Unary{
	Name:  "softsign",
	F:     func(x float64) float64 { return x / (1 + math.Abs(x)) },
	DF:    func(x float64) float64 { d := 1 + math.Abs(x); return 1 / (d * d) },
	Deriv: FromInput,
}

// expm1 reads its output (d/dx (eˣ − 1) = y + 1) and has slice kernels for
// both dtypes, which count their calls.
var kernelCalls int

var expm1 = &Unary{
	Name:  "expm1",
	F:     math.Expm1,
	DF:    func(y float64) float64 { return y + 1 },
	Deriv: FromOutput,
	Forward32: func(y, x []float32) {
		kernelCalls++
		for i, v := range x {
			y[i] = float32(math.Expm1(float64(v)))
		}
	},
	Backward32: func(dx, dy, y []float32) {
		kernelCalls++
		for i := range dx {
			dx[i] = dy[i] * (y[i] + 1)
		}
	},
}

// TestGradients checks both machines against finite differences, for each
// Deriv, on a matrix and on a scalar.
func TestGradients(t *testing.T) {
	for _, u := range []*Unary{softsign, expm1} {
		gradcheck.Unary(t, u.Apply, gradcheck.Randn(1, 3, 4))
		gradcheck.Unary(t, u.Apply, gradcheck.Randn(2))
	}
}

// TestKernelsFloat32 runs a float32 graph forward and backward: the slice
// kernels run where given, F and DF elsewhere; values match the float64
// math within float32 rounding.
func TestKernelsFloat32(t *testing.T) {
	const tol = 1e-6
	for i, u := range []*Unary{softsign, expm1} {
		xs := []float32{-2, -0.5, 0.25, 1.5}
		g := gorgonia.NewGraph()
		x := gorgonia.NewVector(g, tensor.Float32, gorgonia.WithShape(len(xs)), gorgonia.WithName("x"),
			gorgonia.WithValue(tensor.New(tensor.WithBacking(append([]float32(nil), xs...)))))
		y, err := u.Apply(x)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := gorgonia.Grad(gorgonia.Must(gorgonia.Sum(y)), x); err != nil {
			t.Fatal(err)
		}
		kernelCalls = 0
		m := gorgonia.NewTapeMachine(g, gorgonia.BindDualValues(x))
		if err := m.RunAll(); err != nil {
			t.Fatal(err)
		}
		dx, _ := x.Grad()
		for j, v := range xs {
			wy := u.F(float64(v))
			wd := u.DF(float64(v))
			if u.Deriv == FromOutput {
				wd = u.DF(wy)
			}
			gy, gd := float64(y.Value().Data().([]float32)[j]), float64(dx.Data().([]float32)[j])
			if math.Abs(gy-wy) > tol*math.Max(1, math.Abs(wy)) || math.Abs(gd-wd) > tol*math.Max(1, math.Abs(wd)) {
				t.Errorf("%d %s(%v): got:(%v, %v) want:(%v, %v)", i, u.Name, v, gy, gd, wy, wd)
			}
		}
		if want := map[string]int{"softsign": 0, "expm1": 2}[u.Name]; kernelCalls != want {
			t.Errorf("%d %s: kernel calls got:%d want:%d", i, u.Name, kernelCalls, want)
		}
		m.Close()
	}
}

// TestPreallocAlias runs forward and backward into their own inputs, as the
// machine does when it reuses a register.
func TestPreallocAlias(t *testing.T) {
	for _, u := range []*Unary{softsign, expm1} {
		x := tensor.New(tensor.WithBacking([]float64{-1, 0.5, 2}))
		want := []float64{u.F(-1), u.F(0.5), u.F(2)}
		y, err := (&Op{u: u}).UsePreallocDo(x, x)
		if err != nil {
			t.Fatal(err)
		}
		if y != gorgonia.Value(x) {
			t.Errorf("%s: forward did not write into prealloc", u.Name)
		}
		for j, w := range want {
			if got := x.Float64s()[j]; got != w {
				t.Errorf("%s forward %d: got:%v want:%v", u.Name, j, got, w)
			}
		}
		v := tensor.New(tensor.WithBacking([]float64{0.5, 1, 1.5}))
		dy := tensor.New(tensor.WithBacking([]float64{2, 3, 4}))
		wantD := []float64{2 * u.DF(0.5), 3 * u.DF(1), 4 * u.DF(1.5)}
		if _, err := (&GradOp{u: u}).UsePreallocDo(dy, v, dy); err != nil {
			t.Fatal(err)
		}
		for j, w := range wantD {
			if got := dy.Float64s()[j]; got != w {
				t.Errorf("%s backward %d: got:%v want:%v", u.Name, j, got, w)
			}
		}
	}
}

// TestParallelDefaultKernel checks the default kernel on a slice long
// enough to be split across goroutines against a serial loop.
func TestParallelDefaultKernel(t *testing.T) {
	n := 3*ParallelThreshold + 7
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(i%97)/10 - 4
	}
	y := make([]float64, n)
	softsign.forward64(y, x)
	for i := range x {
		if w := softsign.F(x[i]); y[i] != w {
			t.Fatalf("element %d: got:%v want:%v", i, y[i], w)
		}
	}
}

// TestErrors lists what Apply rejects, and Do's arity errors.
func TestErrors(t *testing.T) {
	g := gorgonia.NewGraph()
	xi := gorgonia.NewVector(g, tensor.Int, gorgonia.WithShape(2), gorgonia.WithName("xi"))
	xf := gorgonia.NewVector(g, tensor.Float64, gorgonia.WithShape(2), gorgonia.WithName("xf"))
	cases := []struct {
		u    *Unary
		x    *gorgonia.Node
		want string
	}{
		{nil, xf, "kit: nil Unary"},                                                                               // 0
		{&Unary{F: math.Abs, DF: math.Abs}, xf, "no Name"},                                                        // 1
		{&Unary{Name: "f", DF: math.Abs}, xf, "needs F or both Forward32 and Forward64"},                          // 2
		{&Unary{Name: "f", F: math.Abs, Backward32: func(_, _, _ []float32) {}}, xf, "needs DF or both Backward"}, // 3
		{&Unary{Name: "f", F: math.Abs, DF: math.Abs, Deriv: 7}, xf, "unknown Deriv 7"},                           // 4
		{softsign, nil, "softsign: nil input node"},                                                               // 5
		{softsign, xi, "want Float32 or Float64"},                                                                 // 6
	}
	for i, c := range cases {
		_, err := c.u.Apply(c.x)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%d: got:%v want: error containing %q", i, err, c.want)
		}
	}
	if _, err := (&Op{u: softsign}).Do(); err == nil {
		t.Error("Do(): got:nil want:error")
	}
	if _, err := (&GradOp{u: softsign}).Do(gorgonia.NewF64(1)); err == nil {
		t.Error("GradOp.Do(1 value): got:nil want:error")
	}
	if _, err := (&GradOp{u: softsign}).Do(gorgonia.NewF64(1), gorgonia.NewF32(1)); err == nil {
		t.Error("GradOp.Do(F64, F32): got:nil want:error")
	}
}

// TestHash checks that equal names and constants hash equal and that
// other constants do not.
func TestHash(t *testing.T) {
	a := &Op{u: &Unary{Name: "f", Consts: []float64{1, 2}}}
	b := &Op{u: &Unary{Name: "f", Consts: []float64{1, 2}}}
	c := &Op{u: &Unary{Name: "f", Consts: []float64{1, 3}}}
	if a.Hashcode() != b.Hashcode() || a.Hashcode() == c.Hashcode() {
		t.Errorf("hashes: got:%d %d %d want: first two equal, third different", a.Hashcode(), b.Hashcode(), c.Hashcode())
	}
	if (&GradOp{u: a.u}).Hashcode() == a.Hashcode() {
		t.Error("forward and gradient ops hash equal")
	}
}

// TestDeviceHook checks the GPU extension point: with the hook set, Apply
// and SymDiff pass the ops whose kernel is present through it, and only
// those.
func TestDeviceHook(t *testing.T) {
	var wrapped []string
	deviceOp = func(op gorgonia.Op, u *Unary, k CUDAKernel) gorgonia.Op {
		wrapped = append(wrapped, op.String())
		return op
	}
	defer func() { deviceOp = nil }()
	kernel := func(*Unary, gorgonia.External, gorgonia.Device, gorgonia.Value, ...gorgonia.Value) (gorgonia.Value, error) {
		return nil, nil
	}
	u := *softsign
	u.GPU = GPU{Forward: kernel}
	g := gorgonia.NewGraph()
	x := gorgonia.NewVector(g, tensor.Float64, gorgonia.WithShape(2), gorgonia.WithName("x"))
	y := gorgonia.Must(u.Apply(x))
	if _, err := gorgonia.Grad(gorgonia.Must(gorgonia.Sum(y)), x); err != nil {
		t.Fatal(err)
	}
	if len(wrapped) != 1 || wrapped[0] != "softsign" {
		t.Errorf("forward only: got:%v want:[softsign]", wrapped)
	}
	wrapped = nil
	u.GPU.Backward = kernel
	g = gorgonia.NewGraph()
	x = gorgonia.NewVector(g, tensor.Float64, gorgonia.WithShape(2), gorgonia.WithName("x"))
	y = gorgonia.Must(u.Apply(x))
	if _, err := gorgonia.Grad(gorgonia.Must(gorgonia.Sum(y)), x); err != nil {
		t.Fatal(err)
	}
	if strings.Join(wrapped, ",") != "softsign,softsignGrad" {
		t.Errorf("both kernels: got:%v want:[softsign softsignGrad]", wrapped)
	}
}

// TestCheckKernels: expm1's kernels agree with its math; a kernel with a
// wrong derivative is caught and named.
func TestCheckKernels(t *testing.T) {
	x := []float64{-3, -0.5, 0, 0.25, 2}
	if err := expm1.CheckKernels(x, 1e-6, 1e-15); err != nil {
		t.Errorf("expm1: got:%v want:nil", err)
	}
	bad := *expm1
	bad.Backward64 = func(dx, dy, y []float64) {
		for i := range dx {
			dx[i] = dy[i] * y[i] // forgot the + 1
		}
	}
	err := bad.CheckKernels(x, 1e-6, 1e-15)
	if err == nil || !strings.Contains(err.Error(), "Backward64(-3)") {
		t.Errorf("wrong derivative: got:%v want: an error naming Backward64(-3)", err)
	}
}
