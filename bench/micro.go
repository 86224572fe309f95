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
	"github.com/selunet/selunet/ops/alphadropout"
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
	vm   gorgonia.VM
	keep *backend.Keeper
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
		y, err = selu.Apply(x)
	case OpAlphaDropout:
		y, err = alphadropout.Apply(x, p, graph.Train, seed)
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
	mi.vm = graph.NewTapeMachine(g, nil, false)
	mi.keep = backend.NewKeeper(mi.vm)
	return mi, nil
}

// Run executes the graph once.
func (mi *Micro) Run() error {
	if err := mi.vm.RunAll(); err != nil {
		return err
	}
	mi.keep.Reset()
	return nil
}

// Close releases the machine.
func (mi *Micro) Close() { mi.vm.Close() }

// ActivationName names the activation in the benchmark output.
var ActivationName = "ops/selu"

// DropoutName names the dropout implementation in the benchmark output.
var DropoutName = "ops/alphadropout"
