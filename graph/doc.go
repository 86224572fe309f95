// Package graph holds the pieces every selunet network shares: seeded weight
// initializers, named parameters that live outside any Gorgonia graph, and the
// train/eval mode switch.
//
// # Parameters
//
// A Param owns a *tensor.Dense. Param.Node binds that tensor into a
// *gorgonia.ExprGraph as an input node (the same backing array, not a copy), so
// one set of weights can drive several graphs, typically a train graph (with
// alpha dropout in training mode) and an eval graph (identity dropout):
//
//	ps := graph.NewParams(tensor.Float32, 42)
//	w := ps.Add("l0/w", tensor.Shape{784, 256}, graph.LeCunNormal())
//	train, eval := gorgonia.NewGraph(), gorgonia.NewGraph()
//	wt, we := w.Node(train), w.Node(eval) // both read w.Value
//
// A solver that updates w.Value in place (as Gorgonia's solvers do) therefore
// updates every graph at once. Gorgonia v0.9.18 loads input nodes by reference
// (tapeMachine loadArg writes the bound *tensor.Dense into its register), and
// BindDualValues wraps, but does not copy or replace, that tensor; the package
// tests check both facts (also for Gorgonia's Adam solver and the
// LispMachine).
//
// A TapeMachine built with BindDualValues (see NewTapeMachine) adds each
// run's gradients into the parameters' dual values instead of overwriting
// them; Gorgonia's solvers zero them in Step. Params.ZeroGrads does the same
// for code that reads gradients without a solver step.
//
// # Initializers
//
// Initializers draw from an explicit *rand.Rand (math/rand/v2), so a Params set
// built with the same seed, dtype and sequence of Add calls is bit-identical.
// For a weight of shape (in, out), fanIn = in and fanOut = out; for a 1-D shape
// fanIn = fanOut = s[0]; for rank ≥ 3 the trailing dimensions are a receptive
// field that multiplies both. SNNs (Klambauer et al. 2017, arXiv:1706.02515,
// Sec. 2 "Initialization") use LeCun normal, N(0, 1/fanIn), untruncated as in
// PyTorch's kaiming_normal_(mode="fan_in", nonlinearity="linear").
//
//	LeCunNormal   N(0, 1/fanIn)
//	HeNormal      N(0, 2/fanIn)                 (MSRA)
//	GlorotNormal  N(0, 2/(fanIn+fanOut))
//	GlorotUniform U(-l, l), l = sqrt(6/(fanIn+fanOut))
//
// # Models
//
// A Model (nets.Net, or a hand-written network) holds its weights in a
// Params and builds its output on the graph of an input node for a Mode,
// returning a Built: the output, optionally hidden activations to
// monitor, per-step bookkeeping and the state of its random streams.
// Package train trains any Model.
//
// # Modes
//
// Mode (Train or Eval) is fixed when a graph is built: stochastic ops such as
// alpha dropout take it as a build argument, so two machines on one graph can
// never disagree about it. Build a separate eval graph over the same Params.
//
// # Devices
//
// BuildDevice says where this build's machines run: CPU, or CUDA in a build
// with the cuda tag, where NewTapeMachine also registers the GPU kernels
// (internal/cuda/kernels) and builds the machine on a locked OS thread, and
// Gorgonia places every op that has a GPU kernel on the GPU. CheckDevice
// turns a requested device (the config key `device`) into nil or one error
// that says which build to use.
package graph
