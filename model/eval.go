package model

import (
	"fmt"
	"math"

	"github.com/selunet/selunet/datasets"
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
