package graph

import (
	"encoding"

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
	// masks as an uninterrupted one.
	Streams Streams
}

// Streams is the state of a graph's random streams.
type Streams interface {
	encoding.BinaryMarshaler
	encoding.BinaryUnmarshaler
}
