package train

import (
	"errors"
	"fmt"
	"math"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/losses"
	"github.com/selunet/selunet/metrics"
)

// Loss is a training objective on a model's output together with what
// evaluating that output means: how labels are fed, how outputs become
// probabilities and which metrics are reported. The caller chooses it:
// BinaryCE and SoftmaxCE cover selunet's data sets; another task implements
// the four methods.
type Loss interface {
	// Objective adds the loss of out, a (batch, outputs) node, to out's
	// graph: the target input nodes it needs and the scalar loss.
	Objective(out *gorgonia.Node) (*Objective, error)
	// Check returns an error unless the labels of s fit a model with
	// outputs outputs; what names the set in the message.
	Check(what string, s *datasets.Set, outputs int) error
	// Probabilities turns row-major outputs with k per row into
	// probabilities.
	Probabilities(out []float64, k int) []float64
	// Score returns the metrics of row-major outputs against the labels
	// of s, at least "loss" (the training loss) and whatever else fits
	// ("auc", "accuracy", ...). A metric that cannot be computed is NaN.
	Score(out []float64, s *datasets.Set) (map[string]float64, error)
}

// Objective is a Loss bound into one training graph.
type Objective struct {
	// Loss is the scalar loss node.
	Loss *gorgonia.Node
	// Fill writes the targets of the given rows of s into the objective's
	// input nodes before a step.
	Fill func(s *datasets.Set, rows []int)
}

var (
	// BinaryCE is the loss of multi-task binary classification: one logit
	// per task (label column), masked binary cross-entropy on the logits
	// (losses.BCEWithLogits), so missing labels (mask 0) count for
	// nothing. Probabilities are sigmoids; Score reports loss, auc (mean
	// ROC-AUC over tasks with both classes), pr_auc and accuracy (at 0.5).
	BinaryCE Loss = binaryCE{}
	// SoftmaxCE is the loss of single-label multi-class classification:
	// one logit per class, the class index in label column 0, softmax
	// cross-entropy (losses.SoftmaxCrossEntropy). Probabilities are
	// row-wise softmaxes; Score reports loss, auc and pr_auc (one-vs-rest,
	// mean over classes) and top-1 accuracy.
	SoftmaxCE Loss = softmaxCE{}
)

type binaryCE struct{}

// Objective implements Loss.
func (binaryCE) Objective(out *gorgonia.Node) (*Objective, error) {
	g, dt, shape := out.Graph(), out.Dtype(), out.Shape()
	y := gorgonia.NewMatrix(g, dt, gorgonia.WithShape(shape...), gorgonia.WithName("y"), gorgonia.WithInit(gorgonia.Zeroes()))
	mask := gorgonia.NewMatrix(g, dt, gorgonia.WithShape(shape...), gorgonia.WithName("mask"), gorgonia.WithInit(gorgonia.Ones()))
	loss, err := losses.BCEWithLogits(out, y, mask)
	if err != nil {
		return nil, wrapf(err, "loss")
	}
	yv, mv := y.Value().(tensor.Tensor), mask.Value().(tensor.Tensor)
	return &Objective{Loss: loss, Fill: func(s *datasets.Set, rows []int) {
		switch yb := yv.Data().(type) {
		case []float32:
			s.CopyBatch32(rows, nil, yb, mv.Data().([]float32))
		case []float64:
			s.CopyBatch(rows, nil, yb, mv.Data().([]float64))
		}
	}}, nil
}

// Check implements Loss: s needs one label column per output.
func (binaryCE) Check(what string, s *datasets.Set, outputs int) error {
	if s.T != outputs {
		return fmt.Errorf("train: %s has %d tasks, the network has %d outputs", what, s.T, outputs)
	}
	return nil
}

// Probabilities implements Loss: an elementwise sigmoid.
func (binaryCE) Probabilities(out []float64, _ int) []float64 {
	p := make([]float64, len(out))
	for i, z := range out {
		p[i] = 1 / (1 + math.Exp(-z))
	}
	return p
}

// Score implements Loss.
func (l binaryCE) Score(out []float64, s *datasets.Set) (map[string]float64, error) {
	m := map[string]float64{"loss": bceLoss(out, s.Y, s.Mask)}
	m["auc"], m["pr_auc"] = meanAUCs(out, s.Y, s.Mask, s.T)
	acc, err := metrics.BinaryAccuracy(l.Probabilities(out, s.T), s.Y, s.Mask)
	if err != nil && !errors.Is(err, metrics.ErrEmpty) {
		return nil, err
	}
	m["accuracy"] = acc
	return m, nil
}

type softmaxCE struct{}

// Objective implements Loss.
func (softmaxCE) Objective(out *gorgonia.Node) (*Objective, error) {
	y := gorgonia.NewMatrix(out.Graph(), out.Dtype(), gorgonia.WithShape(out.Shape()...), gorgonia.WithName("y"), gorgonia.WithInit(gorgonia.Zeroes()))
	loss, err := losses.SoftmaxCrossEntropy(out, y, nil)
	if err != nil {
		return nil, wrapf(err, "loss")
	}
	yv := y.Value().(tensor.Tensor)
	return &Objective{Loss: loss, Fill: func(s *datasets.Set, rows []int) { fillOneHot(yv, s, rows) }}, nil
}

// Check implements Loss: s needs one label column of class indices and
// one output per class.
func (softmaxCE) Check(what string, s *datasets.Set, outputs int) error {
	if s.T != 1 || s.Classes != outputs {
		return fmt.Errorf("train: %s has %d classes in %d label columns, the network expects %d classes in 1", what, s.Classes, s.T, outputs)
	}
	return nil
}

// Probabilities implements Loss: a row-wise softmax.
func (softmaxCE) Probabilities(out []float64, k int) []float64 {
	p := make([]float64, len(out))
	for r := 0; r+k <= len(out); r += k {
		row := out[r : r+k]
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

// Score implements Loss.
func (l softmaxCE) Score(out []float64, s *datasets.Set) (map[string]float64, error) {
	k := s.Classes
	probs := l.Probabilities(out, k)
	var loss float64
	for i := 0; i < s.N; i++ {
		loss -= math.Log(math.Max(probs[i*k+int(s.Y[i*s.T])], 1e-300))
	}
	m := map[string]float64{"loss": loss / float64(s.N)}
	m["auc"], m["pr_auc"] = meanAUCs(probs, oneHot(s), nil, k)
	acc, err := metrics.Accuracy(probs, k, s.Y, nil)
	if err != nil {
		return nil, err
	}
	m["accuracy"] = acc
	return m, nil
}
