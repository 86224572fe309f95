package selfnorm_test

import (
	"fmt"

	"github.com/selunet/selunet/selfnorm"
)

// Example runs 2,000 samples through 8 SELU layers and prints the last one.
func Example() {
	stats, err := selfnorm.Run(selfnorm.Config{Depth: 8, Width: 64, Samples: 2000, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	last := stats[len(stats)-1]
	fmt.Printf("layer %d: mean %.1f variance %.1f\n", last.Layer, last.Mean, last.Variance)
	// Output:
	// layer 8: mean 0.0 variance 1.0
}
