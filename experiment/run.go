package experiment

import (
	"context"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/selunet/selunet/checkpoint"
	"github.com/selunet/selunet/config"
	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/nets"
	"github.com/selunet/selunet/solvers"
	"github.com/selunet/selunet/train"
)

// Options controls one call of Run.
type Options struct {
	// Out is the run directory; empty means cfg.Output.Dir.
	Out string
	// Resume continues the run found in Out: finished folds are kept, the
	// running fold restarts from its last checkpoint.
	Resume bool
	// Log receives progress and the summary; nil discards them.
	Log io.Writer
	// Hooks are extra training-loop hooks (called for every fold).
	Hooks []train.Hook
	// Force lets a new run (Resume false) replace the run found in Out;
	// without it that is an error (see ErrRunExists).
	Force bool
	// KeepDivergedSplits records a split whose training diverged (on
	// every grid point) as a FoldResult with StopReason "diverged", the
	// reason in Error and no metrics (TestAUC NaN, null in metrics.json),
	// and goes on with the next split, instead of ending the run with the
	// error. The Result's means are then over the splits that did not
	// diverge (the printed summary says how many); when every split
	// diverged Run still returns an error wrapping train.ErrDiverged.
	// (The sweep package trains grid points on their own this way, so
	// that each split's selection can leave a point out of exactly the
	// splits where it diverged.)
	KeepDivergedSplits bool
}

// FoldResult is the outcome of one split.
type FoldResult struct {
	// Name names the split ("fold 3", "holdout").
	Name string `json:"name"`
	// TestAUC is the mean ROC-AUC over tasks on the split's test rows;
	// NaN (null in metrics.json) when it is missing: for a split that
	// diverged (StopReason "diverged"), which no mean includes.
	TestAUC jsonFloat `json:"test_auc"`
	// Test holds every test metric (loss, auc, accuracy, pr_auc).
	Test map[string]jsonFloat `json:"test"`
	// TaskAUC is the test ROC-AUC of each task, in task order (NaN, written
	// as null, where a task has one class only).
	TaskAUC []jsonFloat `json:"task_auc"`
	// Settings are the grid overrides this result was trained with.
	Settings []string `json:"settings,omitempty"`
	// Val is the best smoothed validation metric (train.metric).
	Val jsonFloat `json:"val"`
	// Grid lists every grid point tried on this split (when there is a
	// grid); the one with the best Val is the result.
	Grid []GridPoint `json:"grid,omitempty"`
	// BestEpoch is the epoch whose weights were evaluated.
	BestEpoch int `json:"best_epoch"`
	// Epochs is the number of epochs trained.
	Epochs int `json:"epochs"`
	// StopReason says why training ended ("diverged" for a split whose
	// training diverged, see Options.KeepDivergedSplits).
	StopReason string `json:"stop_reason"`
	// Error is why a split diverged (StopReason "diverged" only).
	Error string `json:"error,omitempty"`
	// Seconds is the split's wall time.
	Seconds float64 `json:"seconds"`
	// History is every epoch's record.
	History []train.Record `json:"history"`
}

// Result is the outcome of a whole experiment, written to metrics.json.
type Result struct {
	// Name is the config's name.
	Name string `json:"name"`
	// TestAUC is the mean over folds of each fold's mean test ROC-AUC.
	TestAUC float64 `json:"test_auc"`
	// TestAUCStd is the standard deviation over folds (0 for one split).
	TestAUCStd float64 `json:"test_auc_std"`
	// TestAccuracy is the mean over folds of the test accuracy (top-1 for
	// multi-class heads, the UCI-121 metric), TestAccuracyStd its
	// standard deviation.
	TestAccuracy    float64 `json:"test_accuracy"`
	TestAccuracyStd float64 `json:"test_accuracy_std"`
	// Tasks names the tasks; TaskAUC is each task's test AUC averaged over
	// folds.
	Tasks   []string    `json:"tasks"`
	TaskAUC []jsonFloat `json:"task_auc"`
	// Folds holds the per-split detail (without histories; see history.csv).
	Folds []FoldResult `json:"folds"`
	// Seconds is the wall time of this call of Run (of the resumed part
	// only, for a resumed run; each fold's own time is in Folds).
	Seconds float64 `json:"seconds"`
}

// jsonFloat writes NaN and ±Inf as null.
type jsonFloat float64

// MarshalJSON implements json.Marshaler.
func (f jsonFloat) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
		return []byte("null"), nil
	}
	return json.Marshal(float64(f))
}

// UnmarshalJSON implements json.Unmarshaler.
func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = jsonFloat(math.NaN())
		return nil
	}
	return json.Unmarshal(b, (*float64)(f))
}

// UnmarshalJSON implements json.Unmarshaler. A diverged split's TestAUC
// reads as NaN (missing) whether the file holds null or 0 (the form of
// metrics.json files from older versions).
func (f *FoldResult) UnmarshalJSON(b []byte) error {
	type plain FoldResult // without this method
	if err := json.Unmarshal(b, (*plain)(f)); err != nil {
		return err
	}
	f.divergedAUC()
	return nil
}

// divergedAUC makes a diverged split's TestAUC NaN: metrics.json files and
// state/folds.gob from older versions hold 0.
func (f *FoldResult) divergedAUC() {
	if f.StopReason == diverged {
		f.TestAUC = jsonFloat(math.NaN())
	}
}

// runState is state/folds.gob: the finished folds of a run and the finished
// grid points of the running fold (gob keeps NaN metrics that JSON cannot).
type runState struct {
	Folds   []FoldResult
	Current []FoldResult
}

// Run executes the experiment described by cfg and writes the run directory.
func Run(ctx context.Context, cfg Config, opts Options) (*Result, error) {
	start := time.Now()
	out := opts.Out
	if out == "" {
		out = cfg.Output.Dir
	}
	if out == "" {
		return nil, errors.New("experiment: no output directory (set output.dir or -out)")
	}
	// config.yaml records where this run is, as it records its data.
	cfg.Output.Dir = absPath(out)
	log := opts.Log
	if log == nil {
		log = io.Discard
	}
	stateDir := filepath.Join(out, "state")
	var st runState
	if opts.Resume {
		if err := readState(filepath.Join(stateDir, "folds.gob"), &st); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	} else if err := checkFresh(out, opts.Force); err != nil {
		return nil, err
	}
	cfg.Data = dataLocation(cfg.Data)
	// The data first: a run that cannot load its data leaves nothing behind.
	data, err := load(ctx, cfg.Data)
	if err != nil {
		return nil, err
	}
	sp, err := splits(data, cfg.Data, cfg.Seed)
	if err != nil {
		return nil, err
	}
	if err := makeRunDir(out, cfg, opts); err != nil {
		return nil, err
	}
	if len(st.Folds) > len(sp) {
		return nil, fmt.Errorf("experiment: %s holds %d finished folds, the config has %d", stateDir, len(st.Folds), len(sp))
	}
	fmt.Fprintf(log, "%s: %s, %d rows, %d features, %s; %s, %d split(s); model %s %d×%d\n",
		cfg.Name, cfg.Data.Dataset, data.all.N+nrows(data.test), data.all.D, labelText(data.all), cfg.Data.Protocol, len(sp), cfg.Model.Arch, cfg.Model.Layers, cfg.Model.Units)
	points := cfg.Grid.points()
	var lastDiverged error // the last divergence of this call
	for k := len(st.Folds); k < len(sp); k++ {
		for p := len(st.Current); p < len(points); p++ {
			pc, err := apply(cfg, points[p])
			if err != nil {
				return nil, err
			}
			name := sp[k].Name
			if len(points) > 1 {
				name = fmt.Sprintf("%s, grid point %d/%d %v", sp[k].Name, p+1, len(points), points[p])
			}
			fr, err := runFold(ctx, pc, opts, out, k, p, name, sp[k], log)
			if errors.Is(err, train.ErrDiverged) && (len(points) > 1 || opts.KeepDivergedSplits) {
				// One diverging point (a learning rate too high for its
				// depth) must not end the search: it just cannot win.
				if len(points) > 1 {
					fmt.Fprintf(log, "%s: %v; the point is left out\n", name, err)
				}
				fr = &FoldResult{Val: jsonFloat(math.NaN()), TestAUC: jsonFloat(math.NaN()), StopReason: diverged, Error: err.Error()}
				lastDiverged, err = err, nil
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			fr.Name, fr.Settings = sp[k].Name, points[p]
			st.Current = append(st.Current, *fr)
			if err := writeState(filepath.Join(stateDir, "folds.gob"), st); err != nil {
				return nil, err
			}
			_ = os.Remove(foldCheckpoint(out, k, p))
		}
		best := selectPoint(st.Current, cfg.Train.Metric)
		if best.StopReason == diverged {
			if !opts.KeepDivergedSplits {
				return nil, fmt.Errorf("%s: every grid point diverged (%w)", sp[k].Name, train.ErrDiverged)
			}
			if len(points) > 1 {
				best.Error = fmt.Sprintf("every grid point diverged (%v)", train.ErrDiverged)
			}
			fmt.Fprintf(log, "%s: %s; the split is recorded as diverged\n", sp[k].Name, best.Error)
		} else if len(points) > 1 {
			fmt.Fprintf(log, "%s: validation chose %v (test AUC %.4f)\n", sp[k].Name, best.Settings, best.TestAUC)
		}
		// (A missing file: checkpoints are off, or a resumed run had
		// already moved it.)
		if err := os.Rename(pointModel(out, k, best.point), filepath.Join(out, "models", modelName(sp[k].Name))); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("experiment: %w", err)
		}
		for p := range points {
			_ = os.Remove(pointModel(out, k, p))
		}
		st.Folds = append(st.Folds, best.FoldResult)
		st.Current = nil
		if err := writeState(filepath.Join(stateDir, "folds.gob"), st); err != nil {
			return nil, err
		}
	}
	var trained, reasons []string
	for _, f := range st.Folds {
		if f.StopReason == diverged {
			reasons = append(reasons, f.Name+": "+f.Error)
		} else {
			trained = append(trained, f.Name)
		}
	}
	if len(trained) == 0 {
		if len(sp) == 1 && lastDiverged != nil {
			return nil, fmt.Errorf("%s: %w", sp[0].Name, lastDiverged)
		}
		return nil, fmt.Errorf("every split diverged: %s (%w)", strings.Join(reasons, "; "), train.ErrDiverged)
	}
	res := summarize(cfg, st.Folds, data.all.TaskNames)
	res.Seconds = time.Since(start).Seconds()
	if err := writeOutputs(out, cfg, res, trainedFolds(st.Folds)); err != nil {
		return nil, err
	}
	printSummary(log, res)
	return res, nil
}

func nrows(s *datasets.Set) int {
	if s == nil {
		return 0
	}
	return s.N
}

// foldCheckpoint is the path of the resume checkpoint of split k, grid
// point p.
func foldCheckpoint(out string, k, p int) string {
	return filepath.Join(out, "state", fmt.Sprintf("split%02d-point%02d.ckpt", k+1, p+1))
}

// pointModel is where the final weights of split k, grid point p wait until
// the split's grid is done.
func pointModel(out string, k, p int) string {
	return filepath.Join(out, "state", fmt.Sprintf("split%02d-point%02d.model", k+1, p+1))
}

// modelName is the file name of a split's selected model in models/.
func modelName(split string) string {
	return strings.ReplaceAll(split, " ", "") + ".model"
}

// chosen is the selected grid point of a split.
type chosen struct {
	FoldResult
	point int
}

// diverged is the StopReason of a grid point whose training diverged.
const diverged = "diverged"

// selectPoint returns the point with the best validation metric; ties and
// NaNs go to the earlier point, and a diverged point only wins when every
// point diverged.
func selectPoint(points []FoldResult, metric string) chosen {
	best := 0 // the first point that did not diverge, if any
	for best < len(points)-1 && points[best].StopReason == diverged {
		best++
	}
	for p := best + 1; p < len(points); p++ {
		if points[p].StopReason == diverged {
			continue
		}
		v, b := float64(points[p].Val), float64(points[best].Val)
		higher := train.HigherIsBetter(metric)
		if math.IsNaN(b) || (higher && v > b) || (!higher && v < b) {
			if !math.IsNaN(v) {
				best = p
			}
		}
	}
	c := chosen{FoldResult: points[best], point: best}
	for _, fr := range points {
		if len(points) > 1 {
			c.Grid = append(c.Grid, GridPoint{Settings: fr.Settings, Val: fr.Val, TestAUC: fr.TestAUC})
		}
	}
	return c
}

// runFold trains and tests one split.
func runFold(ctx context.Context, cfg Config, opts Options, out string, k, p int, name string, s Split, log io.Writer) (*FoldResult, error) {
	start := time.Now()
	h, outputs, loss := head(s.Train)
	seed := cfg.Seed + uint64(k)*1_000_003
	net, err := nets.New(cfg.Model, s.Train.D, outputs, h, seed)
	if err != nil {
		return nil, err
	}
	solver, err := solvers.New(cfg.Optimizer)
	if err != nil {
		return nil, err
	}
	lh := newLogHook(log, name)
	defer lh.close()
	hooks := append([]train.Hook{lh}, opts.Hooks...)
	ckPath := foldCheckpoint(out, k, p)
	if cfg.Output.Checkpoint {
		hooks = append(hooks, &checkpointHook{path: ckPath, every: cfg.Output.CheckpointEvery, last: time.Now()})
	}
	tr, err := train.New(net, loss, solver, s.Train, s.Val, cfg.Train, seed, train.WithHooks(hooks...))
	if err != nil {
		return nil, err
	}
	defer tr.Close()
	if opts.Resume {
		ck, err := checkpoint.Load(ckPath)
		switch {
		case err == nil:
			if err := tr.Restore(ck); err != nil {
				return nil, fmt.Errorf("resuming from %s: %w", ckPath, err)
			}
			fmt.Fprintf(log, "%s: resumed from %s at epoch %d\n", name, ckPath, len(tr.History().Records)-1)
		case !errors.Is(err, os.ErrNotExist):
			return nil, err
		}
	}
	hist, err := tr.Fit(ctx)
	if err != nil {
		return nil, err
	}
	test, err := tr.Evaluate(s.Test)
	if err != nil {
		return nil, fmt.Errorf("test: %w", err)
	}
	probs, err := tr.Predict(s.Test)
	if err != nil {
		return nil, err
	}
	fr := &FoldResult{Name: s.Name, TestAUC: jsonFloat(test["auc"]), Test: map[string]jsonFloat{}, Val: jsonFloat(hist.Best), BestEpoch: hist.BestEpoch,
		Epochs: len(hist.Records) - 1, StopReason: hist.StopReason, History: hist.Records}
	for k, v := range test {
		fr.Test[k] = jsonFloat(v)
	}
	for _, a := range train.TaskAUCs(probs, s.Test) {
		fr.TaskAUC = append(fr.TaskAUC, jsonFloat(a))
	}
	if err := saveModel(pointModel(out, k, p), net, cfg, s, k, hist); err != nil {
		return nil, err
	}
	fr.Seconds = time.Since(start).Seconds()
	fmt.Fprintf(log, "%s: test AUC %.4f, accuracy %.4f (best epoch %d of %d; %s) in %.1fs\n", name, fr.TestAUC, test["accuracy"], fr.BestEpoch, fr.Epochs, fr.StopReason, fr.Seconds)
	return fr, nil
}

// checkpointHook saves the trainer's resume state after an epoch, at most
// once per every (0: after every epoch).
type checkpointHook struct {
	train.NopHook
	path  string
	every time.Duration
	last  time.Time // the last save, or the hook's creation
}

// EpochEnd implements train.Hook.
func (c *checkpointHook) EpochEnd(t *train.Trainer, r train.Record) error {
	if c.every > 0 && time.Since(c.last) < c.every {
		return nil
	}
	ck, err := t.Checkpoint()
	if err != nil {
		return err
	}
	if err := checkpoint.Save(c.path, ck); err != nil {
		return err
	}
	c.last = time.Now()
	return nil
}

// meanStd returns the mean and the sample standard deviation of x (0 for
// fewer than two values).
func meanStd(x []float64) (mean, std float64) {
	var sum, sq float64
	for _, v := range x {
		sum += v
		sq += v * v
	}
	n := float64(len(x))
	mean = sum / n
	if len(x) > 1 {
		std = math.Sqrt(math.Max(0, (sq-sum*sum/n)/(n-1)))
	}
	return mean, std
}

// trainedFolds returns the folds that did not diverge.
func trainedFolds(folds []FoldResult) []FoldResult {
	var out []FoldResult
	for _, f := range folds {
		if f.StopReason != diverged {
			out = append(out, f)
		}
	}
	return out
}

// summarize averages the folds that did not diverge (all of them, unless
// Options.KeepDivergedSplits); res.Folds has every fold.
func summarize(cfg Config, all []FoldResult, tasks []string) *Result {
	res := &Result{Name: cfg.Name, Tasks: tasks}
	folds := trainedFolds(all)
	auc, acc := make([]float64, len(folds)), make([]float64, len(folds))
	for i, f := range folds {
		auc[i], acc[i] = float64(f.TestAUC), float64(f.Test["accuracy"])
	}
	res.TestAUC, res.TestAUCStd = meanStd(auc)
	res.TestAccuracy, res.TestAccuracyStd = meanStd(acc)
	for t := range tasks {
		var s float64
		var c int
		for _, f := range folds {
			if t < len(f.TaskAUC) && !math.IsNaN(float64(f.TaskAUC[t])) {
				s += float64(f.TaskAUC[t])
				c++
			}
		}
		res.TaskAUC = append(res.TaskAUC, jsonFloat(s/float64(max(c, 1))))
		if c == 0 {
			res.TaskAUC[t] = jsonFloat(math.NaN())
		}
	}
	for _, f := range all {
		f.History = nil
		res.Folds = append(res.Folds, f)
	}
	return res
}

// writeConfig writes the resolved config into the run directory.
func writeConfig(out string, cfg Config) error {
	b, err := config.Marshal(cfg)
	if err != nil {
		return err
	}
	return checkpoint.WriteFileAtomic(filepath.Join(out, "config.yaml"), func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	}, 0o644)
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("experiment: %s: %w", path, err)
	}
	return checkpoint.WriteFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	}, 0o644)
}

func writeState(path string, st runState) error {
	return checkpoint.WriteFileAtomic(path, func(w io.Writer) error {
		return gob.NewEncoder(w).Encode(st)
	}, 0o644)
}

func readState(path string, st *runState) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := gob.NewDecoder(f).Decode(st); err != nil {
		return fmt.Errorf("experiment: %s: %w", path, err)
	}
	for i := range st.Folds {
		st.Folds[i].divergedAUC()
	}
	return nil
}

// labelText describes the labels of s: "3 classes", "1 binary task",
// "12 binary tasks".
func labelText(s *datasets.Set) string {
	switch {
	case s.Classes > 0:
		return fmt.Sprintf("%d classes", s.Classes)
	case s.T == 1:
		return "1 binary task"
	}
	return fmt.Sprintf("%d binary tasks", s.T)
}
