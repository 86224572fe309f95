package checkpoint_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/selunet/selunet/checkpoint"
)

func Example() {
	dir, _ := os.MkdirTemp("", "ckpt-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "checkpoint.bin")

	ck := &checkpoint.Checkpoint{Meta: map[string]string{"epoch": "3"}}
	ck.Tensors = append(ck.Tensors, checkpoint.Tensor{Name: "w0", Shape: []int{2, 2}, Data: []float32{0.5, -1, 2, 0.25}})
	_ = ck.SetJSON("loop", map[string]int{"epoch": 3, "step": 1200})
	if err := checkpoint.Save(path, ck); err != nil {
		fmt.Println(err)
		return
	}

	back, err := checkpoint.Load(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	w, _ := back.Find("w0")
	var loop map[string]int
	_ = back.JSON("loop", &loop)
	fmt.Println(w.Name, w.DType(), w.Shape, w.Data, back.Meta["epoch"], loop["step"])

	// Damage one byte: Load refuses the file.
	b, _ := os.ReadFile(path)
	b[len(b)/2] ^= 1
	_ = os.WriteFile(path, b, 0o644)
	_, err = checkpoint.Load(path)
	fmt.Println(err != nil, filepath.Base(path))
	// Output:
	// w0 float32 [2 2] [0.5 -1 2 0.25] 3 1200
	// true checkpoint.bin
}
