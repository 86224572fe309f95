package experiment_test

import (
	"fmt"

	"github.com/selunet/selunet/experiment"
)

// A grid as separate configs, one per point, in grid order (keys sorted,
// the last varying fastest): what a sweep trains as separate tasks.
func ExamplePoints() {
	cfg := experiment.Default()
	cfg.Grid = experiment.Grid{"optimizer.lr": {0.01, 0.1}, "model.layers": {8, 2}}
	pts, err := experiment.Points(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range pts {
		fmt.Println(p.Settings, p.Config.Model.Layers, p.Config.Optimizer.LR, len(p.Config.Grid))
	}
	// Output:
	// [model.layers=8 optimizer.lr=0.01] 8 0.01 0
	// [model.layers=8 optimizer.lr=0.1] 8 0.1 0
	// [model.layers=2 optimizer.lr=0.01] 2 0.01 0
	// [model.layers=2 optimizer.lr=0.1] 2 0.1 0
}
