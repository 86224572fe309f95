package metrics

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/integrate"
	"gonum.org/v1/gonum/stat"
)

// Sentinel errors; returned errors wrap them (test with errors.Is). A metric
// that returns an error returns NaN as its value.
var (
	// ErrEmpty: no entry has a non-zero weight.
	ErrEmpty = errors.New("metrics: no samples")
	// ErrSingleClass: the used entries hold only one class, so the metric
	// is undefined (ROC-AUC needs both; average precision needs a positive).
	ErrSingleClass = errors.New("metrics: only one class present")
	// ErrNoValidTask: MeanROCAUC found no task with both classes.
	ErrNoValidTask = errors.New("metrics: no task has both classes")
	// ErrInput: a score, label or weight is invalid (NaN, a label that is
	// not 0 or 1, a negative weight).
	ErrInput = errors.New("metrics: invalid input")
)

// LogLossEps is the clipping bound of LogLoss: probabilities are clipped to
// [LogLossEps, 1−LogLossEps] (scikit-learn's eps=1e-15).
const LogLossEps = 1e-15

// Threshold is the probability above which BinaryAccuracy predicts class 1
// (p > 0.5; p = 0.5 predicts 0, as scikit-learn's predict).
const Threshold = 0.5

// binary collects the entries with non-zero weight, checking that scores are
// not NaN, labels are 0 or 1 and weights are finite and >= 0. It returns
// nil weights when weights is nil.
func binary(fn string, scores, labels, weights []float64) (y []float64, cls []bool, w []float64, nPos, nNeg float64, err error) {
	if len(scores) != len(labels) || (weights != nil && len(weights) != len(scores)) {
		panic("metrics: " + fn + ": slice length mismatch")
	}
	y = make([]float64, 0, len(scores))
	cls = make([]bool, 0, len(scores))
	if weights != nil {
		w = make([]float64, 0, len(scores))
	}
	for i, s := range scores {
		wi := 1.0
		if weights != nil {
			wi = weights[i]
			if wi < 0 || math.IsNaN(wi) || math.IsInf(wi, 0) {
				return nil, nil, nil, 0, 0, fmt.Errorf("%w: %s: weight %d is %v, want finite and >= 0", ErrInput, fn, i, wi)
			}
			if wi == 0 {
				continue
			}
		}
		if math.IsNaN(s) {
			return nil, nil, nil, 0, 0, fmt.Errorf("%w: %s: score %d is NaN", ErrInput, fn, i)
		}
		switch labels[i] {
		case 1:
			nPos += wi
		case 0:
			nNeg += wi
		default:
			return nil, nil, nil, 0, 0, fmt.Errorf("%w: %s: label %d is %v, want 0 or 1", ErrInput, fn, i, labels[i])
		}
		y = append(y, s)
		cls = append(cls, labels[i] == 1)
		if w != nil {
			w = append(w, wi)
		}
	}
	if len(y) == 0 {
		return nil, nil, nil, 0, 0, fmt.Errorf("%w: %s", ErrEmpty, fn)
	}
	return y, cls, w, nPos, nNeg, nil
}

// ROCAUC returns the area under the ROC curve of scores (any real values;
// higher means class 1) against labels (0 or 1), with optional non-negative
// weights (nil: all 1). Entries of weight 0 are ignored, so a 0/1 mask can
// be passed as weights. Tied scores are handled exactly: the curve gets one
// point per distinct score (stat.ROC with nil cutoffs) and is integrated
// with integrate.Trapezoidal, so ties count as half, as in scikit-learn's
// roc_auc_score.
//
// It returns NaN and an error wrapping ErrEmpty (no entries), ErrSingleClass
// (only one class among the entries) or ErrInput (NaN score, label not 0/1,
// bad weight). It panics if the slice lengths differ.
func ROCAUC(scores, labels, weights []float64) (float64, error) {
	y, cls, w, nPos, nNeg, err := binary("ROCAUC", scores, labels, weights)
	if err != nil {
		return math.NaN(), err
	}
	if nPos == 0 || nNeg == 0 {
		return math.NaN(), fmt.Errorf("%w: ROCAUC: %v positive, %v negative weight", ErrSingleClass, nPos, nNeg)
	}
	stat.SortWeightedLabeled(y, cls, w)
	tpr, fpr, _ := stat.ROC(nil, y, cls, w)
	return integrate.Trapezoidal(fpr, tpr), nil
}

// AveragePrecision returns the area under the precision-recall curve as
// the step sum AP = Σ_k (R_k − R_{k−1})·P_k over the distinct score
// thresholds in decreasing order (R_0 = 0), where P_k and R_k are the
// (weighted) precision and recall of predicting 1 for scores >= the k-th
// threshold. This is scikit-learn's average_precision_score (no
// interpolation; tied scores form one threshold). Arguments, weights and
// errors are as for ROCAUC, except that a set with positives but no
// negatives is valid (AP = 1); ErrSingleClass means no positive.
func AveragePrecision(scores, labels, weights []float64) (float64, error) {
	y, cls, w, nPos, _, err := binary("AveragePrecision", scores, labels, weights)
	if err != nil {
		return math.NaN(), err
	}
	if nPos == 0 {
		return math.NaN(), fmt.Errorf("%w: AveragePrecision: no positive entries", ErrSingleClass)
	}
	stat.SortWeightedLabeled(y, cls, w)
	var tp, fp, prevRecall, ap float64
	for i := len(y) - 1; i >= 0; i-- {
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		if cls[i] {
			tp += wi
		} else {
			fp += wi
		}
		if i > 0 && y[i-1] == y[i] {
			continue // same threshold
		}
		recall := tp / nPos
		ap += (recall - prevRecall) * tp / (tp + fp)
		prevRecall = recall
	}
	return ap, nil
}

// TaskAUC is the result of MeanROCAUC.
type TaskAUC struct {
	// Mean is the unweighted mean of the AUCs of the tasks not skipped.
	Mean float64
	// AUC holds one value per task, NaN for skipped tasks.
	AUC []float64
	// Skipped lists the tasks left out (no labels, or one class only), in
	// increasing order, with Reasons[i] saying why Skipped[i] was left out.
	Skipped []int
	Reasons []string
}

// MeanROCAUC computes ROCAUC per task and their mean, as the SNN paper
// reports Tox21 ("AUC averaged over the 12 assays"). scores, labels and mask
// are row-major n×tasks matrices flattened (the layout of a network's
// output tensor). An entry is used when mask is nil or its mask value is
// non-zero (mask values act as weights); labels of unused entries are not
// read, so NaN may mark a missing label. Tasks whose used labels hold a
// single class (or none) are skipped and listed with the reason.
//
// It returns an error wrapping ErrInput for invalid used entries (naming the
// task and row), or ErrNoValidTask (with Mean NaN) if every task is
// skipped. It panics if tasks <= 0 or the lengths are not equal multiples of
// tasks.
func MeanROCAUC(scores, labels, mask []float64, tasks int) (TaskAUC, error) {
	if tasks <= 0 {
		panic(fmt.Sprintf("metrics: MeanROCAUC: tasks must be > 0, got %d", tasks))
	}
	if len(scores) != len(labels) || (mask != nil && len(mask) != len(scores)) || len(scores)%tasks != 0 {
		panic("metrics: MeanROCAUC: slice length mismatch")
	}
	n := len(scores) / tasks
	res := TaskAUC{AUC: make([]float64, tasks)}
	s := make([]float64, n)
	l := make([]float64, n)
	w := make([]float64, n)
	var sum float64
	var used int
	for k := range tasks {
		for i := range n {
			s[i], l[i], w[i] = scores[i*tasks+k], labels[i*tasks+k], 1
			if mask != nil {
				w[i] = mask[i*tasks+k]
				if w[i] == 0 {
					l[i] = 0 // unused; may be NaN in the input
				}
			}
		}
		auc, err := ROCAUC(s, l, w)
		switch {
		case err == nil:
			res.AUC[k] = auc
			sum += auc
			used++
		case errors.Is(err, ErrEmpty):
			res.AUC[k] = math.NaN()
			res.Skipped = append(res.Skipped, k)
			res.Reasons = append(res.Reasons, "no labels")
		case errors.Is(err, ErrSingleClass):
			res.AUC[k] = math.NaN()
			res.Skipped = append(res.Skipped, k)
			res.Reasons = append(res.Reasons, "one class only")
		default:
			res.Mean = math.NaN()
			return res, fmt.Errorf("MeanROCAUC task %d: %w", k, err)
		}
	}
	if used == 0 {
		res.Mean = math.NaN()
		return res, fmt.Errorf("%w: MeanROCAUC over %d tasks", ErrNoValidTask, tasks)
	}
	res.Mean = sum / float64(used)
	return res, nil
}

// BinaryAccuracy returns the (weighted) fraction of entries whose predicted
// class, 1 if prob > Threshold else 0, equals the label (0 or 1). Weights
// may be nil (all 1); entries of weight 0 are ignored. Errors as ROCAUC,
// without ErrSingleClass.
func BinaryAccuracy(probs, labels, weights []float64) (float64, error) {
	y, cls, w, _, _, err := binary("BinaryAccuracy", probs, labels, weights)
	if err != nil {
		return math.NaN(), err
	}
	var hit, tot float64
	for i, p := range y {
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		tot += wi
		if (p > Threshold) == cls[i] {
			hit += wi
		}
	}
	return hit / tot, nil
}

// Accuracy returns the (weighted) fraction of rows of the row-major
// n×classes score matrix whose argmax (the first maximum on ties, as
// numpy.argmax) equals the label, an integral class index stored as
// float64 in [0, classes). Weights (length n) may be nil; rows of weight 0
// are ignored. It returns NaN and an error wrapping ErrEmpty or ErrInput
// (NaN score in a used row, bad label or weight); it panics if classes <= 0
// or the lengths do not match.
func Accuracy(scores []float64, classes int, labels, weights []float64) (float64, error) {
	if classes <= 0 {
		panic(fmt.Sprintf("metrics: Accuracy: classes must be > 0, got %d", classes))
	}
	n := len(labels)
	if len(scores) != n*classes || (weights != nil && len(weights) != n) {
		panic("metrics: Accuracy: slice length mismatch")
	}
	var hit, tot float64
	for i := range n {
		wi := 1.0
		if weights != nil {
			wi = weights[i]
			if wi < 0 || math.IsNaN(wi) || math.IsInf(wi, 0) {
				return math.NaN(), fmt.Errorf("%w: Accuracy: weight %d is %v, want finite and >= 0", ErrInput, i, wi)
			}
			if wi == 0 {
				continue
			}
		}
		lab := labels[i]
		if lab != math.Trunc(lab) || lab < 0 || lab >= float64(classes) {
			return math.NaN(), fmt.Errorf("%w: Accuracy: label %d is %v, want an integer in [0, %d)", ErrInput, i, lab, classes)
		}
		row := scores[i*classes : (i+1)*classes]
		best := 0
		for c, v := range row {
			if math.IsNaN(v) {
				return math.NaN(), fmt.Errorf("%w: Accuracy: score [%d, %d] is NaN", ErrInput, i, c)
			}
			if v > row[best] {
				best = c
			}
		}
		tot += wi
		if best == int(lab) {
			hit += wi
		}
	}
	if tot == 0 {
		return math.NaN(), fmt.Errorf("%w: Accuracy", ErrEmpty)
	}
	return hit / tot, nil
}

// LogLoss returns the (weighted) mean binary cross-entropy
// −(y·log p + (1−y)·log(1−p)) of probabilities p against labels y (0 or
// 1), with p clipped to [LogLossEps, 1−LogLossEps] so that a confident
// wrong prediction costs at most −log(1e-15) ≈ 34.54 (scikit-learn's
// log_loss with eps=1e-15). Weights and errors as BinaryAccuracy; a
// probability outside [0, 1] is an ErrInput error.
func LogLoss(probs, labels, weights []float64) (float64, error) {
	y, cls, w, _, _, err := binary("LogLoss", probs, labels, weights)
	if err != nil {
		return math.NaN(), err
	}
	var sum, tot float64
	for i, p := range y {
		if p < 0 || p > 1 {
			return math.NaN(), fmt.Errorf("%w: LogLoss: probability %v outside [0, 1]", ErrInput, p)
		}
		p = math.Min(math.Max(p, LogLossEps), 1-LogLossEps)
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		if cls[i] {
			sum -= wi * math.Log(p)
		} else {
			sum -= wi * math.Log1p(-p)
		}
		tot += wi
	}
	return sum / tot, nil
}
