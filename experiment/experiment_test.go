package experiment

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/selunet/selunet/datasets/datatest"
)

// quick returns a small HTRU2 experiment on the real data.
func quick(t *testing.T) Config {
	dir := datatest.DataDir(t, "htru2/HTRU_2.csv")
	cfg := Default()
	cfg.Name = "test"
	cfg.Data.Dir = dir
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
	for _, f := range []string{"config.yaml", "metrics.json", "history.csv", "layer_stats.csv", "model.ckpt", "learning_curves.png", "validation.png", "layer_stats.png"} {
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
	hist, _ := os.ReadFile(filepath.Join(out, "history.csv"))
	if lines := strings.Count(string(hist), "\n"); lines != 1+2*4 {
		t.Errorf("history.csv has %d lines, want 9 (header + 2 folds × epochs 0..3)", lines)
	}
	t.Logf("%s", log.String())
}

// TestResumeMatchesUninterrupted kills a run after its first fold and part
// of the second (by cancelling the context from a hook) and checks that
// resuming it ends with the numbers of an uninterrupted run.
func TestResumeMatchesUninterrupted(t *testing.T) {
	cfg := quick(t)
	full, err := Run(context.Background(), cfg, Options{Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	stop := &cancelHook{cancel: cancel, after: 5} // fold 1 has 3 epochs; stop in fold 2
	if _, err := Run(ctx, cfg, Options{Out: out, Hooks: []trainHook{stop}}); err == nil {
		t.Fatal("the interrupted run did not report the cancellation")
	}
	res, err := Run(context.Background(), cfg, Options{Out: out, Resume: true})
	if err != nil {
		t.Fatal(err)
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
}
