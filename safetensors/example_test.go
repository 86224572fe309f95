package safetensors_test

import (
	"bytes"
	"fmt"

	"github.com/selunet/selunet/safetensors"
)

// Write two tensors with metadata, then read them back.
func Example() {
	var buf bytes.Buffer
	err := safetensors.Write(&buf, &safetensors.File{
		Metadata: map[string]string{"format": "example"},
		Tensors: []safetensors.Tensor{
			safetensors.F32("w", []int{2, 2}, []float32{1, 2, 3, 4}),
			safetensors.F64("b", []int{2}, []float64{0.5, -0.5}),
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	f, err := safetensors.Parse(buf.Bytes())
	if err != nil {
		fmt.Println(err)
		return
	}
	w, _ := f.Find("w")
	v, _ := w.Float32s()
	fmt.Println(f.Metadata["format"], w.DType, w.Shape, v, buf.Len())
	// Output:
	// example F32 [2 2] [1 2 3 4] 192
}
