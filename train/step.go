package train

import (
	"fmt"
	"math"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selunet/selunet/backend"
	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/graph"
	"github.com/selunet/selunet/solvers"
)

// StepConfig sizes a training step.
type StepConfig struct {
	// Batch is the number of rows per step, ≥ 1.
	Batch int
	// Features is the input width, ≥ 1: the model's input is a (Batch,
	// Features) matrix of its parameters' dtype.
	Features int
	// Seed seeds the training graph's random streams (dropout masks).
	Seed uint64
	// ResetRegisters makes the machine reallocate its intermediate tensors
	// every step (gorgonia's Reset) instead of keeping them
	// (backend.Keeper); the numbers are the same, only slower. For tests
	// and benchmarks.
	ResetRegisters bool
	// DualValues has the machine add every gradient into the parameters'
	// dual values (gorgonia.BindDualValues), which the solver reads and
	// zeroes, instead of handing the solver the gradient nodes' values
	// (backend.GradPairs); the numbers are the same, only slower. For tests
	// and benchmarks.
	DualValues bool
}

// Step is one optimizer step of a model: the training graph (model, loss,
// gradients), its tape machine with kept registers, and the solver wired to
// the gradients. Run fills a batch, runs forward and backward and updates
// the weights. The loop (Trainer), the benchmarks (package bench) and any
// custom loop run the same Step.
//
// A Step is not safe for concurrent use. Close releases its machine.
type Step struct {
	model  graph.Model
	solver solvers.Solver
	built  *graph.Built
	cfg    StepConfig
	x      tensor.Tensor
	fill   func(s *datasets.Set, rows []int)
	vm     gorgonia.VM
	keep   *backend.Keeper // nil with ResetRegisters
	vgs    []gorgonia.ValueGrad
	loss   gorgonia.Value
	// streams is the graph's random-stream state: Built.Streams, or the
	// state of its stochastic ops (graph.OpStreams).
	streams graph.Streams
}

// NewStep builds m's training graph for cfg with loss's objective and
// wires solver to its gradients. It returns an error if cfg is invalid or
// the model, the loss or the gradient cannot be built.
func NewStep(m graph.Model, loss Loss, solver solvers.Solver, cfg StepConfig) (*Step, error) {
	if cfg.Batch < 1 || cfg.Features < 1 {
		return nil, fmt.Errorf("train: step needs batch and features ≥ 1, got %d and %d", cfg.Batch, cfg.Features)
	}
	if m == nil || loss == nil || solver == nil {
		return nil, fmt.Errorf("train: step needs a model, a loss and a solver")
	}
	g := gorgonia.NewGraph()
	x := gorgonia.NewMatrix(g, m.Weights().Dtype(), gorgonia.WithShape(cfg.Batch, cfg.Features), gorgonia.WithName("x"), gorgonia.WithInit(gorgonia.Zeroes()))
	built, err := m.Build(x, graph.Train, cfg.Seed)
	if err != nil {
		return nil, err
	}
	obj, err := loss.Objective(built.Out)
	if err != nil {
		return nil, err
	}
	s := &Step{model: m, solver: solver, built: built, cfg: cfg, x: x.Value().(tensor.Tensor), fill: obj.Fill, streams: built.Streams}
	if s.streams == nil {
		s.streams = graph.OpStreams(g)
	}
	gorgonia.Read(obj.Loss, &s.loss)
	learnables := m.Weights().NodesIn(g)
	grads, err := gorgonia.Grad(obj.Loss, learnables...)
	if err != nil {
		return nil, wrapf(err, "gradient")
	}
	if cfg.DualValues {
		s.vm = graph.NewTapeMachine(g, nil, false, gorgonia.BindDualValues(learnables...))
		s.vgs = gorgonia.NodesToValueGrads(learnables)
	} else {
		// The solver reads the gradient nodes' values directly, and those
		// are overwritten by the next run: zeroing them after each step
		// would be a wasted pass.
		s.vm = graph.NewTapeMachine(g, nil, false)
		s.vgs = backend.GradPairs(learnables, grads)
		if z, ok := solver.(solvers.GradZeroer); ok {
			z.SetZeroGrads(false)
		}
	}
	if !cfg.ResetRegisters {
		// The machine keeps its intermediate tensors between steps
		// instead of reallocating them (package backend).
		s.keep = backend.NewKeeper(s.vm)
	}
	return s, nil
}

// Run trains on the given rows of set (len(rows) must be the step's batch
// size and set's width its Features): it writes their features and
// targets into the graph, runs forward and backward, and applies the
// solver. It returns the batch's loss; a NaN or infinite loss is an error
// wrapping ErrDiverged, and the weights are then left as they were.
func (s *Step) Run(set *datasets.Set, rows []int) (float64, error) {
	if len(rows) != s.cfg.Batch || set.D != s.cfg.Features {
		return 0, fmt.Errorf("train: step of %d rows × %d features given %d rows × %d", s.cfg.Batch, s.cfg.Features, len(rows), set.D)
	}
	fillX(set, rows, s.x)
	s.fill(set, rows)
	if s.built.BeforeStep != nil {
		s.built.BeforeStep()
	}
	defer s.reset()
	if err := s.vm.RunAll(); err != nil {
		return 0, err
	}
	loss := scalarOf(s.loss)
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return loss, fmt.Errorf("%w: loss is %v (lower the learning rate, or clip gradients)", ErrDiverged, loss)
	}
	if s.built.AfterStep != nil {
		if err := s.built.AfterStep(); err != nil {
			return 0, err
		}
	}
	if err := s.solver.Step(s.vgs); err != nil {
		return 0, fmt.Errorf("solver: %w", err)
	}
	return loss, nil
}

// reset prepares the machine for the next run.
func (s *Step) reset() {
	if s.keep != nil {
		s.keep.Reset()
	} else {
		s.vm.Reset()
	}
}

// Model returns the model being trained.
func (s *Step) Model() graph.Model { return s.model }

// Solver returns the solver.
func (s *Step) Solver() solvers.Solver { return s.solver }

// Config returns the step's configuration.
func (s *Step) Config() StepConfig { return s.cfg }

// Kept returns how many registers the last step kept (0 with
// ResetRegisters).
func (s *Step) Kept() int {
	if s.keep == nil {
		return 0
	}
	return s.keep.Kept()
}

// MarshalBinary saves the training graph's random streams: Built.Streams,
// or the state of the graph's stochastic ops when the model set none
// (graph.OpStreams).
func (s *Step) MarshalBinary() ([]byte, error) { return s.streams.MarshalBinary() }

// UnmarshalBinary restores random streams saved by MarshalBinary from a
// step built the same way.
func (s *Step) UnmarshalBinary(data []byte) error { return s.streams.UnmarshalBinary(data) }

// Close releases the machine.
func (s *Step) Close() error { return s.vm.Close() }

// scalarOf returns the float64 of a scalar gorgonia value.
func scalarOf(v gorgonia.Value) float64 {
	switch x := v.Data().(type) {
	case float32:
		return float64(x)
	case float64:
		return x
	case []float32:
		return float64(x[0])
	case []float64:
		return x[0]
	}
	return math.NaN()
}
