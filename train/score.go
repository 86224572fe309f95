package train

import (
	"math"

	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/metrics"
)

// TaskAUCs returns the ROC-AUC of every task (binary) or class
// (multi-class, one-vs-rest) of row-major scores against s; NaN where a
// task has one class only.
func TaskAUCs(scores []float64, s *datasets.Set) []float64 {
	labels, mask, tasks := s.Y, s.Mask, s.T
	if s.Classes > 0 {
		labels, mask, tasks = oneHot(s), nil, s.Classes
	}
	res, _ := metrics.MeanROCAUC(scores, labels, mask, tasks)
	return res.AUC
}

// meanAUCs returns the mean ROC-AUC and mean average precision over tasks.
func meanAUCs(scores, labels, mask []float64, tasks int) (auc, ap float64) {
	res, err := metrics.MeanROCAUC(scores, labels, mask, tasks)
	auc = res.Mean
	if err != nil {
		auc = math.NaN()
	}
	n := len(scores) / tasks
	col := func(x []float64, k int) []float64 {
		if x == nil {
			return nil
		}
		c := make([]float64, n)
		for i := range c {
			c[i] = x[i*tasks+k]
		}
		return c
	}
	var sum float64
	var used int
	for k := 0; k < tasks; k++ {
		a, err := metrics.AveragePrecision(col(scores, k), col(labels, k), col(mask, k))
		if err == nil {
			sum += a
			used++
		}
	}
	ap = math.NaN()
	if used > 0 {
		ap = sum / float64(used)
	}
	return auc, ap
}

// bceLoss is the masked mean binary cross-entropy on logits, computed
// stably as max(z,0) − z·y + log1p(exp(−|z|)).
func bceLoss(logits, y, mask []float64) float64 {
	var sum, w float64
	for i, z := range logits {
		wi := 1.0
		if mask != nil {
			wi = mask[i]
		}
		if wi == 0 {
			continue
		}
		sum += wi * (math.Max(z, 0) - z*y[i] + math.Log1p(math.Exp(-math.Abs(z))))
		w += wi
	}
	if w == 0 {
		return math.NaN()
	}
	return sum / w
}

// oneHot returns the N × Classes indicator matrix of s's class labels.
func oneHot(s *datasets.Set) []float64 {
	k := s.Classes
	out := make([]float64, s.N*k)
	for i := 0; i < s.N; i++ {
		out[i*k+int(s.Y[i*s.T])] = 1
	}
	return out
}
