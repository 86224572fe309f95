package graph

import (
	"encoding"
	"encoding/binary"
	"fmt"

	"gorgonia.org/gorgonia"
)

// Model is a network that builds its output on a graph. Its weights live in
// a Params outside any graph (Param.Node binds them), so one Model can be
// built into a training graph and an evaluation graph that share them.
// nets.Net is one implementation; a hand-written network is another (see
// package train's Example).
type Model interface {
	// Weights returns the model's parameters. Parameters created lazily by
	// Build (Params.Add on first use) must be created in the same order
	// on every call.
	Weights() *Params
	// Build adds the model to x's graph for mode: x is the (batch,
	// features) input node; the result's Out is the (batch, outputs)
	// output. seed seeds every random stream of a Train graph (dropout
	// masks); Eval graphs are deterministic. Build must use mode only at
	// build time: a graph is built for one mode.
	Build(x *gorgonia.Node, mode Mode, seed uint64) (*Built, error)
}

// Built is a Model bound into one graph. Only Out is required.
type Built struct {
	// Out is the (batch, outputs) output node: the logits a loss reads.
	Out *gorgonia.Node
	// Hidden are activations whose mean and variance a training loop may
	// record (train.Config.StatsRows), in depth order; nil for none.
	Hidden []*gorgonia.Node
	// BeforeStep, if not nil, runs before every training step (e.g. to
	// draw new dropout masks held in input nodes).
	BeforeStep func()
	// AfterStep, if not nil, runs after every training step's forward and
	// backward pass, before the solver's update (e.g. to update batch
	// normalization running statistics).
	AfterStep func() error
	// Streams, if not nil, saves and restores the graph's random streams,
	// so that a training run resumed from a checkpoint draws the same
	// masks as an uninterrupted one. When nil, package train uses
	// OpStreams (the state of stochastic ops such as alpha dropout).
	Streams Streams
}

// Streams is the state of a graph's random streams.
type Streams interface {
	encoding.BinaryMarshaler
	encoding.BinaryUnmarshaler
}

// OpStreams returns the state of the ops of g that keep one (ops that
// implement encoding.BinaryMarshaler and encoding.BinaryUnmarshaler, such as
// alpha dropout's random streams), in node order. package train saves it
// for a model whose Built.Streams is nil, so a hand-written graph with
// stochastic ops resumes exactly without code of its own. Ops added to g
// after the call are not included.
func OpStreams(g *gorgonia.ExprGraph) Streams {
	var s opStreams
	if g == nil {
		return s
	}
	for _, n := range g.AllNodes() {
		if st, ok := n.Op().(Streams); ok {
			s = append(s, st)
		}
	}
	return s
}

// opStreams is the state of several ops, each length-prefixed (uvarint).
type opStreams []Streams

// MarshalBinary implements encoding.BinaryMarshaler.
func (s opStreams) MarshalBinary() ([]byte, error) {
	var out []byte
	for _, st := range s {
		b, err := st.MarshalBinary()
		if err != nil {
			return nil, err
		}
		out = binary.AppendUvarint(out, uint64(len(b)))
		out = append(out, b...)
	}
	return out, nil
}

// UnmarshalBinary implements encoding.BinaryUnmarshaler: data must hold the
// state of as many ops as s, as MarshalBinary wrote it for a graph built the
// same way.
func (s opStreams) UnmarshalBinary(data []byte) error {
	for i, st := range s {
		l, k := binary.Uvarint(data)
		if k <= 0 || uint64(len(data)-k) < l {
			return fmt.Errorf("graph: op state %d of %d is truncated", i+1, len(s))
		}
		if err := st.UnmarshalBinary(data[k : k+int(l)]); err != nil {
			return fmt.Errorf("graph: op state %d of %d: %w", i+1, len(s), err)
		}
		data = data[k+int(l):]
	}
	if len(data) != 0 {
		return fmt.Errorf("graph: op state has %d unexpected trailing bytes (graph built differently?)", len(data))
	}
	return nil
}
