package model

import (
	"fmt"
	"math"

	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/nets"
	"github.com/selunet/selunet/train"
)

// Batch is the number of rows per forward pass of Predict.
const Batch = 256

// probabilities runs n preprocessed rows (row-major in x) through the
// network's evaluation graph (a train.Evaluator, built on first use) and
// returns the head's probabilities, one row per input row. A non-finite
// output is an error.
func (m *Model) probabilities(x []float64, n int) ([][]float64, error) {
	if n == 0 {
		return [][]float64{}, nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ev == nil {
		ev, err := train.NewEvaluator(m.net, m.info.Inputs, Batch)
		if err != nil {
			return nil, fmt.Errorf("model: %w", err)
		}
		m.ev = ev
	}
	k := m.info.Outputs
	out, err := m.ev.Run(&datasets.Set{X: x, N: n, D: m.info.Inputs})
	if err != nil {
		return nil, fmt.Errorf("model: forward pass: %w", err)
	}
	for i, v := range out {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("model: output %d of row %d is %v (the weights are not finite?)", i%k, i/k+1, v)
		}
	}
	loss := train.BinaryCE
	if m.info.Head == HeadMultiClass {
		loss = train.SoftmaxCE
	}
	p := loss.Probabilities(out, k)
	rows := make([][]float64, n)
	for i := range rows {
		rows[i] = p[i*k : (i+1)*k : (i+1)*k]
	}
	return rows, nil
}

// paramCount returns the number of parameter elements nets.New creates for
// spec with the given input and output sizes (mirroring nets' builders; a
// test checks it against nets.New for every architecture), and false when
// it exceeds 2^50. Read compares it with the file's tensors before building
// anything.
func paramCount(s nets.Spec, inputs, outputs int) (int64, bool) {
	var total int64
	ok := true
	add := func(terms ...int64) {
		for _, t := range terms {
			if t < 0 || total > 1<<50-t {
				ok = false
				return
			}
			total += t
		}
	}
	mul := func(a, b int) int64 {
		if a < 0 || b < 0 || (a > 0 && int64(b) > (1<<50)/int64(a)) {
			ok = false
			return 0
		}
		return int64(a) * int64(b)
	}
	if s.Layers > 1<<20 || s.Units > 1<<30 || inputs > 1<<30 || outputs > 1<<30 {
		return 0, false
	}
	lin := func(in, out int) { add(mul(in, out), int64(out)) }
	widths := s.Widths(outputs)
	in := inputs
	for _, w := range widths {
		switch s.Arch {
		case nets.SNN, nets.MSRA:
			lin(in, w)
		case nets.BatchNorm:
			lin(in, w)
			add(4 * int64(w)) // running mean and variance, γ, β
		case nets.LayerNorm:
			lin(in, w)
			add(2 * int64(w))
		case nets.WeightNorm:
			lin(in, w) // V and b
			add(int64(w))
		case nets.ResNet:
			if in != w {
				lin(in, w)
			}
			inner := w
			if s.Shape == nets.Diavolo {
				inner = max(1, int(math.Round(s.Bottleneck*float64(w))))
			}
			lin(w, inner)
			lin(inner, w)
		case nets.Highway:
			if in != w {
				lin(in, w)
			}
			lin(w, w)
			lin(w, w)
		default:
			return 0, false
		}
		in = w
		if !ok {
			return 0, false
		}
	}
	lin(in, outputs)
	return total, ok
}
