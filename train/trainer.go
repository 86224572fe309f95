package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/graph"
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
	// Records holds one record per evaluated epoch, from epoch 0.
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
	// EpochStart is called before the first step of epoch (1-based) of
	// epochs, which will run steps minibatch steps.
	EpochStart(epoch, epochs, steps int)
	// Step is called after step (1-based within the epoch) with its
	// minibatch loss.
	Step(step int, loss float64)
	// EpochEnd is called after the epoch's validation with its record; an
	// error stops training.
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

// Trainer is the training loop: seeded shuffling into minibatches, one Step
// per batch, validation after every epoch, early stopping, hooks and
// checkpoints. The step (graph, gradients, machine, solver) and the
// evaluation graphs are built by New from a model and a loss.
type Trainer struct {
	step  *Step
	loss  Loss
	eval  *Evaluator
	stats *Evaluator // nil when Config.StatsRows is 0
	cfg   Config
	train *datasets.Set
	val   *datasets.Set
	hooks []Hook
	pcg   *rand.PCG // shuffling
	rng   *rand.Rand
	st    loopState     // saved in checkpoints
	best  *graph.Params // the best epoch's weights (Config.RestoreBest)
}

// evalBatch is the evaluation batch for a validation set of n rows: the
// fewest batches of at most max rows, of equal size, so that each epoch's
// evaluation pads fewer rows than it has batches (a validation set of 3
// rows is not padded to 1024). max when n is 0 (no validation set).
func evalBatch(max, n int) int {
	if n < 1 {
		return max
	}
	k := (n + max - 1) / max
	return (n + k - 1) / k
}

// New prepares the loop for model m with objective loss and solver on
// trainSet, validating on val: it validates cfg, checks that the sets fit
// the model and the loss, builds the training Step (batches of
// min(cfg.BatchSize, trainSet.N) rows) and the evaluation graphs over m's
// weights, and seeds every random stream from seed (shuffling, dropout
// masks). val may be nil (no validation metrics and no early stopping).
func New(m graph.Model, loss Loss, solver solvers.Solver, trainSet, val *datasets.Set, cfg Config, seed uint64, opts ...Option) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if m == nil || loss == nil {
		return nil, fmt.Errorf("train: New needs a model and a loss")
	}
	if trainSet == nil || trainSet.N == 0 {
		return nil, fmt.Errorf("train: training set is empty")
	}
	t := &Trainer{loss: loss, cfg: cfg, train: trainSet, val: val}
	for _, o := range opts {
		o(t)
	}
	t.pcg = rand.NewPCG(seed, 0x5e1a_5eed)
	t.rng = rand.New(t.pcg)
	var err error
	valRows := 0
	if val != nil {
		valRows = val.N
	}
	if t.eval, err = newEvaluator(m, trainSet.D, evalBatch(cfg.EvalBatchSize, valRows), false); err != nil {
		return nil, err
	}
	if err := t.checkSet("training set", trainSet); err != nil {
		return nil, err
	}
	if val != nil {
		if err := t.checkSet("validation set", val); err != nil {
			return nil, err
		}
	}
	t.step, err = NewStep(m, loss, solver, StepConfig{Batch: min(cfg.BatchSize, trainSet.N), Features: trainSet.D, Seed: seed})
	if err != nil {
		return nil, err
	}
	if cfg.StatsRows > 0 {
		if t.stats, err = newEvaluator(m, trainSet.D, min(cfg.StatsRows, trainSet.N), true); err != nil {
			return nil, err
		}
	}
	t.st.History.BestEpoch = -1
	return t, nil
}

// checkSet checks that s is not empty and fits the model's input and the
// loss's labels.
func (t *Trainer) checkSet(what string, s *datasets.Set) error {
	switch {
	case s == nil || s.N == 0:
		return fmt.Errorf("train: %s is empty", what)
	case s.D != t.eval.features:
		return fmt.Errorf("train: %s has %d features, the network expects %d", what, s.D, t.eval.features)
	}
	return t.loss.Check(what, s, t.eval.outputs)
}

// Step returns the training step.
func (t *Trainer) Step() *Step { return t.step }

// Model returns the model being trained.
func (t *Trainer) Model() graph.Model { return t.step.model }

// History returns the records so far.
func (t *Trainer) History() *History { return &t.st.History }

// Close releases the machines.
func (t *Trainer) Close() error {
	err := t.step.Close()
	if e := t.eval.Close(); err == nil {
		err = e
	}
	if t.stats != nil {
		if e := t.stats.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Fit trains until Config.Epochs, early stopping or an error, and returns
// the history. With Config.RestoreBest the weights of the best epoch are
// restored before returning. After Restore, Fit continues from the
// checkpoint's state.
func (t *Trainer) Fit(ctx context.Context) (*History, error) {
	st := &t.st
	if st.Epoch == 0 && len(st.History.Records) == 0 {
		rec, err := t.evaluateEpoch(0, 0, math.NaN(), time.Now())
		if err != nil {
			return nil, err
		}
		st.History.Records = append(st.History.Records, rec)
	}
	for st.Epoch < t.cfg.Epochs && !st.Early {
		if err := ctx.Err(); err != nil {
			return &st.History, err
		}
		if err := t.runEpoch(ctx); err != nil {
			return &st.History, err
		}
	}
	if !st.Early {
		st.History.StopReason = fmt.Sprintf("reached %d epochs", t.cfg.Epochs)
	}
	if t.cfg.RestoreBest && t.best != nil {
		if err := t.Model().Weights().CopyFrom(t.best); err != nil {
			return &st.History, wrapf(err, "restoring best weights")
		}
	}
	return &st.History, nil
}

// runEpoch trains one epoch, evaluates, updates early stopping and calls
// the hooks.
func (t *Trainer) runEpoch(ctx context.Context) error {
	start := time.Now()
	epoch := t.st.Epoch + 1
	lr := t.step.solver.LR()
	n, batch := t.train.N, t.step.cfg.Batch
	steps := n / batch
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
		loss, err := t.step.Run(t.train, perm[s*batch:(s+1)*batch])
		if err != nil {
			return wrapf(err, "epoch %d step %d", epoch, s+1)
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
	t.st.Epoch = epoch
	t.st.History.Records = append(t.st.History.Records, rec)
	t.earlyStopping(rec)
	for _, h := range t.hooks {
		if err := h.EpochEnd(t, rec); err != nil {
			return wrapf(err, "epoch %d hook", epoch)
		}
	}
	return nil
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
			return rec, wrapf(err, "epoch %d validation", epoch)
		}
		for k, v := range m {
			rec.Metrics["val_"+k] = v
		}
	}
	if t.stats != nil {
		ls, err := t.stats.layerStats(t.train)
		if err != nil {
			return rec, wrapf(err, "epoch %d layer statistics", epoch)
		}
		rec.Layers = ls
	}
	rec.Seconds = time.Since(start).Seconds()
	return rec, nil
}

// earlyStopping updates the smoothed curve, the best epoch and the stop
// reason after an epoch.
func (t *Trainer) earlyStopping(rec Record) {
	st := &t.st
	v, ok := rec.Metrics[t.cfg.Metric]
	if !ok {
		return
	}
	st.Smooth = append(st.Smooth, v)
	w := min(len(st.Smooth), t.cfg.Smoothing)
	var s float64
	for _, x := range st.Smooth[len(st.Smooth)-w:] {
		s += x
	}
	s /= float64(w)
	if rec.Epoch < t.cfg.StartFromEpoch {
		return
	}
	better := st.History.BestEpoch < 0
	if !better {
		if HigherIsBetter(t.cfg.Metric) {
			better = s > st.History.Best+t.cfg.MinDelta
		} else {
			better = s < st.History.Best-t.cfg.MinDelta
		}
	}
	if better && !math.IsNaN(s) {
		st.History.Best, st.History.BestEpoch, st.Bad = s, rec.Epoch, 0
		if t.cfg.RestoreBest {
			w := t.Model().Weights()
			if t.best == nil {
				t.best = w.Clone()
			} else if err := t.best.CopyFrom(w); err != nil {
				panic(err) // same parameter set: cannot fail
			}
		}
		return
	}
	st.Bad++
	if t.cfg.Patience > 0 && st.Bad >= t.cfg.Patience {
		st.Early = true
		st.History.StopReason = fmt.Sprintf("early stopping at epoch %d: %s did not improve for %d epochs (best %.6g at epoch %d)",
			rec.Epoch, t.cfg.Metric, st.Bad, st.History.Best, st.History.BestEpoch)
	}
}

// Evaluate returns the loss's metrics (Loss.Score: "loss", "auc",
// "accuracy", ...) of the current weights on s.
func (t *Trainer) Evaluate(s *datasets.Set) (map[string]float64, error) {
	if err := t.checkSet("evaluation set", s); err != nil {
		return nil, err
	}
	return t.eval.Evaluate(s, t.loss)
}

// Predict returns the loss's probabilities of the current weights for
// every row of s, row-major (N × outputs): sigmoids for BinaryCE, softmaxes
// for SoftmaxCE. Only s's features are read; s needs no labels.
func (t *Trainer) Predict(s *datasets.Set) ([]float64, error) {
	return t.eval.Predict(s, t.loss)
}

// LayerStats returns the per-hidden-layer activation statistics of the
// current weights on the first Config.StatsRows rows of s (at most).
func (t *Trainer) LayerStats(s *datasets.Set) ([]LayerStat, error) {
	if t.stats == nil {
		return nil, fmt.Errorf("train: layer statistics are disabled (train.stats_rows is 0)")
	}
	return t.stats.layerStats(s)
}
