package model_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/selunet/selunet/model"
	"github.com/selunet/selunet/nets"
)

// Package a network with its preprocessing, save it, load it back and
// predict on raw rows. (A run of cmd/train writes such files itself, one
// per split: models/<split>.model.)
func Example() {
	spec := nets.DefaultSpec()
	spec.Layers, spec.Units = 2, 8
	net, err := nets.New(spec, 2, 1, nets.Binary, 1) // untrained, for the example
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := model.New(net, model.Info{
		OutputNames: []string{"positive"},
		Preprocess: model.Preprocess{
			Features: []string{"height_cm", "weight_kg"},
			Mean:     []float64{170, 70}, // the training rows' statistics
			Std:      []float64{10, 15},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, _ := os.MkdirTemp("", "model-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "example.model")
	if err := m.Save(path); err != nil {
		fmt.Println(err)
		return
	}
	loaded, err := model.Load(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := loaded.Predict([][]float64{{180, 80}, {170, 70}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(loaded.Features(), loaded.OutputNames(), len(p), len(p[0]))
	fmt.Println(p[0][0] > 0 && p[0][0] < 1)
	// Output:
	// [height_cm weight_kg] [positive] 2 1
	// true
}
