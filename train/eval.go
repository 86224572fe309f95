package train

import (
	"fmt"
	"math"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selunet/selunet/backend"
	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/graph"
)

// Evaluator runs a model's evaluation graph (graph.Eval: no dropout, no
// gradients, no solver) over data sets in batches of a fixed size, padding
// the last batch with zero rows whose outputs are dropped. It reads the
// model's current weights on every run, so it follows training; alone, with
// weights from LoadWeights, it is the prediction path. An Evaluator is not
// safe for concurrent use; Close releases its machine.
type Evaluator struct {
	model    graph.Model
	features int
	outputs  int
	x        tensor.Tensor
	vm       gorgonia.VM
	keep     *backend.Keeper
	out      gorgonia.Value
	hidden   []gorgonia.Value
	batch    int
}

// NewEvaluator builds m's evaluation graph for batches of batch rows of
// features columns. It returns an error if batch or features is < 1 or the
// model cannot be built.
func NewEvaluator(m graph.Model, features, batch int) (*Evaluator, error) {
	return newEvaluator(m, features, batch, false)
}

// newEvaluator builds an evaluation graph; withHidden also reads every
// hidden activation of Built.Hidden (for layer statistics).
func newEvaluator(m graph.Model, features, batch int, withHidden bool) (*Evaluator, error) {
	if batch < 1 || features < 1 {
		return nil, fmt.Errorf("train: evaluator needs batch and features ≥ 1, got %d and %d", batch, features)
	}
	g := gorgonia.NewGraph()
	x := gorgonia.NewMatrix(g, m.Weights().Dtype(), gorgonia.WithShape(batch, features), gorgonia.WithName("x"), gorgonia.WithInit(gorgonia.Zeroes()))
	b, err := m.Build(x, graph.Eval, 0)
	if err != nil {
		return nil, err
	}
	if s := b.Out.Shape(); len(s) != 2 || s[0] != batch {
		return nil, fmt.Errorf("train: model output has shape %v, want (%d, outputs)", s, batch)
	}
	e := &Evaluator{model: m, features: features, outputs: b.Out.Shape()[1], x: x.Value().(tensor.Tensor), batch: batch}
	gorgonia.Read(b.Out, &e.out)
	if withHidden {
		e.hidden = make([]gorgonia.Value, len(b.Hidden))
		for i, h := range b.Hidden {
			gorgonia.Read(h, &e.hidden[i])
		}
	}
	e.vm = graph.NewTapeMachine(g, nil, false)
	e.keep = backend.NewKeeper(e.vm)
	return e, nil
}

// Outputs returns the number of outputs per row.
func (e *Evaluator) Outputs() int { return e.outputs }

// Close releases the machine.
func (e *Evaluator) Close() error { return e.vm.Close() }

// forward runs the graph on rows; the read values hold the results.
func (e *Evaluator) forward(s *datasets.Set, rows []int) error {
	fillX(s, rows, e.x)
	defer e.keep.Reset()
	return e.vm.RunAll()
}

// Run returns the model's outputs for every row of s, row-major (N ×
// Outputs), in float64. Only s's features are read (labels may be absent).
// It returns an error if s is empty or has another width than the
// evaluator, or if the machine fails.
func (e *Evaluator) Run(s *datasets.Set) ([]float64, error) {
	if s == nil || s.N == 0 {
		return nil, fmt.Errorf("train: no rows to evaluate")
	}
	if s.D != e.features {
		return nil, fmt.Errorf("train: data set has %d features, the model expects %d", s.D, e.features)
	}
	k := e.outputs
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
		switch d := e.out.Data().(type) {
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

// Predict returns loss's probabilities for every row of s (N × Outputs,
// row-major): sigmoids for BinaryCE, softmaxes for SoftmaxCE. Only s's
// features are read.
func (e *Evaluator) Predict(s *datasets.Set, loss Loss) ([]float64, error) {
	out, err := e.Run(s)
	if err != nil {
		return nil, err
	}
	return loss.Probabilities(out, e.outputs), nil
}

// Evaluate returns loss's metrics (Loss.Score) of the current weights on
// s. Non-finite outputs are an error wrapping ErrDiverged.
func (e *Evaluator) Evaluate(s *datasets.Set, loss Loss) (map[string]float64, error) {
	if s != nil {
		if err := loss.Check("evaluation set", s, e.outputs); err != nil {
			return nil, err
		}
	}
	out, err := e.Run(s)
	if err != nil {
		return nil, err
	}
	for i, v := range out {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: output %d of row %d is %v (lower the learning rate, or clip gradients)", ErrDiverged, i%e.outputs, i/e.outputs, v)
		}
	}
	return loss.Score(out, s)
}

// layerStats returns the mean and variance of every hidden activation over
// the first e.batch rows of s.
func (e *Evaluator) layerStats(s *datasets.Set) ([]LayerStat, error) {
	if len(e.hidden) == 0 {
		return nil, nil // the model names no hidden activations
	}
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
