package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	// backend selects the BLAS behind Gorgonia's matrix products (the fast
	// pure-Go Sgemm by default, OpenBLAS with the build tag openblas).
	"github.com/selunet/selunet/backend"
	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/graph"
	"github.com/selunet/selunet/losses"
	"github.com/selunet/selunet/nets"
	"github.com/selunet/selunet/solvers"
)

// ErrDiverged is wrapped by the error Fit returns when the training loss
// becomes NaN or infinite.
var ErrDiverged = errors.New("train: loss diverged")

// LayerStat is the mean and variance of one hidden layer's activations over
// all units and rows of a probe batch.
type LayerStat struct {
	Mean     float64 `json:"mean"`
	Variance float64 `json:"variance"`
}

// Record is one epoch of the history.
type Record struct {
	// Epoch counts from 1; epoch 0 is the untrained network (no train_loss).
	Epoch int `json:"epoch"`
	// Metrics maps metric names (TrainLoss, ValLoss, ValAUC, ...) to values.
	Metrics map[string]float64 `json:"metrics"`
	// LR is the learning rate used during the epoch.
	LR float64 `json:"lr"`
	// Seconds is the epoch's wall time, evaluation included.
	Seconds float64 `json:"seconds"`
	// Layers holds per-hidden-layer activation statistics on the probe
	// rows (Config.StatsRows), in depth order; nil when disabled.
	Layers []LayerStat `json:"layers,omitempty"`
}

// History is every epoch's record plus how the run ended.
type History struct {
	Records []Record `json:"records"`
	// BestEpoch is the epoch with the best (smoothed) validation metric,
	// −1 before the first validation.
	BestEpoch int `json:"best_epoch"`
	// Best is the best smoothed metric value (0 while BestEpoch is −1).
	Best float64 `json:"best"`
	// StopReason says why training ended.
	StopReason string `json:"stop_reason"`
}

// Hook observes the loop. Any method may be a no-op; embed NopHook to write
// only the ones needed. An error from EpochEnd stops training.
type Hook interface {
	EpochStart(epoch, epochs, steps int)
	Step(step int, loss float64)
	EpochEnd(t *Trainer, r Record) error
}

// NopHook implements Hook with methods that do nothing.
type NopHook struct{}

// EpochStart does nothing.
func (NopHook) EpochStart(epoch, epochs, steps int) {}

// Step does nothing.
func (NopHook) Step(step int, loss float64) {}

// EpochEnd does nothing.
func (NopHook) EpochEnd(t *Trainer, r Record) error { return nil }

// Option configures a Trainer.
type Option func(*Trainer)

// WithHooks adds hooks, called in the order given.
func WithHooks(h ...Hook) Option { return func(t *Trainer) { t.hooks = append(t.hooks, h...) } }

// Trainer trains one network on one training set and validates on another.
type Trainer struct {
	net    *nets.Net
	solver solvers.Solver
	cfg    Config
	seed   uint64
	train  *datasets.Set
	val    *datasets.Set
	hooks  []Hook

	tg      *nets.Graph
	tvm     gorgonia.VM
	keep    *backend.Keeper
	vgs     []gorgonia.ValueGrad
	loss    gorgonia.Value
	y, mask *gorgonia.Node
	batch   int
	eval    *evaluator
	stats   *evaluator

	pcg *rand.PCG
	rng *rand.Rand

	// loop state, saved in checkpoints
	epoch      int
	history    History
	smooth     []float64
	bad        int
	early      bool
	bestParams *graph.Params
}

// New prepares a Trainer: it validates cfg, builds the training and
// evaluation graphs over net's weights and seeds every random stream from
// seed. val may be nil (no validation metrics and no early stopping).
func New(net *nets.Net, solver solvers.Solver, trainSet, val *datasets.Set, cfg Config, seed uint64, opts ...Option) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := checkSet("training set", trainSet, net); err != nil {
		return nil, err
	}
	if val != nil {
		if err := checkSet("validation set", val, net); err != nil {
			return nil, err
		}
	}
	t := &Trainer{net: net, solver: solver, cfg: cfg, seed: seed, train: trainSet, val: val}
	for _, o := range opts {
		o(t)
	}
	t.pcg = rand.NewPCG(seed, 0x5e1a_5eed)
	t.rng = rand.New(t.pcg)
	t.batch = min(cfg.BatchSize, trainSet.N)
	if err := t.buildTrain(); err != nil {
		return nil, err
	}
	var err error
	if t.eval, err = newEvaluator(net, cfg.EvalBatchSize, false); err != nil {
		return nil, err
	}
	if cfg.StatsRows > 0 {
		if t.stats, err = newEvaluator(net, min(cfg.StatsRows, trainSet.N), true); err != nil {
			return nil, err
		}
	}
	t.history.BestEpoch = -1
	return t, nil
}

func checkSet(what string, s *datasets.Set, net *nets.Net) error {
	switch {
	case s == nil || s.N == 0:
		return fmt.Errorf("train: %s is empty", what)
	case s.D != net.Inputs:
		return fmt.Errorf("train: %s has %d features, the network expects %d", what, s.D, net.Inputs)
	case net.Head == nets.Binary && s.T != net.Outputs:
		return fmt.Errorf("train: %s has %d tasks, the network has %d outputs", what, s.T, net.Outputs)
	case net.Head == nets.MultiClass && (s.T != 1 || s.Classes != net.Outputs):
		return fmt.Errorf("train: %s has %d classes in %d label columns, the network expects %d classes in 1", what, s.Classes, s.T, net.Outputs)
	}
	return nil
}

// buildTrain builds the training graph, its loss and its gradient.
func (t *Trainer) buildTrain() error {
	g := gorgonia.NewGraph()
	tg, err := t.net.Build(g, t.batch, graph.Train, t.seed)
	if err != nil {
		return err
	}
	dt := t.net.Spec.TensorDtype()
	var loss *gorgonia.Node
	t.y = gorgonia.NewMatrix(g, dt, gorgonia.WithShape(t.batch, t.net.Outputs), gorgonia.WithName("y"), gorgonia.WithInit(gorgonia.Zeroes()))
	if t.net.Head == nets.Binary {
		t.mask = gorgonia.NewMatrix(g, dt, gorgonia.WithShape(t.batch, t.net.Outputs), gorgonia.WithName("mask"), gorgonia.WithInit(gorgonia.Ones()))
		loss, err = losses.BCEWithLogits(tg.Logits, t.y, t.mask)
	} else {
		loss, err = losses.SoftmaxCrossEntropy(tg.Logits, t.y, nil)
	}
	if err != nil {
		return fmt.Errorf("train: loss: %w", err)
	}
	gorgonia.Read(loss, &t.loss)
	grads, err := gorgonia.Grad(loss, tg.Learnables...)
	if err != nil {
		return fmt.Errorf("train: gradient: %w", err)
	}
	t.tg = tg
	// The solver reads the gradient nodes' values directly (no dual
	// values), and the machine keeps its intermediate tensors between
	// steps instead of reallocating them (package backend).
	t.tvm = graph.NewTapeMachine(g, nil, false)
	t.keep = backend.NewKeeper(t.tvm)
	t.vgs = backend.GradPairs(tg.Learnables, grads)
	// The gradient registers are overwritten by the next run, so zeroing
	// them after each step would be a wasted pass.
	if z, ok := t.solver.(solvers.GradZeroer); ok {
		z.SetZeroGrads(false)
	}
	return nil
}

// Net returns the network being trained.
func (t *Trainer) Net() *nets.Net { return t.net }

// History returns the records so far.
func (t *Trainer) History() *History { return &t.history }

// Fit trains until Config.Epochs, early stopping or an error, and returns
// the history. With Config.RestoreBest the weights of the best epoch are
// restored before returning. Fit continues from the saved state after
// LoadCheckpoint.
func (t *Trainer) Fit(ctx context.Context) (*History, error) {
	if t.epoch == 0 && len(t.history.Records) == 0 {
		rec, err := t.evaluateEpoch(0, 0, math.NaN(), time.Now())
		if err != nil {
			return nil, err
		}
		t.history.Records = append(t.history.Records, rec)
	}
	for t.epoch < t.cfg.Epochs {
		if err := ctx.Err(); err != nil {
			return &t.history, err
		}
		if t.early {
			break
		}
		if err := t.runEpoch(ctx); err != nil {
			return &t.history, err
		}
	}
	if !t.early {
		t.history.StopReason = fmt.Sprintf("reached %d epochs", t.cfg.Epochs)
	}
	if t.cfg.RestoreBest && t.bestParams != nil {
		if err := t.net.Params.CopyFrom(t.bestParams); err != nil {
			return &t.history, fmt.Errorf("train: restoring best weights: %w", err)
		}
	}
	return &t.history, nil
}

// runEpoch trains one epoch, evaluates, updates early stopping and calls
// the hooks.
func (t *Trainer) runEpoch(ctx context.Context) error {
	start := time.Now()
	epoch := t.epoch + 1
	lr := t.solver.LR()
	n := t.train.N
	steps := n / t.batch
	for _, h := range t.hooks {
		h.EpochStart(epoch, t.cfg.Epochs, steps)
	}
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	t.rng.Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
	var sum float64
	for s := 0; s < steps; s++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		loss, err := t.step(perm[s*t.batch : (s+1)*t.batch])
		if err != nil {
			return fmt.Errorf("train: epoch %d step %d: %w", epoch, s+1, err)
		}
		sum += loss
		for _, h := range t.hooks {
			h.Step(s+1, loss)
		}
	}
	rec, err := t.evaluateEpoch(epoch, lr, sum/float64(steps), start)
	if err != nil {
		return err
	}
	t.epoch = epoch
	t.history.Records = append(t.history.Records, rec)
	t.earlyStopping(rec)
	for _, h := range t.hooks {
		if err := h.EpochEnd(t, rec); err != nil {
			return fmt.Errorf("train: epoch %d hook: %w", epoch, err)
		}
	}
	return nil
}

// step runs one optimizer step on the given training rows.
func (t *Trainer) step(rows []int) (float64, error) {
	x := t.tg.X.Value().(tensor.Tensor)
	if t.net.Head == nets.Binary {
		fillBatch(t.train, rows, x, t.y.Value().(tensor.Tensor), t.mask.Value().(tensor.Tensor))
	} else {
		fillBatch(t.train, rows, x, nil, nil)
		fillOneHot(t.y.Value().(tensor.Tensor), t.train, rows)
	}
	t.tg.RefreshMasks()
	defer t.keep.Reset()
	if err := t.tvm.RunAll(); err != nil {
		return 0, err
	}
	loss := scalarOf(t.loss)
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return loss, fmt.Errorf("%w: loss is %v (lower the learning rate, or clip gradients)", ErrDiverged, loss)
	}
	if err := t.tg.AfterStep(); err != nil {
		return 0, err
	}
	if err := t.solver.Step(t.vgs); err != nil {
		return 0, fmt.Errorf("solver: %w", err)
	}
	return loss, nil
}

// evaluateEpoch computes validation metrics and layer statistics.
func (t *Trainer) evaluateEpoch(epoch int, lr, trainLoss float64, start time.Time) (Record, error) {
	rec := Record{Epoch: epoch, LR: lr, Metrics: map[string]float64{}}
	if !math.IsNaN(trainLoss) {
		rec.Metrics[TrainLoss] = trainLoss
	}
	if t.val != nil {
		m, err := t.Evaluate(t.val)
		if err != nil {
			return rec, fmt.Errorf("train: epoch %d validation: %w", epoch, err)
		}
		for k, v := range m {
			rec.Metrics["val_"+k] = v
		}
	}
	if t.stats != nil {
		ls, err := t.stats.layerStats(t.train)
		if err != nil {
			return rec, fmt.Errorf("train: epoch %d layer statistics: %w", epoch, err)
		}
		rec.Layers = ls
	}
	rec.Seconds = time.Since(start).Seconds()
	return rec, nil
}

// earlyStopping updates the smoothed curve, the best epoch and the stop
// reason after an epoch.
func (t *Trainer) earlyStopping(rec Record) {
	v, ok := rec.Metrics[t.cfg.Metric]
	if !ok {
		return
	}
	t.smooth = append(t.smooth, v)
	w := min(len(t.smooth), t.cfg.Smoothing)
	var s float64
	for _, x := range t.smooth[len(t.smooth)-w:] {
		s += x
	}
	s /= float64(w)
	better := t.history.BestEpoch < 0
	if !better {
		if HigherIsBetter(t.cfg.Metric) {
			better = s > t.history.Best+t.cfg.MinDelta
		} else {
			better = s < t.history.Best-t.cfg.MinDelta
		}
	}
	if better && !math.IsNaN(s) {
		t.history.Best, t.history.BestEpoch, t.bad = s, rec.Epoch, 0
		if t.cfg.RestoreBest {
			if t.bestParams == nil {
				t.bestParams = t.net.Params.Clone()
			} else if err := t.bestParams.CopyFrom(t.net.Params); err != nil {
				panic(err) // same parameter set: cannot fail
			}
		}
		return
	}
	t.bad++
	if t.cfg.Patience > 0 && t.bad >= t.cfg.Patience {
		t.early = true
		t.history.StopReason = fmt.Sprintf("early stopping at epoch %d: %s did not improve for %d epochs (best %.6g at epoch %d)",
			rec.Epoch, t.cfg.Metric, t.bad, t.history.Best, t.history.BestEpoch)
	}
}

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
