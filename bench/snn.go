// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

package bench

import (
	"fmt"
	"math/rand/v2"

	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/nets"
	"github.com/selunet/selunet/solvers"
	"github.com/selunet/selunet/train"
)

// Config describes the refbench network and its training step. The zero
// value is not usable; start from DefaultConfig.
type Config struct {
	// Batch is the number of rows per step (refbench: 128).
	Batch int
	// In is the input width (refbench: 1024).
	In int
	// Hidden is the width of every hidden layer (refbench: 1024).
	Hidden int
	// Layers is the number of hidden layers (refbench: 8).
	Layers int
	// Dropout is the alpha-dropout rate of every hidden layer, in [0, 1)
	// (refbench: 0.05).
	Dropout float64
	// Optimizer is "sgd" (learning rate LR) or "adam" (learning rate AdamLR).
	Optimizer string
	// LR is the SGD learning rate (refbench: 0.01).
	LR float64
	// AdamLR is the Adam learning rate (refbench: 1e-3).
	AdamLR float64
	// NBatches is the number of fixed synthetic batches cycled (refbench: 8).
	NBatches int
	// Seed seeds the weights, the data and the dropout masks.
	Seed uint64
	// Keep keeps the tape machine's registers between steps
	// (backend.Keeper) instead of calling Reset, which reallocates them.
	Keep bool
	// Arch is the nets architecture (nets.Archs; refbench: "snn"). The
	// others (which use gorgonia's ops and standard dropout) exist for
	// testing backend.Keeper on every network the project builds.
	Arch string
	// DualValues binds gradients into the weights' dual values
	// (gorgonia.BindDualValues), the usual Gorgonia set-up: every gradient is
	// then added into a separate buffer that the solver reads and zeroes.
	// Without it the solver reads the gradient nodes' values directly
	// (backend.GradPairs), which saves that extra pass over every gradient.
	DualValues bool
}

// DefaultConfig returns the refbench settings of
// shared/refbench/torch_snn_bench.py: batch 128, 1024 inputs, 8 hidden
// layers of 1024, alpha dropout 0.05, SGD lr 0.01, Adam lr 1e-3, 8 batches,
// seed 1234, registers kept, gradients read directly (no dual values).
func DefaultConfig() Config {
	return Config{Batch: 128, In: 1024, Hidden: 1024, Layers: 8, Dropout: 0.05,
		Optimizer: "sgd", LR: 0.01, AdamLR: 1e-3, NBatches: 8, Seed: 1234, Keep: true, Arch: nets.SNN}
}

// Validate reports the first invalid field.
func (c Config) Validate() error {
	switch {
	case c.Batch < 1 || c.In < 1 || c.Hidden < 1 || c.Layers < 1:
		return fmt.Errorf("bench: batch, in, hidden and layers must be ≥ 1, got %d, %d, %d, %d", c.Batch, c.In, c.Hidden, c.Layers)
	case !(c.Dropout >= 0 && c.Dropout < 1):
		return fmt.Errorf("bench: dropout must be in [0, 1), got %v", c.Dropout)
	case c.Optimizer != "sgd" && c.Optimizer != "adam":
		return fmt.Errorf("bench: optimizer must be sgd or adam, got %q", c.Optimizer)
	case c.NBatches < 1:
		return fmt.Errorf("bench: nbatches must be ≥ 1, got %d", c.NBatches)
	}
	return nil
}

// FLOPs returns the multiply-add work of one training step: three times the
// forward matrix products, 2·M·N·K each, as torch_snn_bench.py counts it.
func (c Config) FLOPs() float64 {
	fwd := 2.0 * float64(c.Batch) * float64(c.In*c.Hidden+(c.Layers-1)*c.Hidden*c.Hidden+c.Hidden)
	return 3 * fwd
}

// Model is the refbench network built by package nets (an SNN: linear,
// ops/selu, ops/alphadropout per hidden layer) trained by train.Step, the
// step the training loop runs (train.BinaryCE, a solver of package
// solvers), on fixed synthetic batches, plus a train.Evaluator that shares
// the weights.
type Model struct {
	cfg     Config
	net     *nets.Net
	set     *datasets.Set
	first   *datasets.Set // the first batch alone, for EvalForward
	rows    [][]int       // the rows of each batch
	trainer *train.Step
	eval    *train.Evaluator
	step    int
}

// Spec returns the nets.Spec of cfg's network.
func (c Config) Spec() nets.Spec {
	s := nets.DefaultSpec()
	s.Layers, s.Units, s.Dropout = c.Layers, c.Hidden, c.Dropout
	if c.Arch != "" {
		s.Arch = c.Arch
	}
	return s
}

// solver returns cfg's solver.
func (c Config) solver() solvers.Solver {
	if c.Optimizer == "sgd" {
		return solvers.NewSGD(solvers.WithLR(c.LR))
	}
	return solvers.NewAdam(solvers.WithLR(c.AdamLR))
}

// NewModel builds the training step and the evaluator of cfg.
func NewModel(cfg Config) (*Model, error) {
	set, err := cfg.Dataset()
	if err != nil {
		return nil, err
	}
	net, err := nets.New(cfg.Spec(), cfg.In, 1, nets.Binary, cfg.Seed)
	if err != nil {
		return nil, err
	}
	m := &Model{cfg: cfg, net: net, set: set, first: set.Subset(rowRange(0, cfg.Batch))}
	for b := 0; b < cfg.NBatches; b++ {
		m.rows = append(m.rows, rowRange(b*cfg.Batch, (b+1)*cfg.Batch))
	}
	m.trainer, err = train.NewStep(net, train.BinaryCE, cfg.solver(), train.StepConfig{
		Batch: cfg.Batch, Features: cfg.In, Seed: cfg.Seed, ResetRegisters: !cfg.Keep, DualValues: cfg.DualValues})
	if err != nil {
		return nil, err
	}
	if m.eval, err = train.NewEvaluator(net, cfg.In, cfg.Batch); err != nil {
		return nil, err
	}
	return m, nil
}

// rowRange returns the row indices [lo, hi).
func rowRange(lo, hi int) []int {
	rows := make([]int, hi-lo)
	for i := range rows {
		rows[i] = lo + i
	}
	return rows
}

// makeData draws the fixed synthetic batches: N(0, 1) features, labels
// from a random linear teacher (1 where the teacher's output is positive),
// as float32 values (the refbench data), row-major.
func (c Config) makeData() (x, y []float32) {
	drng := rand.New(rand.NewPCG(c.Seed+1, 0xda))
	teacher := make([]float64, c.In)
	for i := range teacher {
		teacher[i] = drng.NormFloat64()
	}
	x = make([]float32, c.NBatches*c.Batch*c.In)
	y = make([]float32, c.NBatches*c.Batch)
	for r := range y {
		s := 0.0
		for k := 0; k < c.In; k++ {
			v := drng.NormFloat64()
			x[r*c.In+k] = float32(v)
			s += v * teacher[k]
		}
		if s > 0 {
			y[r] = 1
		}
	}
	return x, y
}

// Step runs one training step on the next fixed batch and returns its loss.
func (m *Model) Step() (float32, error) {
	i := m.step % m.cfg.NBatches
	m.step++
	loss, err := m.trainer.Run(m.set, m.rows[i])
	if err != nil {
		return 0, fmt.Errorf("bench: step %d: %w", m.step, err)
	}
	return float32(loss), nil
}

// Kept returns how many registers the last step kept (backend.Keeper).
func (m *Model) Kept() int { return m.trainer.Kept() }

// EvalForward runs the evaluation graph (no dropout, no gradients) once on
// the first batch.
func (m *Model) EvalForward() error {
	if _, err := m.eval.Run(m.first); err != nil {
		return fmt.Errorf("bench: eval: %w", err)
	}
	return nil
}

// Weights returns copies of the current trainable weight values, layer by
// layer (w0, b0, w1, b1, ...), for comparing runs.
func (m *Model) Weights() [][]float32 {
	var out [][]float32
	for _, p := range m.net.Params.All() {
		if p.Trainable {
			out = append(out, append([]float32(nil), p.Value.Data().([]float32)...))
		}
	}
	return out
}

// Close releases the machines.
func (m *Model) Close() {
	m.trainer.Close()
	m.eval.Close()
}
