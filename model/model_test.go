package model

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/selunet/selunet/checkpoint"
	"github.com/selunet/selunet/nets"
	"github.com/selunet/selunet/safetensors"
)

// testModel returns a model of spec with perturbed (non-default) weights,
// a slog1p transform, random statistics and clipping.
func testModel(t *testing.T, spec nets.Spec, inputs, outputs int, head nets.Head, seed uint64) *Model {
	t.Helper()
	net, err := nets.New(spec, inputs, outputs, head, seed)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(seed, 9))
	for _, p := range net.Params.All() {
		positive := strings.HasSuffix(p.Name, "running_var")
		switch d := p.Value.Data().(type) {
		case []float32:
			for k := range d {
				if positive {
					d[k] = float32(0.5 + r.Float64())
				} else {
					d[k] += float32(0.2 * r.NormFloat64())
				}
			}
		case []float64:
			for k := range d {
				if positive {
					d[k] = 0.5 + r.Float64()
				} else {
					d[k] += 0.2 * r.NormFloat64()
				}
			}
		}
	}
	info := Info{Preprocess: Preprocess{Transform: TransformSlog1p, Clip: 3}}
	for j := 0; j < inputs; j++ {
		info.Preprocess.Features = append(info.Preprocess.Features, "f"+string(rune('a'+j)))
		info.Preprocess.Mean = append(info.Preprocess.Mean, r.NormFloat64())
		info.Preprocess.Std = append(info.Preprocess.Std, 0.5+r.Float64())
	}
	for k := 0; k < outputs; k++ {
		info.OutputNames = append(info.OutputNames, "out"+string(rune('0'+k)))
	}
	m, err := New(net, info)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func randRows(n, d int, seed uint64) [][]float64 {
	r := rand.New(rand.NewPCG(seed, 3))
	rows := make([][]float64, n)
	for i := range rows {
		rows[i] = make([]float64, d)
		for j := range rows[i] {
			rows[i][j] = 3 * r.NormFloat64()
		}
	}
	return rows
}

// reference computes an SNN's probabilities in float64 from the model's
// weights and Info alone: preprocessing, x·W + b, SELU, sigmoid. It is an
// independent check of Predict's preprocessing and of eval mode (dropout
// is the identity).
func reference(m *Model, row []float64) []float64 {
	const alpha, lambda = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
	p := m.info.Preprocess
	h := make([]float64, len(row))
	for j, v := range row {
		v = math.Copysign(math.Log1p(math.Abs(v)), v)
		h[j] = math.Max(-p.Clip, math.Min(p.Clip, (v-p.Mean[j])/p.Std[j]))
	}
	val := func(name string) ([]float64, []int) {
		q := m.net.Params.Get(name)
		out := make([]float64, q.Value.Shape().TotalSize())
		for k, v := range q.Value.Data().([]float32) {
			out[k] = float64(v)
		}
		return out, q.Value.Shape()
	}
	layer := func(name string, h []float64, selu bool) []float64 {
		w, s := val(name + "/W")
		b, _ := val(name + "/b")
		out := make([]float64, s[1])
		for o := range out {
			z := b[o]
			for i := range h {
				z += h[i] * w[i*s[1]+o]
			}
			if selu && z <= 0 {
				z = alpha * (math.Exp(z) - 1)
			}
			if selu {
				z *= lambda
			}
			out[o] = z
		}
		return out
	}
	for l := 1; l <= m.info.Spec.Layers; l++ {
		h = layer("layer0"+string(rune('0'+l)), h, true)
	}
	z := layer("out", h, false)
	for k := range z {
		z[k] = 1 / (1 + math.Exp(-z[k]))
	}
	return z
}

// TestPredictMatchesReference: an SNN with alpha dropout 0.3 predicts as a
// float64 re-implementation without dropout, over several batches, and the
// same rows give the same probabilities every time.
func TestPredictMatchesReference(t *testing.T) {
	spec := nets.DefaultSpec()
	spec.Layers, spec.Units, spec.Dropout = 3, 16, 0.3
	m := testModel(t, spec, 5, 2, nets.Binary, 1)
	rows := randRows(2*Batch+3, 5, 2)
	p, err := m.Predict(rows)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := m.Predict(rows[:7])
	for i, row := range rows {
		want := reference(m, row)
		for k := range want {
			if math.Abs(p[i][k]-want[k]) > 1e-5 {
				t.Fatalf("row %d output %d: got:%v want:%v", i, k, p[i][k], want[k])
			}
			if i < 7 && again[i][k] != p[i][k] {
				t.Fatalf("row %d: second call got:%v want:%v", i, again[i][k], p[i][k])
			}
		}
	}
}

// TestSaveLoad: every architecture survives Save and Load (and the
// safetensors export) with bit-identical predictions.
func TestSaveLoad(t *testing.T) {
	for i, arch := range nets.Archs {
		spec := nets.DefaultSpec()
		spec.Arch, spec.Layers, spec.Units, spec.Dropout = arch, 2, 6, 0.1
		head, outputs := nets.Binary, 2
		if i%2 == 1 {
			head, outputs = nets.MultiClass, 3
			spec.Dtype = "float64"
		}
		m := testModel(t, spec, 4, outputs, head, uint64(i+1))
		rows := randRows(9, 4, 5)
		want, err := m.Predict(rows)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "m.model")
		if err := m.Save(path); err != nil {
			t.Fatal(err)
		}
		back, err := Load(path)
		if err != nil {
			t.Fatalf("%d %s: %v", i, arch, err)
		}
		var buf bytes.Buffer
		if err := m.WriteSafetensors(&buf); err != nil {
			t.Fatal(err)
		}
		f, err := safetensors.Parse(buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		st, err := ReadSafetensors(f, "m.safetensors")
		if err != nil {
			t.Fatalf("%d %s: %v", i, arch, err)
		}
		for _, other := range []*Model{back, st} {
			got, err := other.Predict(rows)
			if err != nil {
				t.Fatal(err)
			}
			for r := range want {
				var sum float64
				for k := range want[r] {
					if got[r][k] != want[r][k] {
						t.Fatalf("%d %s row %d: got:%v want:%v", i, arch, r, got[r], want[r])
					}
					sum += got[r][k]
				}
				if head == nets.MultiClass && math.Abs(sum-1) > 1e-12 {
					t.Errorf("%d %s: softmax row sums to %v", i, arch, sum)
				}
			}
		}
		if back.Info().Preprocess.Transform != TransformSlog1p || back.OutputNames()[1] != "out1" {
			t.Errorf("%d: info not kept: %+v", i, back.Info())
		}
	}
}

func TestPredictErrors(t *testing.T) {
	spec := nets.DefaultSpec()
	spec.Layers, spec.Units = 1, 4
	m := testModel(t, spec, 3, 1, nets.Binary, 1)
	cases := []struct {
		rows [][]float64
		want string
	}{
		{[][]float64{{1, 2, 3}, {1, 2}}, "row 2 has 2 values, the model takes 3"}, // 0
		{[][]float64{{1, math.NaN(), 3}}, `row 1, feature "fb": value NaN`},       // 1
	}
	for i, c := range cases {
		if _, err := m.Predict(c.rows); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%d: got %v want %q", i, err, c.want)
		}
	}
	if p, err := m.Predict(nil); err != nil || len(p) != 0 {
		t.Errorf("no rows: got %v %v", p, err)
	}
}

// TestReadRejects alters a valid file in every way Read must catch.
func TestReadRejects(t *testing.T) {
	spec := nets.DefaultSpec()
	spec.Layers, spec.Units = 2, 4
	m := testModel(t, spec, 3, 1, nets.Binary, 1)
	write := func(edit func(ck *checkpoint.Checkpoint)) []byte {
		ck, err := m.checkpoint()
		if err != nil {
			t.Fatal(err)
		}
		edit(ck)
		var buf bytes.Buffer
		if err := checkpoint.Write(&buf, ck); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	setInfo := func(f func(i *Info)) func(ck *checkpoint.Checkpoint) {
		return func(ck *checkpoint.Checkpoint) {
			i := m.Info()
			f(&i)
			ck.SetJSON(infoBlob, i)
		}
	}
	good := write(func(*checkpoint.Checkpoint) {})
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 1
	cases := []struct {
		b    []byte
		want string
	}{
		{flipped, "corrupted"}, // 0
		{write(func(ck *checkpoint.Checkpoint) { ck.Meta["format"] = "" }), "format"},                        // 1
		{write(func(ck *checkpoint.Checkpoint) { ck.Meta["version"] = "2" }), "version"},                     // 2
		{write(func(ck *checkpoint.Checkpoint) { delete(ck.Blobs, infoBlob) }), "no model.json"},             // 3
		{write(func(ck *checkpoint.Checkpoint) { ck.Blobs[infoBlob] = []byte(`{"x":1}`) }), "unknown field"}, // 4
		{write(setInfo(func(i *Info) { i.Preprocess.Std[1] = 0 })), "std 0"},                                 // 5
		{write(setInfo(func(i *Info) { i.Preprocess.Features[2] = "fa" })), "repeated"},                      // 6
		{write(setInfo(func(i *Info) { i.Spec.Units = 5 })), "parameters"},                                   // 7
		{write(setInfo(func(i *Info) { i.Spec.Layers = 1 << 30 })), "layers"},                                // 8
		{write(setInfo(func(i *Info) { i.OutputNames = nil })), "output names"},                              // 9
		{write(setInfo(func(i *Info) { i.Preprocess.Transform = "log" })), "transform"},                      // 10
		{write(setInfo(func(i *Info) { i.Spec.Arch = "cnn" })), `arch: must be one of snn, msra`},            // 11
		{write(setInfo(func(i *Info) { i.Spec.Dtype = "float64" })), "float64"},                              // 12
		{write(func(ck *checkpoint.Checkpoint) { ck.Tensors[0].Name = "nope" }), `no tensor "layer01/W"`},    // 13
		{write(func(ck *checkpoint.Checkpoint) { // 14: same count, other shapes
			ck.Tensors[0].Shape, ck.Tensors[1].Shape = []int{4, 3}, []int{4}
		}), "shape"},
		{write(func(ck *checkpoint.Checkpoint) { ck.Tensors = ck.Tensors[1:] }), "parameters"}, // 15
		{[]byte("not a model"), "not a valid model file"},                                      // 16
	}
	for i, c := range cases {
		_, err := Read(bytes.NewReader(c.b), "m.model")
		if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "m.model") {
			t.Errorf("%d: got %v want ErrInvalid naming m.model and %q", i, err, c.want)
		}
	}
	if _, err := Read(bytes.NewReader(good), "m.model"); err != nil {
		t.Errorf("good file: %v", err)
	}
}

func TestEnsemble(t *testing.T) {
	spec := nets.DefaultSpec()
	spec.Layers, spec.Units = 2, 8
	a, b := testModel(t, spec, 3, 2, nets.Binary, 1), testModel(t, spec, 3, 2, nets.Binary, 2)
	e, err := NewEnsemble(a, b)
	if err != nil {
		t.Fatal(err)
	}
	rows := randRows(5, 3, 1)
	pa, _ := a.Predict(rows)
	pb, _ := b.Predict(rows)
	pe, err := e.Predict(rows)
	if err != nil {
		t.Fatal(err)
	}
	for i := range pe {
		for k := range pe[i] {
			if math.Abs(pe[i][k]-(pa[i][k]+pb[i][k])/2) > 1e-15 {
				t.Fatalf("row %d: got:%v want mean of %v and %v", i, pe[i], pa[i], pb[i])
			}
		}
	}
	c := testModel(t, spec, 4, 2, nets.Binary, 3)
	if _, err := NewEnsemble(a, c); err == nil || !strings.Contains(err.Error(), "features") {
		t.Errorf("different features: got %v", err)
	}
	if _, err := NewEnsemble(); err == nil {
		t.Error("empty ensemble accepted")
	}
}

// TestLoadDir: a run directory's models come back in split order (fold 10
// after fold 9, whatever the file names sort as), Pick finds one, and a
// directory without model files says so.
func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "models"), 0o755)
	spec := nets.DefaultSpec()
	spec.Layers, spec.Units = 1, 3
	for _, k := range []int{10, 2, 9, 1} {
		m := testModel(t, spec, 2, 1, nets.Binary, uint64(k))
		m.info.Source.Split, m.info.Source.SplitIndex = fmt.Sprintf("fold %d", k), k
		if err := m.Save(filepath.Join(dir, "models", fmt.Sprintf("fold%d.model", k))); err != nil {
			t.Fatal(err)
		}
	}
	ms, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, m := range ms {
		got = append(got, m.Info().Source.SplitIndex)
	}
	if !slices.Equal(got, []int{1, 2, 9, 10}) {
		t.Errorf("order got:%v want:[1 2 9 10]", got)
	}
	if m, err := Pick(ms, 9); err != nil || m != ms[2] {
		t.Errorf("Pick(9): %v", err)
	}
	if _, err := Pick(ms, 3); err == nil || !strings.Contains(err.Error(), "1 (fold 1), 2 (fold 2), 9 (fold 9), 10 (fold 10)") {
		t.Errorf("Pick(3): got %v", err)
	}
	if _, err := LoadDir(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no model files") {
		t.Errorf("empty directory: got %v", err)
	}
}
