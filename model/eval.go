package model

import (
	"fmt"
	"math"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	// backend gives Gorgonia the same BLAS as training (and keeps the
	// machine's tensors between batches).
	"github.com/selunet/selunet/backend"
	"github.com/selunet/selunet/graph"
	"github.com/selunet/selunet/nets"
)

// Batch is the number of rows per forward pass of Predict.
const Batch = 256

// evaluator is the network's evaluation graph for Batch rows.
type evaluator struct {
	x      *gorgonia.Node
	vm     gorgonia.VM
	keep   *backend.Keeper
	logits gorgonia.Value
}

func newEvaluator(net *nets.Net) (*evaluator, error) {
	g := gorgonia.NewGraph()
	x := net.Input(g, Batch)
	b, err := net.Build(x, graph.Eval, 0)
	if err != nil {
		return nil, err
	}
	e := &evaluator{x: x}
	gorgonia.Read(b.Out, &e.logits)
	e.vm = graph.NewTapeMachine(g, nil, false)
	e.keep = backend.NewKeeper(e.vm)
	return e, nil
}

// logits runs n preprocessed rows (row-major in x) through the evaluation
// graph, Batch rows at a time; the last batch is padded with zero rows
// whose outputs are dropped.
func (m *Model) logits(x []float64, n int) ([]float64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ev == nil {
		ev, err := newEvaluator(m.net)
		if err != nil {
			return nil, fmt.Errorf("model: %w", err)
		}
		m.ev = ev
	}
	d, k := m.info.Inputs, m.info.Outputs
	out := make([]float64, 0, n*k)
	in := m.ev.x.Value().(tensor.Tensor)
	for lo := 0; lo < n; lo += Batch {
		rows := min(Batch, n-lo)
		src := x[lo*d : (lo+rows)*d]
		switch buf := in.Data().(type) {
		case []float32:
			for i, v := range src {
				buf[i] = float32(v)
			}
			clear(buf[len(src):])
		case []float64:
			copy(buf, src)
			clear(buf[len(src):])
		}
		err := m.ev.vm.RunAll()
		if err == nil {
			switch l := m.ev.logits.Data().(type) {
			case []float32:
				for _, v := range l[:rows*k] {
					out = append(out, float64(v))
				}
			case []float64:
				out = append(out, l[:rows*k]...)
			}
		}
		m.ev.keep.Reset()
		if err != nil {
			return nil, fmt.Errorf("model: forward pass: %w", err)
		}
	}
	for i, v := range out {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("model: output %d of row %d is %v (the weights are not finite?)", i%k, i/k+1, v)
		}
	}
	return out, nil
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
