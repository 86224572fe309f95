package nets

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selunet/selunet/config"
	"github.com/selunet/selunet/graph"
)

func TestWidths(t *testing.T) {
	cases := []struct {
		spec    Spec
		outputs int
		want    []int
	}{
		// 0: rectangular
		{Spec{Arch: SNN, Layers: 3, Units: 64, Shape: Rectangular}, 1, []int{64, 64, 64}},
		// 1: conic, 1024 → 1 over 4 layers: 1024·(1/1024)^(i/4) = 1024, 182, 32, 6
		{Spec{Arch: SNN, Layers: 4, Units: 1024, Shape: Conic}, 1, []int{1024, 181, 32, 6}},
		// 2: conic never goes below the number of outputs
		{Spec{Arch: MSRA, Layers: 3, Units: 16, Shape: Conic}, 12, []int{16, 15, 13}},
		// 3: residual networks keep a constant width
		{Spec{Arch: ResNet, Layers: 2, Units: 32, Shape: Conic}, 1, []int{32, 32}},
	}
	for i, c := range cases {
		got := c.spec.Widths(c.outputs)
		if len(got) != len(c.want) {
			t.Fatalf("%d: got:%v want:%v", i, got, c.want)
		}
		for j := range got {
			if got[j] != c.want[j] {
				t.Errorf("%d: got:%v want:%v", i, got, c.want)
				break
			}
		}
	}
}

func TestValidate(t *testing.T) {
	ok := DefaultSpec()
	cases := []struct {
		edit func(*Spec)
		key  string
	}{
		{func(s *Spec) { s.Arch = "mlp" }, "arch"},                                           // 0
		{func(s *Spec) { s.Layers = 0 }, "layers"},                                           // 1
		{func(s *Spec) { s.Units = -1 }, "units"},                                            // 2
		{func(s *Spec) { s.Shape = "round" }, "shape"},                                       // 3
		{func(s *Spec) { s.Shape = Diavolo }, "shape"},                                       // 4 diavolo needs resnet
		{func(s *Spec) { s.Dropout = 1 }, "dropout"},                                         // 5
		{func(s *Spec) { s.Dropout = math.NaN() }, "dropout"},                                // 6
		{func(s *Spec) { s.Dtype = "float16" }, "dtype"},                                     // 7
		{func(s *Spec) { s.Arch, s.Shape, s.Bottleneck = ResNet, Diavolo, 0 }, "bottleneck"}, // 8
	}
	if err := ok.Validate(); err != nil {
		t.Fatalf("default spec: %v", err)
	}
	for i, c := range cases {
		s := ok
		c.edit(&s)
		err := s.Validate()
		var fe config.FieldError
		if !errors.As(err, &fe) || fe.Key != c.key {
			t.Errorf("%d: got:%v want: a FieldError for key %q", i, err, c.key)
		}
	}
	if _, err := New(Spec{}, 3, 1, Binary, 1); err == nil {
		t.Error("New accepted the zero Spec")
	}
}

// randInput returns a (n, d) tensor of N(0,1) values.
func randInput(dt tensor.Dtype, n, d int, seed uint64) *tensor.Dense {
	r := rand.New(rand.NewPCG(seed, 99))
	if dt == tensor.Float64 {
		v := make([]float64, n*d)
		for i := range v {
			v[i] = r.NormFloat64()
		}
		return tensor.New(tensor.WithShape(n, d), tensor.WithBacking(v))
	}
	v := make([]float32, n*d)
	for i := range v {
		v[i] = float32(r.NormFloat64())
	}
	return tensor.New(tensor.WithShape(n, d), tensor.WithBacking(v))
}

// forward builds net for mode, runs it once on x and returns the logits and
// the graph.
func forward(t *testing.T, net *Net, x *tensor.Dense, mode graph.Mode) ([]float64, *graph.Built) {
	t.Helper()
	g := gorgonia.NewGraph()
	xn := net.Input(g, x.Shape()[0])
	gr, err := net.Build(xn, mode, 7)
	if err != nil {
		t.Fatal(err)
	}
	if err := gorgonia.Let(xn, x); err != nil {
		t.Fatal(err)
	}
	var out gorgonia.Value
	gorgonia.Read(gr.Out, &out)
	if gr.BeforeStep != nil {
		gr.BeforeStep()
	}
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	var res []float64
	switch d := out.Data().(type) {
	case []float32:
		for _, v := range d {
			res = append(res, float64(v))
		}
	case []float64:
		res = append(res, d...)
	}
	return res, gr
}

// smallSpec is a 3-layer, 16-unit net of arch in dtype with dropout 0.1
// (ResNet in the diavolo shape, so its bottleneck is used).
func smallSpec(arch, dtype string) Spec {
	spec := Spec{Arch: arch, Layers: 3, Units: 16, Shape: Rectangular, Dropout: 0.1, Bottleneck: 0.25, Dtype: dtype}
	if arch == ResNet {
		spec.Shape = Diavolo
	}
	return spec
}

func TestBuildEveryArch(t *testing.T) {
	for _, arch := range Archs {
		for _, dtype := range []string{"float32", "float64"} {
			spec := smallSpec(arch, dtype)
			net, err := New(spec, 5, 3, Binary, 1)
			if err != nil {
				t.Fatalf("%s %s: %v", arch, dtype, err)
			}
			x := randInput(spec.TensorDtype(), 8, 5, 2)
			ev1, _ := forward(t, net, x, graph.Eval)
			ev2, _ := forward(t, net, x, graph.Eval)
			tr, gr := forward(t, net, x, graph.Train)
			if len(ev1) != 8*3 || len(tr) != 8*3 {
				t.Fatalf("%s %s: got %d and %d outputs, want 24", arch, dtype, len(ev1), len(tr))
			}
			if len(gr.Hidden) != 3 {
				t.Errorf("%s: got %d hidden layers, want 3", arch, len(gr.Hidden))
			}
			same := true
			for i := range ev1 {
				if math.IsNaN(ev1[i]) {
					t.Fatalf("%s %s: NaN output", arch, dtype)
				}
				if ev1[i] != ev2[i] {
					t.Fatalf("%s %s: evaluation is not deterministic", arch, dtype)
				}
				same = same && ev1[i] == tr[i]
			}
			if same {
				t.Errorf("%s %s: training mode (dropout 0.1) gave the same outputs as evaluation", arch, dtype)
			}
			// Params are created once, in a fixed order, and shared.
			again, _ := New(spec, 5, 3, Binary, 1)
			if len(again.Params.All()) != len(net.Params.All()) {
				t.Errorf("%s: parameter count differs between two builds", arch)
			}
		}
	}
}

func TestParamsAreShared(t *testing.T) {
	net, err := New(Spec{Arch: SNN, Layers: 2, Units: 4, Shape: Rectangular, Dtype: "float64"}, 3, 1, Binary, 1)
	if err != nil {
		t.Fatal(err)
	}
	x := randInput(tensor.Float64, 2, 3, 1)
	before, _ := forward(t, net, x, graph.Eval)
	w := net.Params.Get("out/b").Value.Data().([]float64)
	w[0] += 1
	after, _ := forward(t, net, x, graph.Eval)
	for i := range before {
		if math.Abs(after[i]-before[i]-1) > 1e-12 {
			t.Fatalf("output %d: got:%v want:%v", i, after[i], before[i]+1)
		}
	}
	names := []string{}
	for _, p := range net.Params.All() {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, " "); got != "layer01/W layer01/b layer02/W layer02/b out/W out/b" {
		t.Errorf("got:%v", got)
	}
}

// TestSNNKeepsUnitVariance checks the paper's premise at initialization: with
// LeCun weights and SELU, hidden activations of standardized inputs stay
// near mean 0 and variance 1 through many layers.
func TestSNNKeepsUnitVariance(t *testing.T) {
	net, err := New(Spec{Arch: SNN, Layers: 16, Units: 256, Shape: Rectangular, Dtype: "float32"}, 256, 1, Binary, 3)
	if err != nil {
		t.Fatal(err)
	}
	x := randInput(tensor.Float32, 512, 256, 4)
	g := gorgonia.NewGraph()
	xn := net.Input(g, 512)
	gr, err := net.Build(xn, graph.Eval, 0)
	if err != nil {
		t.Fatal(err)
	}
	_ = gorgonia.Let(xn, x)
	vals := make([]gorgonia.Value, len(gr.Hidden))
	for i, h := range gr.Hidden {
		gorgonia.Read(h, &vals[i])
	}
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	for l, v := range vals {
		var s, sq float64
		d := v.Data().([]float32)
		for _, e := range d {
			s += float64(e)
			sq += float64(e) * float64(e)
		}
		mean := s / float64(len(d))
		variance := sq/float64(len(d)) - mean*mean
		if math.Abs(mean) > 0.1 || variance < 0.8 || variance > 1.2 {
			t.Errorf("layer %d: mean %.4f variance %.4f, want ≈ 0 and ≈ 1", l+1, mean, variance)
		}
	}
}

// TestResNetStartsAsIdentity: every residual block's last layer starts at
// zero, so at initialization a deep ResNet passes its first block's output
// through every later block unchanged (its activations do not grow with
// depth), for both block forms.
func TestResNetStartsAsIdentity(t *testing.T) {
	for _, shape := range []string{Rectangular, Diavolo} {
		net, err := New(Spec{Arch: ResNet, Layers: 32, Units: 64, Shape: shape, Bottleneck: 0.25, Dtype: "float64"}, 16, 1, Binary, 3)
		if err != nil {
			t.Fatal(err)
		}
		g := gorgonia.NewGraph()
		xn := net.Input(g, 8)
		gr, err := net.Build(xn, graph.Eval, 0)
		if err != nil {
			t.Fatal(err)
		}
		_ = gorgonia.Let(xn, randInput(tensor.Float64, 8, 16, 5))
		vals := make([]gorgonia.Value, len(gr.Hidden))
		for i, h := range gr.Hidden {
			gorgonia.Read(h, &vals[i])
		}
		vm := gorgonia.NewTapeMachine(g)
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		vm.Close()
		first := vals[0].Data().([]float64)
		if !slices.ContainsFunc(first, func(v float64) bool { return v > 0 }) {
			t.Fatalf("%s: the first block's output is all zero", shape)
		}
		for l, v := range vals[1:] {
			if !slices.Equal(v.Data().([]float64), first) {
				t.Errorf("%s: block %d's output differs from block 1's at initialization", shape, l+2)
			}
		}
	}
}
