package safetensors_test

import (
	"bytes"
	"slices"
	"testing"

	ref "github.com/nlpodyssey/safetensors"

	"github.com/selunet/selunet/safetensors"
)

// TestInterop checks the layout against an independent implementation
// (github.com/nlpodyssey/safetensors, a Go port of Hugging Face's Rust
// reader and writer): it reads what Write writes, and Parse reads what it
// writes. (Its writer orders tensors by dtype, then name, and pads the
// header with spaces; Parse must not care.)
func TestInterop(t *testing.T) {
	tensors := []safetensors.Tensor{
		safetensors.F32("layer01/W", []int{3, 2}, []float32{1, -2, 3.5, 0, 1e-30, -7}),
		safetensors.F32("layer01/b", []int{2}, []float32{0.25, -0.5}),
		safetensors.F64("out/W", []int{2, 1}, []float64{0.1, -3}),
		{Name: "ids", DType: "I64", Shape: []int{2}, Data: []byte{1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0}},
	}
	meta := map[string]string{"format": "selunet-model", "selunet": `{"spec":{"arch":"snn"}}`}

	var buf bytes.Buffer
	if err := safetensors.Write(&buf, &safetensors.File{Metadata: meta, Tensors: tensors}); err != nil {
		t.Fatal(err)
	}
	st, err := ref.Deserialize(buf.Bytes())
	if err != nil {
		t.Fatalf("the reference reader rejects Write's output: %v", err)
	}
	_, m, err := ref.ReadMetadata(buf.Bytes())
	if err != nil || m.Metadata()["selunet"] != meta["selunet"] || m.Metadata()["format"] != meta["format"] {
		t.Errorf("reference metadata got %v (%v)", m.Metadata(), err)
	}
	if st.Len() != len(tensors) {
		t.Fatalf("reference reads %d tensors want %d", st.Len(), len(tensors))
	}
	views := map[string]ref.TensorView{}
	for _, w := range tensors {
		v, ok := st.Tensor(w.Name)
		if !ok {
			t.Fatalf("reference reader has no %q", w.Name)
		}
		if v.DType().String() != w.DType || !slices.Equal(v.Shape(), shape64(w.Shape)) || !bytes.Equal(v.Data(), w.Data) {
			t.Errorf("%s: reference reads %v %v, want %s %v", w.Name, v.DType(), v.Shape(), w.DType, w.Shape)
		}
		views[w.Name] = v
	}

	out, err := ref.Serialize(views, meta)
	if err != nil {
		t.Fatal(err)
	}
	f, err := safetensors.Parse(out)
	if err != nil {
		t.Fatalf("Parse rejects the reference writer's output: %v", err)
	}
	if f.Metadata["selunet"] != meta["selunet"] || len(f.Tensors) != len(tensors) {
		t.Fatalf("Parse got metadata %v and %d tensors", f.Metadata, len(f.Tensors))
	}
	for _, w := range tensors {
		g, ok := f.Find(w.Name)
		if !ok || g.DType != w.DType || !slices.Equal(g.Shape, w.Shape) || !bytes.Equal(g.Data, w.Data) {
			t.Errorf("%s: Parse got %+v", w.Name, g)
		}
	}
}

func shape64(s []int) []uint64 {
	out := make([]uint64, len(s))
	for i, d := range s {
		out[i] = uint64(d)
	}
	return out
}
