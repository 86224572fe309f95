// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

package bench

import (
	"fmt"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selunet/selunet/backend"
	"github.com/selunet/selunet/ops/selu"
)

// Micro operations and modes, as named by torch_snn_bench.py.
const (
	OpSELU         = "selu"
	OpAlphaDropout = "alpha_dropout"
	ModeFwd        = "fwd"
	ModeFwdBwd     = "fwd+bwd"
)

// Micro is one elementwise op in its own graph: forward only (no gradient),
// or forward plus the gradient with respect to the input given a fixed
// random upstream gradient (gorgonia.Backpropagate), like
// torch.autograd.grad(y, x, g).
type Micro struct {
	vm    gorgonia.VM
	keep  *backend.Keeper
	model *Model // for the dropout stand-in's per-call scale and offset
}

// NewMicro builds op (OpSELU or OpAlphaDropout with rate p) on a
// rows×cols float32 input from N(0, 1), in mode ModeFwd or ModeFwdBwd.
func NewMicro(op, mode string, rows, cols int, p float64, seed uint64) (*Micro, error) {
	if rows < 1 || cols < 1 {
		return nil, fmt.Errorf("bench: micro shape must be positive, got %dx%d", rows, cols)
	}
	if mode != ModeFwd && mode != ModeFwdBwd {
		return nil, fmt.Errorf("bench: unknown micro mode %q", mode)
	}
	rng := rand.New(rand.NewPCG(seed, 0x31))
	randn := func() *tensor.Dense {
		d := make([]float32, rows*cols)
		for i := range d {
			d[i] = float32(rng.NormFloat64())
		}
		return tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(d))
	}
	g := gorgonia.NewGraph()
	x := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithName("x"), gorgonia.WithValue(randn()))
	mi := &Micro{}
	var y *gorgonia.Node
	var err error
	switch op {
	case OpSELU:
		y, err = Activation(x)
	case OpAlphaDropout:
		y, mi.model, err = dropoutStandIn(g, x, rows, cols, p, seed)
	default:
		return nil, fmt.Errorf("bench: unknown micro op %q", op)
	}
	if err != nil {
		return nil, err
	}
	if mode == ModeFwdBwd {
		gy := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithName("gy"), gorgonia.WithValue(randn()))
		if _, err = gorgonia.Backpropagate(gorgonia.Nodes{y}, gorgonia.Nodes{gy}, gorgonia.Nodes{x}); err != nil {
			return nil, err
		}
	}
	mi.vm = gorgonia.NewTapeMachine(g)
	mi.keep = backend.NewKeeper(mi.vm)
	return mi, nil
}

// dropoutStandIn is alpha dropout as y = x⊙scale + offset with per-call
// scale and offset tensors (see Model.fillDropout).
func dropoutStandIn(g *gorgonia.ExprGraph, x *gorgonia.Node, rows, cols int, p float64, seed uint64) (*gorgonia.Node, *Model, error) {
	m := &Model{cfg: Config{Dropout: p}, rng: rand.New(rand.NewPCG(seed, 0xd0))}
	sc := tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(rows, cols))
	of := tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(rows, cols))
	m.scale, m.offset = []*tensor.Dense{sc}, []*tensor.Dense{of}
	scn := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithName("scale"), gorgonia.WithValue(sc))
	ofn := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithName("offset"), gorgonia.WithValue(of))
	h, err := gorgonia.HadamardProd(x, scn)
	if err != nil {
		return nil, nil, err
	}
	h, err = gorgonia.Add(h, ofn)
	return h, m, err
}

// Run executes the graph once.
func (mi *Micro) Run() error {
	if mi.model != nil {
		mi.model.fillDropout()
	}
	if err := mi.vm.RunAll(); err != nil {
		return err
	}
	mi.keep.Reset()
	return nil
}

// Close releases the machine.
func (mi *Micro) Close() { mi.vm.Close() }

// Activation is the hidden nonlinearity of the benchmark network: the
// project's SELU op.
var Activation = selu.Apply

// ActivationName names Activation in the benchmark output.
var ActivationName = "ops/selu"

// DropoutName names the dropout implementation in the benchmark output.
var DropoutName = "scale+offset inputs (stand-in for alpha dropout)"
