// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

package bench_test

import (
	"fmt"

	"github.com/selunet/selunet/bench"
)

// Example trains a reduced refbench network for a few SGD steps.
func Example() {
	cfg := bench.DefaultConfig()
	cfg.Batch, cfg.In, cfg.Hidden, cfg.Layers = 8, 16, 16, 2
	cfg.LR = 0.1
	m, err := bench.NewModel(cfg)
	if err != nil {
		panic(err)
	}
	defer m.Close()
	var first, last float32 // mean loss over the first and the last pass over the 8 batches
	for i := 0; i < 64; i++ {
		loss, err := m.Step()
		if err != nil {
			panic(err)
		}
		if i < 8 {
			first += loss / 8
		}
		if i >= 56 {
			last += loss / 8
		}
	}
	fmt.Printf("loss went down: %v\n", last < first)
	// Output:
	// loss went down: true
}
