package metrics

import (
	"errors"
	"math"
	"testing"
)

// tol is the tolerance against scikit-learn's float64 results.
const tol = 1e-12

var nan = math.NaN()

// Expected ROC-AUC and AP values were computed with scikit-learn 1.2.1
// (Debian python3-sklearn, /usr/bin/python3): roc_auc_score(y, s,
// sample_weight=w) and average_precision_score(y, s, sample_weight=w).
var binaryCases = []struct {
	s, y, w []float64
	auc, ap float64
}{
	{[]float64{0.1, 0.4, 0.35, 0.8}, []float64{0, 0, 1, 1}, nil, 0.75, 0.8333333333333333},                                                                                                           // 0: sklearn docs example
	{[]float64{0.5, 0.5, 0.5, 0.5}, []float64{0, 1, 0, 1}, nil, 0.5, 0.5},                                                                                                                            // 1: all scores equal
	{[]float64{0.1, 0.2, 0.2, 0.3, 0.4, 0.4}, []float64{0, 1, 0, 0, 1, 1}, nil, 0.8333333333333333, 0.8666666666666667},                                                                              // 2: ties across classes
	{[]float64{0.1, 0.2, 0.2, 0.3, 0.4, 0.4}, []float64{0, 1, 0, 0, 1, 1}, []float64{1, 2, 0.5, 1, 3, 1}, 0.8333333333333333, 0.9333333333333333},                                                    // 3: weights
	{[]float64{-3.2, 1.5, 0.0, 2.2, -0.7, 0.9, 0.9, 4.1}, []float64{0, 1, 0, 1, 1, 0, 1, 1}, nil, 0.8333333333333334, 0.9028571428571428},                                                            // 4: logits
	{[]float64{0.9, 0.8, 0.7, 0.6, 0.55, 0.54, 0.53, 0.52, 0.51, 0.505}, []float64{1, 1, 0, 1, 1, 1, 0, 0, 1, 0}, []float64{0.5, 1, 1, 2, 1, 1, 3, 1, 1, 1}, 0.7692307692307692, 0.8130936324916258}, // 5
	{[]float64{3, 3, 1, 1, 2}, []float64{1, 0, 1, 0, 1}, nil, 0.49999999999999994, 0.5888888888888889},                                                                                               // 6: two tied pairs
}

func TestROCAUC(t *testing.T) {
	for i, c := range binaryCases {
		got, err := ROCAUC(c.s, c.y, c.w)
		if err != nil || math.Abs(got-c.auc) > tol {
			t.Errorf("case %d: got:%v (%v) want:%v", i, got, err, c.auc)
		}
	}
}

func TestAveragePrecision(t *testing.T) {
	for i, c := range binaryCases {
		got, err := AveragePrecision(c.s, c.y, c.w)
		if err != nil || math.Abs(got-c.ap) > tol {
			t.Errorf("case %d: got:%v (%v) want:%v", i, got, err, c.ap)
		}
	}
	// all positive: sklearn gives 1.0
	if got, err := AveragePrecision([]float64{0.1, 0.5, 0.2}, []float64{1, 1, 1}, nil); err != nil || got != 1 {
		t.Errorf("all positive: got:%v (%v) want:1", got, err)
	}
}

// TestMaskedEqualsFiltered checks that weight-0 entries are ignored (their
// scores and labels are not read, so NaN is fine): masking equals dropping
// the entries.
func TestMaskedEqualsFiltered(t *testing.T) {
	s := []float64{0.1, 0.4, 99, 0.35, 0.8, nan}
	y := []float64{0, 0, 1, 1, 1, 7} // label 7 is never read (weight 0)
	w := []float64{1, 1, 0, 1, 1, 0}
	got, err := ROCAUC(s, y, w)
	if err != nil || math.Abs(got-0.75) > tol { // same as binaryCases[0]
		t.Errorf("ROCAUC: got:%v (%v) want:0.75", got, err)
	}
	got, err = AveragePrecision(s, y, w)
	if err != nil || math.Abs(got-0.8333333333333333) > tol {
		t.Errorf("AP: got:%v (%v) want:0.8333333333333333", got, err)
	}
}

// TestErrors checks the documented errors and NaN results.
func TestErrors(t *testing.T) {
	cases := []struct {
		f    func() (float64, error)
		want error
	}{
		{func() (float64, error) { return ROCAUC(nil, nil, nil) }, ErrEmpty},                                         // 0
		{func() (float64, error) { return ROCAUC([]float64{1, 2}, []float64{1, 1}, nil) }, ErrSingleClass},           // 1
		{func() (float64, error) { return ROCAUC([]float64{1, 2}, []float64{0, 0}, nil) }, ErrSingleClass},           // 2
		{func() (float64, error) { return ROCAUC([]float64{1, nan}, []float64{0, 1}, nil) }, ErrInput},               // 3
		{func() (float64, error) { return ROCAUC([]float64{1, 2}, []float64{0, 2}, nil) }, ErrInput},                 // 4
		{func() (float64, error) { return ROCAUC([]float64{1, 2}, []float64{0, 1}, []float64{1, -1}) }, ErrInput},    // 5
		{func() (float64, error) { return ROCAUC([]float64{1, 2}, []float64{0, 1}, []float64{0, 0}) }, ErrEmpty},     // 6
		{func() (float64, error) { return AveragePrecision([]float64{1, 2}, []float64{0, 0}, nil) }, ErrSingleClass}, // 7
		{func() (float64, error) { return LogLoss([]float64{1.5}, []float64{1}, nil) }, ErrInput},                    // 8
		{func() (float64, error) { return BinaryAccuracy(nil, nil, nil) }, ErrEmpty},                                 // 9
		{func() (float64, error) { return Accuracy([]float64{1, 2}, 2, []float64{2}, nil) }, ErrInput},               // 10
		{func() (float64, error) { return Accuracy([]float64{1, 2}, 2, []float64{0.5}, nil) }, ErrInput},             // 11
		{func() (float64, error) { return Accuracy([]float64{1, 2}, 2, []float64{1}, []float64{0}) }, ErrEmpty},      // 12
	}
	for i, c := range cases {
		got, err := c.f()
		if !errors.Is(err, c.want) || !math.IsNaN(got) {
			t.Errorf("case %d: got:%v, %v want:NaN, %v", i, got, err, c.want)
		}
	}
}

// TestLengthPanic checks the programmer-error panic.
func TestLengthPanic(t *testing.T) {
	defer func() {
		if r := recover(); r != "metrics: ROCAUC: slice length mismatch" {
			t.Errorf("got:%v want:metrics: ROCAUC: slice length mismatch", r)
		}
	}()
	ROCAUC([]float64{1}, nil, nil)
}

// TestMeanROCAUC checks per-task AUCs, masking (NaN labels under mask 0),
// and skipping of single-class and unlabelled tasks. Rows are samples,
// columns tasks (row-major n×4). Task 0 is binaryCases[0] (0.75), task 1
// is binaryCases[1] (0.5) but with row 2 masked, which leaves ties
// {0.5:0,0.5:1,0.5:1}: AUC 0.5 (hand: every pair tied).
func TestMeanROCAUC(t *testing.T) {
	scores := []float64{
		0.1, 0.5, 0.3, 0.9,
		0.4, 0.5, 0.2, 0.8,
		0.35, 0.5, 0.7, 0.7,
		0.8, 0.5, 0.1, 0.6,
	}
	labels := []float64{
		0, 0, 1, nan,
		0, 1, 1, nan,
		1, nan, 1, nan,
		1, 1, 1, nan,
	}
	mask := []float64{
		1, 1, 1, 0,
		1, 1, 1, 0,
		1, 0, 1, 0,
		1, 1, 1, 0,
	}
	res, err := MeanROCAUC(scores, labels, mask, 4)
	if err != nil {
		t.Fatal(err)
	}
	wantAUC := []float64{0.75, 0.5, nan, nan}
	for k, w := range wantAUC {
		if got := res.AUC[k]; !(math.Abs(got-w) <= tol || (math.IsNaN(w) && math.IsNaN(got))) {
			t.Errorf("task %d: got:%v want:%v", k, got, w)
		}
	}
	if want := 0.625; math.Abs(res.Mean-want) > tol {
		t.Errorf("mean: got:%v want:%v", res.Mean, want)
	}
	if len(res.Skipped) != 2 || res.Skipped[0] != 2 || res.Skipped[1] != 3 ||
		res.Reasons[0] != "one class only" || res.Reasons[1] != "no labels" {
		t.Errorf("skipped: got:%v %v want:[2 3] [one class only no labels]", res.Skipped, res.Reasons)
	}
	// No valid task at all.
	res, err = MeanROCAUC([]float64{1, 2}, []float64{1, 1}, nil, 1)
	if !errors.Is(err, ErrNoValidTask) || !math.IsNaN(res.Mean) {
		t.Errorf("got:%v, %v want:NaN, %v", res.Mean, err, ErrNoValidTask)
	}
	// A NaN label that is not masked is an error naming the task.
	_, err = MeanROCAUC(scores, labels, nil, 4)
	if !errors.Is(err, ErrInput) || err.Error() != "MeanROCAUC task 1: metrics: invalid input: ROCAUC: label 2 is NaN, want 0 or 1" {
		t.Errorf("got:%v want:task 1 label error", err)
	}
}

// TestAccuracy checks binary and multi-class accuracy (hand-computed).
func TestAccuracy(t *testing.T) {
	cases := []struct {
		got  func() (float64, error)
		want float64
	}{
		// 0: 0.5 predicts 0 (p > 0.5 rule): hits at 0, 1, 3 of 4
		{func() (float64, error) {
			return BinaryAccuracy([]float64{0.9, 0.5, 0.51, 0.2}, []float64{1, 0, 0, 0}, nil)
		}, 0.75},
		// 1: weights: hits weigh 2+0+1 of 2+1+1 (0 ignored, a miss weighs 1)
		{func() (float64, error) {
			return BinaryAccuracy([]float64{0.9, 0.4, 0.3, 0.2}, []float64{1, 1, 0, 1}, []float64{2, 0, 1, 1})
		}, 0.75},
		// 2: argmax rows (3 classes): [2, 0(tie → first), 1]; labels [2, 1, 1]
		{func() (float64, error) {
			return Accuracy([]float64{0.1, 0.2, 0.7, 0.5, 0.5, 0, -1, 3, 2}, 3, []float64{2, 1, 1}, nil)
		}, 2.0 / 3},
		// 3: row weights, middle row masked out (its NaN score is not read)
		{func() (float64, error) {
			return Accuracy([]float64{0.1, 0.9, nan, nan, 1, 0}, 2, []float64{1, 0, 1}, []float64{1, 0, 3})
		}, 0.25},
	}
	for i, c := range cases {
		got, err := c.got()
		if err != nil || math.Abs(got-c.want) > tol {
			t.Errorf("case %d: got:%v (%v) want:%v", i, got, err, c.want)
		}
	}
}

// TestLogLoss compares with scikit-learn 1.2.1 log_loss(y, p, eps=1e-15,
// sample_weight=w).
func TestLogLoss(t *testing.T) {
	cases := []struct {
		p, y, w []float64
		want    float64
	}{
		{[]float64{0.9, 0.1, 0.8, 0.35, 0, 1}, []float64{1, 0, 1, 0, 1, 1}, nil, 5.900570648938834},         // 0: p=0 for y=1 clipped
		{[]float64{0.9, 0.3, 0.6, 0.2}, []float64{1, 0, 1, 0}, []float64{1, 2, 0.5, 0}, 0.3068923472623676}, // 1: weights
		{[]float64{0.5}, []float64{1}, nil, math.Ln2},                                                       // 2: hand
	}
	for i, c := range cases {
		got, err := LogLoss(c.p, c.y, c.w)
		if err != nil || math.Abs(got-c.want) > tol {
			t.Errorf("case %d: got:%v (%v) want:%v", i, got, err, c.want)
		}
	}
}
