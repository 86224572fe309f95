package safetensors

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// handmade builds a file byte by byte from the format description: header
// length, header JSON, data.
func handmade(hdr string, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, uint64(len(hdr)))
	b.WriteString(hdr)
	b.Write(data)
	return b.Bytes()
}

// TestParseHandmade reads a file written by hand from the specification,
// with metadata, a scalar, an empty tensor, header padding and tensors
// listed out of data order.
func TestParseHandmade(t *testing.T) {
	data := []byte{
		0, 0, 128, 63, 0, 0, 0, 64, // F32 [1, 2]
		0, 0, 0, 0, 0, 0, 8, 64, // F64 3 (scalar)
	}
	hdr := `{"b":{"dtype":"F64","shape":[],"data_offsets":[8,16]},` +
		`"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},` +
		`"e":{"dtype":"F32","shape":[0,3],"data_offsets":[16,16]}}   `
	f, err := Parse(handmade(hdr, data))
	if err != nil {
		t.Fatal(err)
	}
	if f.Metadata["k"] != "v" || len(f.Tensors) != 3 {
		t.Fatalf("got meta %v, %d tensors", f.Metadata, len(f.Tensors))
	}
	names := []string{f.Tensors[0].Name, f.Tensors[1].Name, f.Tensors[2].Name}
	if !slices.Equal(names, []string{"a", "b", "e"}) {
		t.Errorf("order got:%v want data order a b e", names)
	}
	a, _ := f.Find("a")
	av, err := a.Float32s()
	if err != nil || !slices.Equal(av, []float32{1, 2}) || !slices.Equal(a.Shape, []int{1, 2}) {
		t.Errorf("a got:%v %v %v", av, a.Shape, err)
	}
	b, _ := f.Find("b")
	bv, err := b.Float64s()
	if err != nil || !slices.Equal(bv, []float64{3}) || len(b.Shape) != 0 {
		t.Errorf("b got:%v %v %v", bv, b.Shape, err)
	}
	if _, err := b.Float32s(); err == nil {
		t.Error("F64 decoded as F32")
	}
}

func TestRoundTrip(t *testing.T) {
	in := &File{Metadata: map[string]string{"spec": `{"arch":"snn"}`, "a": "b"}, Tensors: []Tensor{
		F32("layer01/W", []int{3, 2}, []float32{1, -2, 3.5, 0, 1e-30, -7}),
		F64("mean", []int{3}, []float64{0.1, 2, -3}),
		F32("empty", []int{0}, nil),
		F32("s", nil, []float32{9}),
	}}
	var buf bytes.Buffer
	if err := Write(&buf, in); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if n := binary.LittleEndian.Uint64(b); (8+n)%8 != 0 {
		t.Errorf("data starts at %d, want a multiple of 8", 8+n)
	}
	p := filepath.Join(t.TempDir(), "m.safetensors")
	os.WriteFile(p, b, 0o644)
	out, err := ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Metadata) != 2 || out.Metadata["spec"] != in.Metadata["spec"] {
		t.Errorf("metadata got:%v", out.Metadata)
	}
	for i, w := range in.Tensors {
		g := out.Tensors[i]
		if g.Name != w.Name || g.DType != w.DType || len(g.Shape) != len(w.Shape) || !bytes.Equal(g.Data, w.Data) {
			t.Errorf("%d: got %+v want %+v", i, g, w)
		}
	}
}

func TestWriteErrors(t *testing.T) {
	cases := []*File{
		{Tensors: []Tensor{{Name: "x", DType: "F33", Data: nil}}},                          // 0
		{Tensors: []Tensor{F32("x", []int{2}, []float32{1})}},                              // 1: data short
		{Tensors: []Tensor{F32("x", []int{1}, []float32{1}), F32("x", nil, []float32{1})}}, // 2: repeated
		{Tensors: []Tensor{F32("__metadata__", []int{1}, []float32{1})}},                   // 3
		{Tensors: []Tensor{F32("", []int{1}, []float32{1})}},                               // 4
		{Tensors: []Tensor{F32("x", []int{-1}, nil)}},                                      // 5
	}
	for i, f := range cases {
		if err := Write(&bytes.Buffer{}, f); err == nil {
			t.Errorf("%d: no error", i)
		}
	}
}

// TestParseRejects lists malformed files; each must give an ErrFormat
// error naming the problem.
func TestParseRejects(t *testing.T) {
	ok := `{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`
	d8 := make([]byte, 8)
	huge := make([]byte, 8)
	binary.LittleEndian.PutUint64(huge, 1<<62)
	cases := []struct {
		b    []byte
		want string
	}{
		{[]byte{1, 2, 3}, "shorter than"},                                                   // 0
		{huge, "exceeds"},                                                                   // 1
		{handmade(ok, d8)[:20], "exceeds the"},                                              // 2: header cut
		{handmade(`[1]`, nil), "start with '{'"},                                            // 3
		{handmade(ok, d8[:4]), "ends at byte 8"},                                            // 4: data short
		{handmade(ok, make([]byte, 9)), "1 trailing bytes"},                                 // 5
		{handmade(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}`, d8), "needs 8"}, // 6
		{handmade(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, d8), "gap"},     // 7
		{handmade(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, d8), "overlaps"}, // 8
		{handmade(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, d8), "repeated"}, // 9
		{handmade(`{"a":{"dtype":"X","shape":[2],"data_offsets":[0,8]}}`, d8), "unknown dtype"},                                                   // 10
		{handmade(`{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}`, d8), "non-negative"},                                                 // 11
		{handmade(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}`, d8), "end before"},                                                    // 12
		{handmade(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":1}}`, d8), "unknown key"},                                             // 13
		{handmade(`{"a":{"dtype":"F32","shape":[2]}}`, d8), "lacks"},                                                                              // 14
		{handmade(`{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}}`, d8), "overflow"},                                  // 15
		{handmade(`{"__metadata__":{"k":1}}`, nil), "want a string"},                                                                              // 16
		{handmade(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} x`, d8), "after its JSON"},                                              // 17
		{handmade(`{"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}`, d8), "non-negative integer"},                                        // 18
		{handmade(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8,9]}}`, d8), "more than 2"},                                                 // 19
		{handmade("{\"\xff\":1}", nil), "UTF-8"},                                                                                                  // 20
		{handmade(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}`, d8), "header"},                                                         // 21: unclosed
		{handmade(`{"":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, d8), "empty tensor name"},                                              // 22
	}
	for i, c := range cases {
		_, err := Parse(c.b)
		if err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%d: got %v want ErrFormat containing %q", i, err, c.want)
		}
	}
}
