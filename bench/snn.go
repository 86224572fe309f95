// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

package bench

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selunet/selunet/backend"
	"github.com/selunet/selunet/losses"
	"github.com/selunet/selunet/solvers"
)

// Alpha-dropout constants for SELU (Klambauer et al. 2017, eq. 11): the
// value a dropped unit takes before the affine correction.
const alphaPrime = -1.7580993408473766

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
	// DualValues binds gradients into the weights' dual values
	// (gorgonia.BindDualValues), the usual Gorgonia set-up: every gradient is
	// then added into a separate buffer that the solver reads and zeroes.
	// Without it the solver reads the gradient nodes' values directly
	// (GradPairs), which saves that extra pass over every gradient.
	DualValues bool
}

// DefaultConfig returns the refbench settings of
// shared/refbench/torch_snn_bench.py: batch 128, 1024 inputs, 8 hidden
// layers of 1024, alpha dropout 0.05, SGD lr 0.01, Adam lr 1e-3, 8 batches,
// seed 1234, registers kept, gradients read directly (no dual values).
func DefaultConfig() Config {
	return Config{Batch: 128, In: 1024, Hidden: 1024, Layers: 8, Dropout: 0.05,
		Optimizer: "sgd", LR: 0.01, AdamLR: 1e-3, NBatches: 8, Seed: 1234, Keep: true}
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

// Model is the refbench network in a plain Gorgonia graph (matrix
// products, bias broadcast, Activation, dropout, losses.BCEWithLogits)
// with a solver of package solvers, plus an evaluation graph that shares
// the weights.
type Model struct {
	cfg     Config
	g       *gorgonia.ExprGraph
	vm      gorgonia.VM
	keeper  *backend.Keeper
	solver  solvers.Solver
	learn   gorgonia.Nodes
	vgs     []gorgonia.ValueGrad
	x, y    *tensor.Dense
	scale   []*tensor.Dense
	offset  []*tensor.Dense
	loss    *gorgonia.Node
	lossVal gorgonia.Value
	batches []*tensor.Dense
	labels  []*tensor.Dense
	step    int
	rng     *rand.Rand

	eg    *gorgonia.ExprGraph
	evm   gorgonia.VM
	ex    *tensor.Dense
	ekeep *backend.Keeper
}

// NewModel builds the training and evaluation graphs of cfg.
func NewModel(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Model{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, 0xd0))}
	wrng := rand.New(rand.NewPCG(cfg.Seed, 0x3e))
	// weights: LeCun normal, std 1/sqrt(fan_in); biases 0
	widths := []int{cfg.In}
	for i := 0; i < cfg.Layers; i++ {
		widths = append(widths, cfg.Hidden)
	}
	widths = append(widths, 1)
	var ws, bs []*tensor.Dense
	for i := 0; i+1 < len(widths); i++ {
		in, out := widths[i], widths[i+1]
		w := make([]float32, in*out)
		std := 1 / math.Sqrt(float64(in))
		for j := range w {
			w[j] = float32(wrng.NormFloat64() * std)
		}
		ws = append(ws, tensor.New(tensor.WithShape(in, out), tensor.WithBacking(w)))
		bs = append(bs, tensor.New(tensor.WithShape(out), tensor.WithBacking(make([]float32, out))))
	}
	// data: labels from a random linear teacher
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
	if err := m.buildTrain(ws, bs); err != nil {
		return nil, err
	}
	if err := m.buildEval(ws, bs); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *Model) buildTrain(ws, bs []*tensor.Dense) error {
	cfg := m.cfg
	g := gorgonia.NewGraph()
	m.g = g
	m.x = tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(cfg.Batch, cfg.In))
	m.y = tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(cfg.Batch, 1))
	x := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(cfg.Batch, cfg.In), gorgonia.WithName("x"), gorgonia.WithValue(m.x))
	y := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(cfg.Batch, 1), gorgonia.WithName("y"), gorgonia.WithValue(m.y))
	h := x
	var err error
	for i := range ws {
		w := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(ws[i].Shape()...), gorgonia.WithName(fmt.Sprintf("w%d", i)), gorgonia.WithValue(ws[i]))
		b := gorgonia.NewVector(g, tensor.Float32, gorgonia.WithShape(bs[i].Shape()...), gorgonia.WithName(fmt.Sprintf("b%d", i)), gorgonia.WithValue(bs[i]))
		m.learn = append(m.learn, w, b)
		if h, err = gorgonia.Mul(h, w); err != nil {
			return err
		}
		if h, err = gorgonia.BroadcastAdd(h, b, nil, []byte{0}); err != nil {
			return err
		}
		if i == len(ws)-1 {
			break
		}
		if h, err = Activation(h); err != nil {
			return err
		}
		if cfg.Dropout > 0 {
			sc := tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(cfg.Batch, cfg.Hidden))
			of := tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(cfg.Batch, cfg.Hidden))
			m.scale, m.offset = append(m.scale, sc), append(m.offset, of)
			scn := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(cfg.Batch, cfg.Hidden), gorgonia.WithName(fmt.Sprintf("scale%d", i)), gorgonia.WithValue(sc))
			ofn := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(cfg.Batch, cfg.Hidden), gorgonia.WithName(fmt.Sprintf("offset%d", i)), gorgonia.WithValue(of))
			if h, err = gorgonia.HadamardProd(h, scn); err != nil {
				return err
			}
			if h, err = gorgonia.Add(h, ofn); err != nil {
				return err
			}
		}
	}
	if m.loss, err = losses.BCEWithLogits(h, y, nil); err != nil {
		return err
	}
	gorgonia.Read(m.loss, &m.lossVal)
	grads, err := gorgonia.Grad(m.loss, m.learn...)
	if err != nil {
		return err
	}
	if cfg.DualValues {
		m.vm = gorgonia.NewTapeMachine(g, gorgonia.BindDualValues(m.learn...))
		m.vgs = gorgonia.NodesToValueGrads(m.learn)
	} else {
		m.vm = gorgonia.NewTapeMachine(g)
		m.vgs = GradPairs(m.learn, grads)
	}
	if cfg.Keep {
		m.keeper = backend.NewKeeper(m.vm)
	}
	switch cfg.Optimizer {
	case "sgd":
		m.solver = solvers.NewSGD(solvers.WithLR(cfg.LR))
	default:
		m.solver = solvers.NewAdam(solvers.WithLR(cfg.AdamLR))
	}
	return nil
}

func (m *Model) buildEval(ws, bs []*tensor.Dense) error {
	cfg := m.cfg
	g := gorgonia.NewGraph()
	m.eg = g
	m.ex = m.batches[0]
	h := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(cfg.Batch, cfg.In), gorgonia.WithName("x"), gorgonia.WithValue(m.ex))
	var err error
	for i := range ws {
		w := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(ws[i].Shape()...), gorgonia.WithName(fmt.Sprintf("w%d", i)), gorgonia.WithValue(ws[i]))
		b := gorgonia.NewVector(g, tensor.Float32, gorgonia.WithShape(bs[i].Shape()...), gorgonia.WithName(fmt.Sprintf("b%d", i)), gorgonia.WithValue(bs[i]))
		if h, err = gorgonia.Mul(h, w); err != nil {
			return err
		}
		if h, err = gorgonia.BroadcastAdd(h, b, nil, []byte{0}); err != nil {
			return err
		}
		if i < len(ws)-1 {
			if h, err = Activation(h); err != nil {
				return err
			}
		}
	}
	m.evm = gorgonia.NewTapeMachine(g)
	if m.cfg.Keep {
		m.ekeep = backend.NewKeeper(m.evm)
	}
	return nil
}

// fillDropout draws the per-step alpha-dropout scale and offset: kept units
// get (a, b), dropped units (0, a·α'+b) with a, b from eq. 11 of the paper.
func (m *Model) fillDropout() {
	p := m.cfg.Dropout
	q := 1 - p
	a := 1 / math.Sqrt(q*(1+p*alphaPrime*alphaPrime))
	b := -a * alphaPrime * p
	keepS, keepO := float32(a), float32(b)
	dropO := float32(a*alphaPrime + b)
	for i := range m.scale {
		sc := m.scale[i].Data().([]float32)
		of := m.offset[i].Data().([]float32)
		for j := range sc {
			if m.rng.Float64() < q {
				sc[j], of[j] = keepS, keepO
			} else {
				sc[j], of[j] = 0, dropO
			}
		}
	}
}

// Step runs one training step on the next fixed batch and returns its loss.
func (m *Model) Step() (float32, error) {
	i := m.step % len(m.batches)
	m.step++
	copy(m.x.Data().([]float32), m.batches[i].Data().([]float32))
	copy(m.y.Data().([]float32), m.labels[i].Data().([]float32))
	m.fillDropout()
	if err := m.vm.RunAll(); err != nil {
		return 0, fmt.Errorf("bench: step %d: %w", m.step, err)
	}
	loss := m.lossVal.Data().(float32)
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
	for _, n := range m.learn {
		out = append(out, append([]float32(nil), n.Value().Data().([]float32)...))
	}
	return out
}

// Close releases the machines.
func (m *Model) Close() {
	m.vm.Close()
	m.evm.Close()
}

// gradPair is a parameter node and its gradient node.
type gradPair struct{ w, g *gorgonia.Node }

func (p gradPair) Value() gorgonia.Value { return p.w.Value() }

func (p gradPair) Grad() (gorgonia.Value, error) {
	if v := p.g.Value(); v != nil {
		return v, nil
	}
	return nil, fmt.Errorf("bench: gradient node %v of %v has no value; run the machine first", p.g, p.w)
}

// GradPairs pairs each parameter node with its gradient node from
// gorgonia.Grad, for a solver's Step: after a run of a tape machine built
// without BindDualValues, the solver reads each gradient straight from the
// gradient node's value. A solver that zeroes gradients after its step then
// zeroes that value, which the next run overwrites anyway. It panics if the
// slices differ in length.
func GradPairs(params, grads gorgonia.Nodes) []gorgonia.ValueGrad {
	if len(params) != len(grads) {
		panic(fmt.Sprintf("bench: GradPairs: %d parameters, %d gradients", len(params), len(grads)))
	}
	out := make([]gorgonia.ValueGrad, len(params))
	for i := range params {
		out[i] = gradPair{w: params[i], g: grads[i]}
	}
	return out
}
