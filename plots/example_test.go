package plots_test

import (
	"fmt"
	"image/png"
	"os"
	"path/filepath"

	"github.com/selunet/selunet/plots"
)

func ExampleLayerStats() {
	dir, _ := os.MkdirTemp("", "plots-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "layers.png")

	epochs := []float64{1, 2, 3}
	means := [][]float64{{0.30, 0.50}, {0.10, 0.20}, {0.02, 0.05}} // [epoch][layer]
	vars := [][]float64{{1.40, 1.90}, {1.10, 1.30}, {1.01, 1.04}}
	if err := plots.LayerStats(path, "SNN activations", "epoch", epochs, means, vars); err != nil {
		fmt.Println(err)
		return
	}
	f, _ := os.Open(path)
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	fmt.Println(err, cfg.Width, cfg.Height)
	// Output:
	// <nil> 1063 1063
}

func ExampleLearningCurves() {
	dir, _ := os.MkdirTemp("", "plots-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "loss.png")
	err := plots.LearningCurves(path, "HTRU2", "epoch", "cross-entropy", []plots.Series{
		{Name: "train loss", Y: []float64{0.5, 0.3, 0.2}},
		{Name: "val loss", X: []float64{1, 3}, Y: []float64{0.55, 0.25}},
	})
	fmt.Println(err)
	// Output:
	// <nil>
}
