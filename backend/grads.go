// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

package backend

import (
	"fmt"

	"gorgonia.org/gorgonia"
)

// gradPair is a parameter node and its gradient node.
type gradPair struct{ w, g *gorgonia.Node }

// Value returns the parameter's value.
func (p gradPair) Value() gorgonia.Value { return p.w.Value() }

// Grad returns the gradient node's value.
func (p gradPair) Grad() (gorgonia.Value, error) {
	if v := p.g.Value(); v != nil {
		return v, nil
	}
	return nil, fmt.Errorf("backend: gradient node %v of %v has no value; run the machine first", p.g, p.w)
}

// GradPairs pairs each parameter node with its gradient node (the nodes
// gorgonia.Grad returns, in the same order) for a solver's Step, in place of
// gorgonia.NodesToValueGrads with a machine built with BindDualValues.
//
// With BindDualValues the tape machine adds every gradient into a separate
// buffer held in the parameter's dual value, which the solver then reads and
// zeroes: one extra read-add-write pass over all gradients per step. With
// GradPairs and a machine built without BindDualValues the solver reads the
// gradient nodes' values directly; the numbers are bit-identical (0 + g = g).
// A solver that zeroes gradients after its step zeroes those values, which
// the next run overwrites. Read the gradients after RunAll and before the
// machine's next Reset.
//
// It panics if the slices differ in length or hold a nil node.
func GradPairs(params, grads gorgonia.Nodes) []gorgonia.ValueGrad {
	if len(params) != len(grads) {
		panic(fmt.Sprintf("backend: GradPairs: %d parameters, %d gradients", len(params), len(grads)))
	}
	out := make([]gorgonia.ValueGrad, len(params))
	for i := range params {
		if params[i] == nil || grads[i] == nil {
			panic(fmt.Sprintf("backend: GradPairs: nil node at %d", i))
		}
		out[i] = gradPair{w: params[i], g: grads[i]}
	}
	return out
}
