package tox21_test

import (
	"fmt"
	"strings"

	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/datasets/tox21"
)

// Reading a challenge label file: empty cells are missing labels (mask 0).
func ExampleReadChallengeLabels() {
	in := "sample_id,subset,smiles," + strings.Join(tox21.Tasks, ",") + "\n" +
		"NCGC1,train,C,1,0,,0,0,0,0,0,0,0,0,0\n" +
		"NCGC2,train,CC,0,0,0,0,0,0,0,0,0,0,0,1\n"
	ids, y, mask, err := tox21.ReadChallengeLabels(strings.NewReader(in), "labels.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	s := &datasets.Set{N: len(ids), T: len(tox21.Tasks), X: []float64{}, Y: y, Mask: mask, IDs: ids}
	pos, neg, missing := s.Counts(2) // NR-AR-LBD
	fmt.Println(ids, pos, neg, missing, s.AnyPositive())
	// Output:
	// [NCGC1 NCGC2] 0 1 1 [1 1]
}

// The usual recipe: load, carve a validation split, standardize on the
// remaining training rows, clip outliers. (Needs the data; not run here.)
func ExampleLoad() {
	opts := tox21.DefaultOptions()
	opts.Dir = "/path/to/data" // or "" to use SELUNET_DATA_DIR
	train, test, err := tox21.Load(opts)
	if err != nil {
		return
	}
	tr, val, _ := tox21.ValidationSplit(train, 0.1, 1)
	st := datasets.FitStandardizerRows(train, tr)
	st.Clip = 5
	st.Apply(train)
	st.Apply(test)
	_ = train.Subset(val)
}
