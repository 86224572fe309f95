package metrics_test

import (
	"fmt"
	"math"

	"github.com/selunet/selunet/metrics"
)

// ExampleROCAUC uses scikit-learn's documentation example.
func ExampleROCAUC() {
	auc, err := metrics.ROCAUC([]float64{0.1, 0.4, 0.35, 0.8}, []float64{0, 0, 1, 1}, nil)
	fmt.Printf("%.4f %v\n", auc, err)
	// Output:
	// 0.7500 <nil>
}

// ExampleMeanROCAUC averages two tasks; the third has one class only.
func ExampleMeanROCAUC() {
	nan := math.NaN()
	scores := []float64{ // 4 samples × 3 tasks
		0.1, 0.9, 0.3,
		0.4, 0.2, 0.5,
		0.35, 0.6, 0.1,
		0.8, 0.7, 0.2,
	}
	labels := []float64{
		0, 1, 1,
		0, 0, 1,
		1, nan, 1,
		1, 1, 1,
	}
	mask := []float64{
		1, 1, 1,
		1, 1, 1,
		1, 0, 1,
		1, 1, 1,
	}
	res, err := metrics.MeanROCAUC(scores, labels, mask, 3)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("mean %.4f per task %.4f skipped %v (%v)\n", res.Mean, res.AUC, res.Skipped, res.Reasons)
	// Output:
	// mean 0.8750 per task [0.7500 1.0000 NaN] skipped [2] ([one class only])
}
