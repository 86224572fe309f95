package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/selunet/selunet/checkpoint"
	"github.com/selunet/selunet/nets"
	"github.com/selunet/selunet/safetensors"
)

// fuzzBase is a small valid model: an SNN with a binary head (float32) or
// a batch-normalized network with a multi-class head (float64).
func fuzzBase(tb testing.TB, multi bool) *Model {
	tb.Helper()
	spec := nets.DefaultSpec()
	spec.Layers, spec.Units = 2, 3
	head, outputs := nets.Binary, 1
	if multi {
		spec.Arch, spec.Dtype, head, outputs = nets.BatchNorm, "float64", nets.MultiClass, 3
	}
	net, err := nets.New(spec, 2, outputs, head, 1)
	if err != nil {
		tb.Fatal(err)
	}
	info := Info{Preprocess: Preprocess{Transform: TransformSlog1p, Clip: 3, Features: []string{"a", "b"}, Mean: []float64{0.5, -1}, Std: []float64{2, 0.25}}}
	for k := range outputs {
		info.OutputNames = append(info.OutputNames, "out"+string(rune('0'+k)))
	}
	m, err := New(net, info)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// FuzzModelFile reads model files whose model.json is fuzzed and whose
// tensors may be altered (edit: 1 drops one, 2 reshapes one, 3 changes one's
// dtype), inside a valid checkpoint container so the model checks
// themselves are reached. Properties: no panic; an error matches ErrInvalid
// and names the file; an accepted model writes and reads back to the same
// Info and weights, and predicts probabilities in [0, 1] or returns an
// error, never NaN.
func FuzzModelFile(f *testing.F) {
	bases := [2]*Model{fuzzBase(f, false), fuzzBase(f, true)}
	for i, m := range bases {
		b, err := json.Marshal(m.info)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b), i == 1, uint8(0))
		f.Add(string(b), i == 1, uint8(2))
		f.Add(strings.Replace(string(b), `"clip":3`, `"clip":0`, 1), i == 1, uint8(0))
		f.Add(strings.NewReplacer(`"clip":3`, `"clip":0`, `"std":[2,0.25]`, `"std":[1e-308,0.25]`).Replace(string(b)), i == 1, uint8(0))
		f.Add(strings.Replace(string(b), `"layers":2`, `"layers":1073741824`, 1), i == 1, uint8(0))
	}
	f.Fuzz(func(t *testing.T, info string, multi bool, edit uint8) {
		m := bases[0]
		if multi {
			m = bases[1]
		}
		ck, err := m.checkpoint()
		if err != nil {
			t.Fatal(err)
		}
		ck.Blobs[infoBlob] = []byte(info)
		switch edit % 4 {
		case 1:
			ck.Tensors = ck.Tensors[1:]
		case 2:
			n := 1
			for _, d := range ck.Tensors[0].Shape {
				n *= d
			}
			ck.Tensors[0].Shape = []int{n} // same elements, other shape
		case 3:
			switch d := ck.Tensors[0].Data.(type) {
			case []float32:
				ck.Tensors[0].Data = make([]float64, len(d))
			case []float64:
				ck.Tensors[0].Data = make([]float32, len(d))
			}
		}
		var buf bytes.Buffer
		if err := checkpoint.Write(&buf, ck); err != nil {
			return // an edit the container itself refuses
		}
		got, err := Read(&buf, "fuzz.model")
		if err != nil {
			if !errors.Is(err, ErrInvalid) || !strings.HasPrefix(err.Error(), "model: fuzz.model: ") {
				t.Fatalf("error %q is not an InvalidError naming fuzz.model", err)
			}
			return
		}
		checkAccepted(t, got)
	})
}

// checkAccepted is the property of an accepted model: it writes and reads
// back to the same Info, and predicts probabilities in [0, 1] or returns an
// error, never NaN.
func checkAccepted(t *testing.T, got *Model) {
	t.Helper()
	var out bytes.Buffer
	if err := got.Write(&out); err != nil {
		t.Fatalf("writing an accepted model: %v", err)
	}
	back, err := Read(&out, "back.model")
	if err != nil {
		t.Fatalf("reading a written model: %v", err)
	}
	if !reflect.DeepEqual(back.Info(), got.Info()) {
		t.Fatalf("Info changed:\n%+v\n%+v", back.Info(), got.Info())
	}
	for k, p := range got.net.Params.All() {
		if q := back.net.Params.All()[k]; q.Name != p.Name || !reflect.DeepEqual(q.Value.Data(), p.Value.Data()) {
			t.Fatalf("parameter %s changed in the round trip", p.Name)
		}
	}
	rows := [][]float64{make([]float64, got.info.Inputs), make([]float64, got.info.Inputs)}
	for j := range rows[1] {
		rows[1][j] = 1e6 * float64(j+1)
	}
	p, err := got.Predict(rows)
	if err != nil {
		return
	}
	for _, r := range p {
		for _, v := range r {
			if !(v >= 0 && v <= 1) {
				t.Fatalf("Predict returned %v with Info %+v", p, got.Info())
			}
		}
	}
}

// FuzzModelSafetensors reads exported models whose Info metadata is fuzzed
// (the safetensors path of ReadSafetensors) with the properties of
// FuzzModelFile.
func FuzzModelSafetensors(f *testing.F) {
	bases := [2]*Model{fuzzBase(f, false), fuzzBase(f, true)}
	for i, m := range bases {
		b, err := json.Marshal(m.info)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b), i == 1, "selunet-model")
		f.Add(strings.Replace(string(b), `"head":"binary"`, `"head":"multiclass"`, 1), i == 1, "selunet-model")
		f.Add(string(b), i == 1, "")
	}
	f.Fuzz(func(t *testing.T, info string, multi bool, format string) {
		m := bases[0]
		if multi {
			m = bases[1]
		}
		var buf bytes.Buffer
		if err := m.WriteSafetensors(&buf); err != nil {
			t.Fatal(err)
		}
		sf, err := safetensors.Parse(buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		sf.Metadata["format"], sf.Metadata[SafetensorsInfoKey] = format, info
		var out bytes.Buffer
		if err := safetensors.Write(&out, sf); err != nil {
			t.Fatal(err)
		}
		sf, err = safetensors.Parse(out.Bytes())
		if err != nil {
			t.Fatalf("parsing a written file: %v", err)
		}
		got, err := ReadSafetensors(sf, "fuzz.safetensors")
		if err != nil {
			if !errors.Is(err, ErrInvalid) || !strings.HasPrefix(err.Error(), "model: fuzz.safetensors: ") {
				t.Fatalf("error %q is not an InvalidError naming fuzz.safetensors", err)
			}
			return
		}
		checkAccepted(t, got)
	})
}
