package graph

import (
	"gorgonia.org/gorgonia"

	// backend installs selunet's BLAS in Gorgonia when it is loaded: every
	// program that builds machines with NewTapeMachine gets it.
	_ "github.com/selunet/selunet/backend"
)

// NewTapeMachine compiles g into a TapeMachine. With train = true it binds
// dual values (gradients) for the trainable parameters of ps that have a node
// in g, as a solver needs after gorgonia.Grad; with train = false it binds
// none. Extra options are passed through to gorgonia.NewTapeMachine.
//
// Importing this package installs selunet's BLAS for Gorgonia's matrix
// products (package backend: an AVX2+FMA float32 Sgemm, or OpenBLAS with
// the build tag openblas), so the machine gets it whether or not the
// program imports backend itself.
//
// Unlike a machine from gorgonia.NewTapeMachine, this one can be
// garbage-collected when it is part of a reference cycle. Gorgonia v0.9.18 sets a finalizer
// on every tape machine (a no-op without the cuda build tag), and Go never
// collects a cycle that holds an object with a finalizer. Such cycles are
// the normal case: gorgonia.Read(n, &s.field) makes the machine point into
// s, and s holds the machine, so the machine and every tensor it holds
// would live as long as the process (for each Trainer of a grid search).
// NewTapeMachine clears that finalizer, and the cycle is collected like any
// other. With the cuda tag the finalizer frees the machine's CUDA contexts
// and is kept: break such cycles yourself there (Close the machine).
func NewTapeMachine(g *gorgonia.ExprGraph, ps *Params, train bool, opts ...gorgonia.VMOpt) gorgonia.VM {
	if train && ps != nil {
		opts = append([]gorgonia.VMOpt{gorgonia.BindDualValues(ps.NodesIn(g)...)}, opts...)
	}
	vm := newTapeMachine(g, opts...)
	releaseFinalizer(vm)
	return vm
}
