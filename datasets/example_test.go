package datasets_test

import (
	"fmt"
	"io"
	"math"

	"github.com/selunet/selunet/datasets"
)

// Ten rows, three positives: stratified 5-fold CV, the paper's nested
// protocol for outer fold 0, standardization fitted on the training rows, and
// one epoch of minibatches.
func Example() {
	s := &datasets.Set{N: 10, D: 1, T: 1}
	for i := 0; i < 10; i++ {
		s.X = append(s.X, float64(i))
		s.Y = append(s.Y, float64(i%3/2)) // rows 2, 5, 8 positive
	}
	folds, err := datasets.StratifiedKFold(s.PrimaryLabels(), 5, 42)
	if err != nil {
		fmt.Println(err)
		return
	}
	train, val, test := datasets.NestedCVFolds(folds, 0)
	fmt.Println(len(train), len(val), len(test))

	st := datasets.FitStandardizerRows(s, train)
	st.Apply(s)
	check := datasets.FitStandardizerRows(s, train)
	fmt.Printf("train mean %.4f std %.4f\n", math.Round(check.Mean[0]*1e4)/1e4+0, check.Std[0]) // +0 turns -0 into 0

	b := datasets.NewBatcher(s.Subset(train), 4, 1, false)
	rows := 0
	for {
		x, _, _, _, err := b.Next()
		if err == io.EOF {
			break
		}
		rows += len(x)
	}
	fmt.Println("rows per epoch", rows, "batches", b.Batches())
	// Output:
	// 6 2 2
	// train mean 0.0000 std 1.0000
	// rows per epoch 6 batches 2
}

func ExampleHoldOut() {
	labels := []float64{0, 0, 0, 0, 0, 0, 0, 0, 1, 1}
	train, held, _ := datasets.HoldOut(labels, 0.5, 7)
	pos := 0
	for _, i := range held {
		pos += int(labels[i])
	}
	fmt.Println(len(train), len(held), "positives held out:", pos)
	// Output:
	// 5 5 positives held out: 1
}

// ExampleGroupHoldOut keeps rows that are copies of one another (the same
// group) on one side of the split. The quotas are 30% of each stratum: 2
// of the 7 negative rows, met as closely as whole groups allow by group 7
// (3 rows, drawn first), and 1 of the 3 positive rows, met by group 8 (one
// row, drawn before group 9).
func ExampleGroupHoldOut() {
	groups := []int{7, 7, 7, 3, 3, 5, 5, 9, 9, 8}
	labels := []float64{0, 0, 0, 0, 0, 0, 0, 1, 1, 1}
	train, held, _ := datasets.GroupHoldOut(groups, labels, 0.3, 2)
	side := func(rows []int) (gs []int) {
		for _, i := range rows {
			if len(gs) == 0 || gs[len(gs)-1] != groups[i] {
				gs = append(gs, groups[i])
			}
		}
		return gs
	}
	fmt.Println("train groups", side(train), "held-out groups", side(held))
	// Output:
	// train groups [3 5 9] held-out groups [7 8]
}
