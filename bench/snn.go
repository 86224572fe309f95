// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

package bench

import (
	"fmt"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selunet/selunet/backend"
	"github.com/selunet/selunet/graph"
	"github.com/selunet/selunet/losses"
	"github.com/selunet/selunet/nets"
	"github.com/selunet/selunet/solvers"
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
// ops/selu, ops/alphadropout per hidden layer) with losses.BCEWithLogits and
// a solver of package solvers, plus an evaluation graph that shares the
// weights. It mirrors train.Trainer's step without the data pipeline.
type Model struct {
	cfg     Config
	net     *nets.Net
	tg      *nets.Graph
	vm      gorgonia.VM
	keeper  *backend.Keeper
	solver  solvers.Solver
	vgs     []gorgonia.ValueGrad
	x, y    tensor.Tensor
	lossVal gorgonia.Value
	batches []*tensor.Dense
	labels  []*tensor.Dense
	step    int

	evm   gorgonia.VM
	ekeep *backend.Keeper
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

// NewModel builds the training and evaluation graphs of cfg.
func NewModel(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	net, err := nets.New(cfg.Spec(), cfg.In, 1, nets.Binary, cfg.Seed)
	if err != nil {
		return nil, err
	}
	m := &Model{cfg: cfg, net: net}
	m.makeData()
	if err := m.buildTrain(); err != nil {
		return nil, err
	}
	if err := m.buildEval(); err != nil {
		return nil, err
	}
	return m, nil
}

// makeData draws the fixed synthetic batches: N(0, 1) features, labels
// from a random linear teacher (1 where the teacher's output is positive).
func (m *Model) makeData() {
	cfg := m.cfg
	drng := rand.New(rand.NewPCG(cfg.Seed+1, 0xda))
	teacher := make([]float64, cfg.In)
	for i := range teacher {
		teacher[i] = drng.NormFloat64()
	}
	for b := 0; b < cfg.NBatches; b++ {
		xb := make([]float32, cfg.Batch*cfg.In)
		yb := make([]float32, cfg.Batch)
		for r := 0; r < cfg.Batch; r++ {
			s := 0.0
			for c := 0; c < cfg.In; c++ {
				v := drng.NormFloat64()
				xb[r*cfg.In+c] = float32(v)
				s += v * teacher[c]
			}
			if s > 0 {
				yb[r] = 1
			}
		}
		m.batches = append(m.batches, tensor.New(tensor.WithShape(cfg.Batch, cfg.In), tensor.WithBacking(xb)))
		m.labels = append(m.labels, tensor.New(tensor.WithShape(cfg.Batch, 1), tensor.WithBacking(yb)))
	}
}

func (m *Model) buildTrain() error {
	cfg := m.cfg
	g := gorgonia.NewGraph()
	tg, err := m.net.Build(g, cfg.Batch, graph.Train, cfg.Seed)
	if err != nil {
		return err
	}
	m.tg = tg
	m.x = tg.X.Value().(tensor.Tensor)
	y := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(cfg.Batch, 1), gorgonia.WithName("y"), gorgonia.WithInit(gorgonia.Zeroes()))
	m.y = y.Value().(tensor.Tensor)
	loss, err := losses.BCEWithLogits(tg.Logits, y, nil)
	if err != nil {
		return err
	}
	gorgonia.Read(loss, &m.lossVal)
	grads, err := gorgonia.Grad(loss, tg.Learnables...)
	if err != nil {
		return err
	}
	if cfg.DualValues {
		m.vm = graph.NewTapeMachine(g, nil, false, gorgonia.BindDualValues(tg.Learnables...))
		m.vgs = gorgonia.NodesToValueGrads(tg.Learnables)
	} else {
		m.vm = graph.NewTapeMachine(g, nil, false)
		m.vgs = backend.GradPairs(tg.Learnables, grads)
	}
	if cfg.Keep {
		m.keeper = backend.NewKeeper(m.vm)
	}
	opts := []solvers.Option{}
	if !cfg.DualValues {
		// Gradient registers are overwritten by the next run (as in
		// train.Trainer): no zeroing pass.
		opts = append(opts, solvers.WithoutZeroGrads())
	}
	switch cfg.Optimizer {
	case "sgd":
		m.solver = solvers.NewSGD(append(opts, solvers.WithLR(cfg.LR))...)
	default:
		m.solver = solvers.NewAdam(append(opts, solvers.WithLR(cfg.AdamLR))...)
	}
	return nil
}

func (m *Model) buildEval() error {
	g := gorgonia.NewGraph()
	eg, err := m.net.Build(g, m.cfg.Batch, graph.Eval, 0)
	if err != nil {
		return err
	}
	copy(eg.X.Value().Data().([]float32), m.batches[0].Data().([]float32))
	m.evm = graph.NewTapeMachine(g, nil, false)
	if m.cfg.Keep {
		m.ekeep = backend.NewKeeper(m.evm)
	}
	return nil
}

// Step runs one training step on the next fixed batch and returns its loss.
func (m *Model) Step() (float32, error) {
	i := m.step % len(m.batches)
	m.step++
	copy(m.x.Data().([]float32), m.batches[i].Data().([]float32))
	copy(m.y.Data().([]float32), m.labels[i].Data().([]float32))
	m.tg.RefreshMasks()
	if err := m.vm.RunAll(); err != nil {
		return 0, fmt.Errorf("bench: step %d: %w", m.step, err)
	}
	loss := m.lossVal.Data().(float32)
	if err := m.tg.AfterStep(); err != nil {
		return 0, fmt.Errorf("bench: step %d: %w", m.step, err)
	}
	if err := m.solver.Step(m.vgs); err != nil {
		return 0, fmt.Errorf("bench: step %d: %w", m.step, err)
	}
	if m.keeper != nil {
		m.keeper.Reset()
	} else {
		m.vm.Reset()
	}
	return loss, nil
}

// EvalForward runs the evaluation graph (no dropout, no gradients) once on
// the first batch.
func (m *Model) EvalForward() error {
	if err := m.evm.RunAll(); err != nil {
		return fmt.Errorf("bench: eval: %w", err)
	}
	if m.ekeep != nil {
		m.ekeep.Reset()
	} else {
		m.evm.Reset()
	}
	return nil
}

// Weights returns copies of the current weight values, layer by layer
// (w0, b0, w1, b1, ...), for comparing runs.
func (m *Model) Weights() [][]float32 {
	var out [][]float32
	for _, n := range m.tg.Learnables {
		out = append(out, append([]float32(nil), n.Value().Data().([]float32)...))
	}
	return out
}

// Close releases the machines.
func (m *Model) Close() {
	m.vm.Close()
	m.evm.Close()
}
