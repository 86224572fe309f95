// Package solvers holds the optimizers that update a Gorgonia model's
// parameters from their gradients: SGD (with momentum and Nesterov momentum),
// Adam, AdamW (decoupled weight decay) and RMSProp, with optional coupled L2
// regularization, gradient clipping and learning-rate schedules.
//
// Every solver implements gorgonia.Solver (Step([]gorgonia.ValueGrad) error)
// and the richer Solver interface of this package (SetLR, LR, Steps, Name,
// MarshalBinary, UnmarshalBinary). They are written here from their update
// rules; Gorgonia's own solvers are not wrapped (its AdamW and AdaGrad options
// are broken in v0.9.18).
//
// # Update rules
//
// The rules follow PyTorch's torch.optim (SGD, Adam, AdamW, RMSProp) with
// dampening 0 and not centered. For one parameter w with gradient g, at step
// t = 1, 2, ... (Steps()+1 during the call) and learning rate η:
//
//	g ← clip(g)                              (see Clipping)
//	g ← g + l2·w                             (coupled L2, option "l2")
//	w ← w·(1 − η·wd)                         (decoupled decay, option "weight_decay")
//	SGD:      w ← w − η·g
//	momentum: b ← μ·b + g;  w ← w − η·b              (Nesterov: w ← w − η·(g + μ·b))
//	Adam:     m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²
//	          w ← w − η/(1−β1^t) · m / (√v/√(1−β2^t) + ε)
//	RMSProp:  v ← ρ·v + (1−ρ)·g²;  d = g/(√v + ε)
//	          w ← w − η·d   (with momentum μ > 0: b ← μ·b + d;  w ← w − η·b)
//
// AdamW is Adam with decoupled weight decay (the η·wd form of PyTorch's
// AdamW, not the raw λ of Loshchilov and Hutter, arXiv:1711.05101); it
// differs from Adam with the same coefficient given as l2, because the l2
// term passes through the moment estimates and the decoupled one does not.
// Every buffer starts at zero. Defaults: β1 0.9, β2 0.999, ε 1e-8 (Adam),
// ρ 0.99 and ε 1e-8 (RMSProp), as in PyTorch.
//
// # Clipping
//
// clip_value clamps each gradient element to [−c, c]. clip_norm then scales
// all gradients of the Step call by min(1, c/(‖g‖₂+1e-6)), where ‖g‖₂ is the
// global norm over every parameter passed to Step (as torch.nn.utils.
// clip_grad_norm_). Both act on the raw gradients, before l2 is added.
//
// # Learning-rate schedules
//
// A Schedule gives the learning rate of an optimizer step:
// LR(step) for step = 0, 1, 2, ... counts optimizer steps (Step calls), not
// epochs. A solver with an attached schedule uses LR(Steps()) in each Step.
// To decay per epoch instead, give step sizes in steps (epochs × steps per
// epoch), or attach no schedule and call SetLR(s.LR(epoch)) at each epoch.
// Constant, StepDecay, Exponential and Cosine are provided; Warmup wraps any
// of them with a linear warm-up.
//
// # Conventions
//
// Step zeroes every gradient after using it, as Gorgonia's solvers do, so
// that a VM that accumulates into gradients starts the next step from zero.
// Where the gradients are overwritten by every run instead (a TapeMachine
// with gorgonia.Grad, read through backend.GradPairs), that write pass over
// all gradients is wasted: WithoutZeroGrads, or SetZeroGrads(false) on the
// GradZeroer every solver implements, turns it off. The updates are
// bit-identical either way.
// Values and gradients must be *tensor.Dense of Float32 or Float64 (not
// views); other value types (*gorgonia.F64 scalars) make Step return an
// error. The state (moment buffers) is kept per parameter index: callers
// must pass the same parameters in the same order to every Step, which is
// what a training loop does; a change of count, size or dtype is an error.
// The state, the step counter and the learning rate are saved by
// MarshalBinary and restored by UnmarshalBinary, after which training
// continues bit for bit as if it had not stopped.
//
// # Cost
//
// Each update is one fused pass over the raw backing slices of the value,
// the gradient and the buffers, with no tensor allocations per step, so a
// step costs O(number of parameters) time and is bound by memory bandwidth:
// SGD reads and writes the values and gradients, Adam its two moment
// buffers as well. Parameters are cut into chunks of 65536 elements that
// run on up to GOMAXPROCS goroutines. Chunking depends only on the sizes,
// and partial norms are summed in chunk order, so results do not depend on
// GOMAXPROCS. On amd64 with AVX, float32 Adam/AdamW without clipping or l2
// runs an 8-wide assembly loop that performs the same IEEE operations in
// the same order as the scalar loop (no FMA), so its results are
// bit-identical (build tag purego disables it). BenchmarkStep times the
// solvers on the refbench parameters (9.4M float32), and
// BenchmarkGorgoniaBaseline Gorgonia's VanillaSolver and AdamSolver on the
// same parameters (they allocate temporaries and make several passes per
// step); bench/PERFORMANCE.md has measured times.
//
// # Configuration
//
// Config is the YAML form ("optimizer:" section, decoded by package
// config); New builds a solver from it. Validate reports bad values as
// config.FieldErrors keyed relative to the section (the loader adds
// "optimizer." and the line); New's errors carry the full key, e.g.
// "optimizer.lr: must be > 0, got -1". NewSGD, NewAdam, NewAdamW and
// NewRMSProp build the same solvers from functional options and panic on
// invalid values (a programmer error).
//
//	s, err := solvers.New(solvers.Config{Name: "adam", LR: 1e-3})
//	...
//	vm.RunAll()
//	err = s.Step(gorgonia.NodesToValueGrads(params))
package solvers
