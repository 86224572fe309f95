package train

import (
	"fmt"
	"math"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selunet/selunet/backend"
	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/graph"
	"github.com/selunet/selunet/nets"
)

// evaluator runs a network's evaluation graph over a dataset in batches of a
// fixed size, padding the last batch with zero rows whose outputs are dropped.
type evaluator struct {
	net    *nets.Net
	g      *nets.Graph
	vm     gorgonia.VM
	keep   *backend.Keeper
	logits gorgonia.Value
	hidden []gorgonia.Value
	batch  int
}

// newEvaluator builds an evaluation graph; withHidden also reads every
// hidden layer's activations (for layer statistics).
func newEvaluator(net *nets.Net, batch int, withHidden bool) (*evaluator, error) {
	g := gorgonia.NewGraph()
	eg, err := net.Build(g, batch, graph.Eval, 0)
	if err != nil {
		return nil, err
	}
	e := &evaluator{net: net, g: eg, batch: batch}
	gorgonia.Read(eg.Logits, &e.logits)
	if withHidden {
		e.hidden = make([]gorgonia.Value, len(eg.Hidden))
		for i, h := range eg.Hidden {
			gorgonia.Read(h, &e.hidden[i])
		}
	}
	e.vm = graph.NewTapeMachine(g, nil, false)
	e.keep = backend.NewKeeper(e.vm)
	return e, nil
}

// forward runs the graph on rows and returns nothing; the read values hold
// the results.
func (e *evaluator) forward(s *datasets.Set, rows []int) error {
	fillBatch(s, rows, e.g.X.Value().(tensor.Tensor), nil, nil)
	defer e.keep.Reset()
	return e.vm.RunAll()
}

// logitsOf returns the network's logits for every row of s, row-major
// (N × outputs), in float64.
func (e *evaluator) logitsOf(s *datasets.Set) ([]float64, error) {
	k := e.net.Outputs
	out := make([]float64, 0, s.N*k)
	rows := make([]int, 0, e.batch)
	for lo := 0; lo < s.N; lo += e.batch {
		rows = rows[:0]
		for i := lo; i < min(lo+e.batch, s.N); i++ {
			rows = append(rows, i)
		}
		if err := e.forward(s, rows); err != nil {
			return nil, err
		}
		switch d := e.logits.Data().(type) {
		case []float32:
			for _, v := range d[:len(rows)*k] {
				out = append(out, float64(v))
			}
		case []float64:
			out = append(out, d[:len(rows)*k]...)
		}
	}
	return out, nil
}

// layerStats returns the mean and variance of every hidden layer over the
// first e.batch rows of s.
func (e *evaluator) layerStats(s *datasets.Set) ([]LayerStat, error) {
	rows := make([]int, min(e.batch, s.N))
	for i := range rows {
		rows[i] = i
	}
	if err := e.forward(s, rows); err != nil {
		return nil, err
	}
	out := make([]LayerStat, len(e.hidden))
	for i, h := range e.hidden {
		var sum, sq float64
		var n int
		switch d := h.Data().(type) {
		case []float32:
			w := len(d) / e.batch
			for _, v := range d[:len(rows)*w] {
				sum += float64(v)
				sq += float64(v) * float64(v)
			}
			n = len(rows) * w
		case []float64:
			w := len(d) / e.batch
			for _, v := range d[:len(rows)*w] {
				sum += v
				sq += v * v
			}
			n = len(rows) * w
		}
		mean := sum / float64(n)
		out[i] = LayerStat{Mean: mean, Variance: sq/float64(n) - mean*mean}
	}
	return out, nil
}

// Predict returns the network's outputs for every row of s, row-major
// (N × outputs): sigmoid probabilities for a Binary head, softmax class
// probabilities for a MultiClass head.
func (t *Trainer) Predict(s *datasets.Set) ([]float64, error) {
	if err := checkSet("prediction set", s, t.net); err != nil {
		return nil, err
	}
	logits, err := t.eval.logitsOf(s)
	if err != nil {
		return nil, err
	}
	return Probabilities(logits, t.net.Outputs, t.net.Head), nil
}

// Probabilities turns row-major logits with k outputs per row into
// probabilities: an element-wise sigmoid for a Binary head, a row-wise
// softmax for a MultiClass head.
func Probabilities(logits []float64, k int, head nets.Head) []float64 {
	p := make([]float64, len(logits))
	if head == nets.Binary {
		for i, z := range logits {
			p[i] = 1 / (1 + math.Exp(-z))
		}
		return p
	}
	for r := 0; r+k <= len(logits); r += k {
		row := logits[r : r+k]
		m := math.Inf(-1)
		for _, z := range row {
			m = math.Max(m, z)
		}
		var s float64
		for j, z := range row {
			p[r+j] = math.Exp(z - m)
			s += p[r+j]
		}
		for j := range row {
			p[r+j] /= s
		}
	}
	return p
}

// Evaluate returns the metrics of the current weights on s: "loss" (masked
// binary or softmax cross-entropy, as in training), "auc" (mean ROC-AUC over
// tasks with both classes present; binary heads), "accuracy" (mean over tasks
// at threshold 0.5, or top-1 for multi-class).
func (t *Trainer) Evaluate(s *datasets.Set) (map[string]float64, error) {
	if err := checkSet("evaluation set", s, t.net); err != nil {
		return nil, err
	}
	logits, err := t.eval.logitsOf(s)
	if err != nil {
		return nil, err
	}
	for i, v := range logits {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: output %d of row %d is %v (lower the learning rate, or clip gradients)", ErrDiverged, i%t.net.Outputs, i/t.net.Outputs, v)
		}
	}
	return Score(logits, s, t.net.Head)
}

// LayerStats returns the per-hidden-layer activation statistics of the
// current weights on the first Config.StatsRows rows of s (at most).
func (t *Trainer) LayerStats(s *datasets.Set) ([]LayerStat, error) {
	if t.stats == nil {
		return nil, fmt.Errorf("train: layer statistics are disabled (train.stats_rows is 0)")
	}
	return t.stats.layerStats(s)
}
