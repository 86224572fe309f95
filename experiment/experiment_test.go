package experiment

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/selunet/selunet/train"
)

// quick returns a small HTRU2 experiment on the real data (from the data
// directory when one is set, else the copy built into datasets/htru2).
func quick(t *testing.T) Config {
	cfg := Default()
	cfg.Name = "test"
	cfg.Data.RunFolds = 2
	cfg.Model.Layers, cfg.Model.Units, cfg.Model.Dropout = 3, 32, 0.05
	cfg.Optimizer.LR = 0.05
	cfg.Train.Epochs, cfg.Train.Patience, cfg.Train.Smoothing = 3, 0, 1
	return cfg
}

func TestRunHTRU2(t *testing.T) {
	cfg := quick(t)
	out := t.TempDir()
	var log bytes.Buffer
	res, err := Run(context.Background(), cfg, Options{Out: out, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Folds) != 2 || !(res.TestAUC > 0.9) {
		t.Fatalf("got %d folds with mean test AUC %v, want 2 folds above 0.9\n%s", len(res.Folds), res.TestAUC, log.String())
	}
	for _, f := range []string{"config.yaml", "metrics.json", "history.csv", "layer_stats.csv", "models/fold1.model", "models/fold2.model", "learning_curves.png", "validation.png", "layer_stats.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("run directory: %v", err)
		}
	}
	b, err := os.ReadFile(filepath.Join(out, "metrics.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if _, ok := m["test_auc"]; !ok {
		t.Errorf("metrics.json has no test_auc: %s", b)
	}
	// config.yaml records the directory the run was written to (the
	// config's own output.dir is "runs/experiment"), so it reads back as the
	// config of this run.
	saved, err := Load(filepath.Join(out, "config.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Output.Dir != out {
		t.Errorf("config.yaml has output.dir %q, want the run directory %q", saved.Output.Dir, out)
	}
	hist, _ := os.ReadFile(filepath.Join(out, "history.csv"))
	if lines := strings.Count(string(hist), "\n"); lines != 1+2*4 {
		t.Errorf("history.csv has %d lines, want 9 (header + 2 folds × epochs 0..3)", lines)
	}
	t.Logf("%s", log.String())
}

// TestGrid runs a two-point grid on one fold and checks that the point with
// the better validation metric is the one reported.
func TestGrid(t *testing.T) {
	cfg := quick(t)
	cfg.Data.RunFolds = 1
	cfg.Grid = Grid{"model.layers": {1, 2}}
	out := t.TempDir()
	res, err := Run(context.Background(), cfg, Options{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	f := res.Folds[0]
	if len(f.Grid) != 2 || f.Grid[0].Settings[0] != "model.layers=1" || f.Grid[1].Settings[0] != "model.layers=2" {
		t.Fatalf("grid points: %+v", f.Grid)
	}
	want := 0
	if f.Grid[1].Val > f.Grid[0].Val {
		want = 1
	}
	if f.Settings[0] != f.Grid[want].Settings[0] || f.TestAUC != f.Grid[want].TestAUC {
		t.Errorf("chose %v (test %v), want %v", f.Settings, f.TestAUC, f.Grid[want])
	}
	left, _ := filepath.Glob(filepath.Join(out, "state", "*.ckpt"))
	if len(left) != 0 {
		t.Errorf("leftover checkpoints: %v", left)
	}
	if _, err := apply(cfg, []string{"model.layerz=3"}); err == nil {
		t.Error("a grid key that does not exist was accepted")
	}
}

// TestResumeMatchesUninterrupted kills a run after its first fold and part
// of the second (by cancelling the context from a hook) and checks that
// resuming it ends with the numbers of an uninterrupted run: with state
// written after every epoch (resumed mid-point) and with checkpoint_every
// longer than the run (the interrupted point restarts from its start).
func TestResumeMatchesUninterrupted(t *testing.T) {
	cfg := quick(t)
	cfg.Grid = Grid{"optimizer.lr": {0.05, 0.1}}
	full, err := Run(context.Background(), cfg, Options{Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		every   time.Duration
		resumed bool // the log says "resumed from"
	}{{0, true}, {time.Hour, false}} {
		t.Run(c.every.String(), func(t *testing.T) {
			cfg := cfg
			cfg.Output.CheckpointEvery = c.every
			out := t.TempDir()
			ctx, cancel := context.WithCancel(context.Background())
			stop := &cancelHook{cancel: cancel, after: 8} // fold 1 has 2 points of 3 epochs; stop in fold 2's first point
			if _, err := Run(ctx, cfg, Options{Out: out, Hooks: []trainHook{stop}}); err == nil {
				t.Fatal("the interrupted run did not report the cancellation")
			}
			var log bytes.Buffer
			res, err := Run(context.Background(), cfg, Options{Out: out, Resume: true, Log: &log})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(log.String(), "resumed from"); got != c.resumed {
				t.Errorf("resumed mid-point: %v, want %v; log:\n%s", got, c.resumed, log.String())
			}
			for i := range full.Folds {
				a, b := full.Folds[i], res.Folds[i]
				a.Seconds, b.Seconds = 0, 0
				if !reflect.DeepEqual(a, b) {
					t.Errorf("fold %d differs after resume:\n%+v\n%+v", i+1, a, b)
				}
			}
			if full.TestAUC != res.TestAUC {
				t.Errorf("test AUC %v after resume, %v uninterrupted", res.TestAUC, full.TestAUC)
			}
		})
	}
}

// TestApplyGridPoint: a point's overrides land in a copy (the config and its
// grid are unchanged), slices included, and are validated like -set.
func TestApplyGridPoint(t *testing.T) {
	cfg := Default()
	cfg.Grid = Grid{"model.layers": {2, 4}}
	cfg.Data.CSV.Labels = []string{"a"}
	pc, err := apply(cfg, []string{"model.layers=4", "optimizer.lr=0.5", "data.csv.labels=[b, c]"})
	if err != nil {
		t.Fatal(err)
	}
	if pc.Model.Layers != 4 || pc.Optimizer.LR != 0.5 || len(pc.Data.CSV.Labels) != 2 || pc.Data.CSV.Labels[1] != "c" {
		t.Errorf("point: got layers %d lr %v labels %v", pc.Model.Layers, pc.Optimizer.LR, pc.Data.CSV.Labels)
	}
	if cfg.Model.Layers != Default().Model.Layers || cfg.Optimizer.LR != Default().Optimizer.LR || cfg.Data.CSV.Labels[0] != "a" || len(cfg.Grid) != 1 {
		t.Errorf("apply changed the config: layers %d lr %v labels %v grid %v", cfg.Model.Layers, cfg.Optimizer.LR, cfg.Data.CSV.Labels, cfg.Grid)
	}
	if _, err := apply(cfg, []string{"model.dropout=1"}); err == nil || !strings.Contains(err.Error(), "model.dropout: must be in [0, 1), got 1") {
		t.Errorf("out-of-range point: got:%v want: the -set rule error", err)
	}
}

// TestDivergedFoldMissing checks that a diverged split's test AUC is
// missing (NaN in Go, null in metrics.json), also when read from a
// metrics.json or state/folds.gob written when it was 0, and that no mean
// includes it.
func TestDivergedFoldMissing(t *testing.T) {
	cases := []struct {
		json string // a FoldResult in metrics.json
		want float64
	}{
		{`{"name": "fold 2", "test_auc": null, "stop_reason": "diverged"}`, math.NaN()}, // 0
		{`{"name": "fold 2", "test_auc": 0, "stop_reason": "diverged"}`, math.NaN()},    // 1: written before
		{`{"name": "fold 1", "test_auc": 0.75, "stop_reason": "patience"}`, 0.75},       // 2
		{`{"name": "fold 1", "test_auc": 0, "stop_reason": "epochs"}`, 0},               // 3: a real 0 stays
		{`{"name": "fold 1", "test_auc": null, "stop_reason": "epochs"}`, math.NaN()},   // 4: one class only
	}
	for i, c := range cases {
		var f FoldResult
		if err := json.Unmarshal([]byte(c.json), &f); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if got := float64(f.TestAUC); !(got == c.want || math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("case %d: test AUC got:%v want:%v", i, got, c.want)
		}
		b, err := json.Marshal(f)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if wantNull := math.IsNaN(c.want); wantNull != strings.Contains(string(b), `"test_auc":null`) {
			t.Errorf("case %d: written as %s", i, b)
		}
	}
	// A state file written when a diverged split's test AUC was 0.
	path := filepath.Join(t.TempDir(), "folds.gob")
	old := runState{Folds: []FoldResult{{Name: "fold 1", TestAUC: 0.5, Test: map[string]jsonFloat{"accuracy": 0.6}}, {Name: "fold 2", StopReason: diverged}}}
	if err := writeState(path, old); err != nil {
		t.Fatal(err)
	}
	var st runState
	if err := readState(path, &st); err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(float64(st.Folds[1].TestAUC)) || st.Folds[0].TestAUC != 0.5 {
		t.Errorf("state: %+v", st.Folds)
	}
	if res := summarize(Default(), st.Folds, []string{"y"}); res.TestAUC != 0.5 || res.TestAccuracy != 0.6 {
		t.Errorf("means over the trained split: AUC %v, accuracy %v; want 0.5, 0.6", res.TestAUC, res.TestAccuracy)
	}
}

// TestKeepDivergedSplits: with lr 1e4 on testdata/cv-diverge.csv fold 1
// trains and folds 2 and 3 diverge. Run ends at fold 2 by default; with
// KeepDivergedSplits it records folds 2 and 3 as diverged, averages over
// fold 1, writes a metrics.json that reads back, and a resumed run gives
// the same result. When every split diverges it is still an error.
func TestKeepDivergedSplits(t *testing.T) {
	cfg := Default()
	cfg.Data.Dataset, cfg.Data.CSV.Path, cfg.Data.Folds = "csv", filepath.Join("testdata", "cv-diverge.csv"), 3
	cfg.Data.CSV.Labels = []string{"y"}
	cfg.Model.Layers, cfg.Model.Units, cfg.Model.Dropout = 2, 8, 0
	cfg.Train.Epochs, cfg.Train.Smoothing, cfg.Train.BatchSize = 3, 1, 16
	cfg.Output.Plots = false
	cfg.Optimizer.LR = 1e4
	if _, err := Run(context.Background(), cfg, Options{Out: t.TempDir()}); !errors.Is(err, train.ErrDiverged) || !strings.HasPrefix(err.Error(), "fold 2: ") {
		t.Fatalf("without KeepDivergedSplits: %v; want fold 2 diverged", err)
	}
	out := t.TempDir()
	var log bytes.Buffer
	res, err := Run(context.Background(), cfg, Options{Out: out, KeepDivergedSplits: true, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "fold 3: train: ") || !strings.Contains(log.String(), "the split is recorded as diverged") || !regexp.MustCompile(`(?m)^fold 2 +diverged `).MatchString(log.String()) {
		t.Errorf("log:\n%s", log.String())
	}
	var stops []string
	for _, f := range res.Folds {
		stops = append(stops, f.StopReason)
	}
	if !reflect.DeepEqual(stops[1:], []string{"diverged", "diverged"}) || stops[0] == "diverged" || !strings.Contains(res.Folds[1].Error, "loss diverged") {
		t.Fatalf("stop reasons %v, fold 2 error %q; want fold 1 trained, folds 2 and 3 diverged", stops, res.Folds[1].Error)
	}
	if res.TestAccuracy != float64(res.Folds[0].Test["accuracy"]) || res.TestAUC != float64(res.Folds[0].TestAUC) || res.TestAccuracyStd != 0 {
		t.Errorf("means %v, %v (sd %v); want fold 1's %v, %v", res.TestAccuracy, res.TestAUC, res.TestAccuracyStd, res.Folds[0].Test["accuracy"], res.Folds[0].TestAUC)
	}
	var saved Result
	b, err := os.ReadFile(filepath.Join(out, "metrics.json"))
	if err != nil || json.Unmarshal(b, &saved) != nil || saved.Folds[2].StopReason != "diverged" || saved.Folds[2].Error == "" || !math.IsNaN(float64(saved.Folds[2].TestAUC)) {
		t.Errorf("metrics.json (%v): %+v", err, saved.Folds)
	}
	var raw struct{ Folds []map[string]any }
	if json.Unmarshal(b, &raw) != nil || raw.Folds[1]["test_auc"] != nil || raw.Folds[2]["test_auc"] != nil || raw.Folds[0]["test_auc"] == nil {
		t.Errorf("metrics.json: a diverged split's test_auc must be null (missing), a trained one's a number: %v", raw.Folds)
	}
	if !strings.Contains(log.String(), "mean ± sd of 1 splits (2 diverged)") {
		t.Errorf("summary does not say the mean leaves out the diverged splits:\n%s", log.String())
	}
	again, err := Run(context.Background(), cfg, Options{Out: out, Resume: true, KeepDivergedSplits: true})
	if err != nil || again.TestAccuracy != res.TestAccuracy || again.Folds[1].Error != res.Folds[1].Error {
		t.Errorf("resumed: %v, %+v", err, again)
	}
	cfg.Optimizer.LR = 1e5
	if _, err := Run(context.Background(), cfg, Options{Out: t.TempDir(), KeepDivergedSplits: true}); !errors.Is(err, train.ErrDiverged) || !strings.Contains(err.Error(), "every split diverged: fold 1: ") {
		t.Errorf("every split diverged: %v", err)
	}
}
