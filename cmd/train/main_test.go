package main

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/selunet/selunet/datasets/datatest"
	"github.com/selunet/selunet/experiment"
)

// call runs the command and returns its exit code, stdout and stderr.
func call(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestErrors checks that every failure ends with one clear message and a
// non-zero exit status, never a panic trace.
func TestErrors(t *testing.T) {
	bad := writeConfig(t, "model:\n  layers: eight\n")
	unknown := writeConfig(t, "train:\n  epoch: 3\n")
	empty := t.TempDir() // no dataset here
	missingData := writeConfig(t, "data:\n  dataset: tox21\n  protocol: holdout\n  dir: "+empty+"\n  offline: true\noutput:\n  dir: "+t.TempDir()+"\n")
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{}, 2, "usage: train"},                                                           // 0
		{[]string{"-config", "nope.yaml"}, 1, "nope.yaml"},                                        // 1
		{[]string{"-config", bad}, 1, `c.yaml:2:11: model.layers: expected integer, got "eight"`}, // 2
		{[]string{"-config", unknown}, 1, `unknown key "epoch" in train`},                         // 3
		{[]string{"-config", bad, "-set", "x"}, 2, "want key=value"},                              // 4
		{[]string{"-config", missingData}, 1, "SELUNET_DATA_DIR"},                                 // 5
		{[]string{"-resume", empty}, 1, "no config.yaml"},                                         // 6
		{[]string{"-config", bad, "-resume", empty}, 1, "either -config or -resume"},              // 7
		{[]string{"selfnorm", "-depth", "0"}, 1, "depth"},                                         // 8
		{[]string{"-bogus"}, 2, "flag provided but not defined"},                                  // 9
		{[]string{"uci"}, 2, "usage: train uci"},                                                  // 10
		{[]string{"uci", "-config", missingData, "-datasets", "iris"}, 1, "want uci"},             // 11: not a UCI config
	}
	for i, c := range cases {
		code, _, stderr := call(c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%d: %v: got code %d, stderr %q; want code %d and %q", i, c.args, code, stderr, c.code, c.want)
		}
		if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
			t.Errorf("%d: stderr has a panic trace: %s", i, stderr)
		}
	}
}

func TestPrintConfig(t *testing.T) {
	code, out, stderr := call("-config", filepath.Join("..", "..", "configs", "htru2.yaml"), "-set", "train.epochs=5", "-print-config")
	if code != 0 {
		t.Fatalf("code %d: %s", code, stderr)
	}
	for _, want := range []string{"epochs: 5", "dataset: htru2", "arch: snn", "batch_size: 128", "seed: 1"} {
		if !strings.Contains(out, want) {
			t.Errorf("resolved config lacks %q:\n%s", want, out)
		}
	}
}

// TestPrintConfigDefaults checks that -print-config shows the optimizer's
// effective defaults (Adam's β1, β2, ε), not the "unset = default" of the
// config struct, and that an explicit 0 stays 0.
func TestPrintConfigDefaults(t *testing.T) {
	cases := []struct {
		sets []string
		want []string
	}{
		{[]string{"optimizer.name=adam"}, []string{"beta1: 0.9\n", "beta2: 0.999\n", "eps: 1e-08\n", "rho: null\n"}},    // 0
		{[]string{"optimizer.name=adam", "optimizer.beta1=0"}, []string{"beta1: 0.0\n", "beta2: 0.999\n"}},              // 1
		{[]string{"optimizer.name=adamw", "optimizer.weight_decay=0"}, []string{"beta1: 0.9\n", "weight_decay: 0.0\n"}}, // 2
		{[]string{"optimizer.name=adamw"}, []string{"weight_decay: 0.01\n"}},                                            // 3
	}
	for i, c := range cases {
		args := []string{"-config", filepath.Join("..", "..", "configs", "quick.yaml"), "-print-config"}
		for _, s := range c.sets {
			args = append(args, "-set", s)
		}
		code, out, stderr := call(args...)
		if code != 0 {
			t.Fatalf("case %d: code %d: %s", i, code, stderr)
		}
		for _, want := range c.want {
			if !strings.Contains(out, want) {
				t.Errorf("case %d: resolved config lacks %q:\n%s", i, want, out)
			}
		}
	}
}

// TestQuietLine checks the summary line of train -q: the AUC line as before,
// with the test accuracy after it when the run has one.
func TestQuietLine(t *testing.T) {
	cases := []struct {
		res  experiment.Result
		want string
	}{
		{experiment.Result{Name: "uci-snn-paper", TestAUC: 0.93114, TestAccuracy: 0.94667}, "uci-snn-paper: mean test AUC 0.9311, accuracy 0.9467"}, // 0: multi-class
		{experiment.Result{Name: "htru2", TestAUC: 0.98, TestAccuracy: 0.975}, "htru2: mean test AUC 0.9800, accuracy 0.9750"},                      // 1
		{experiment.Result{Name: "x", TestAUC: math.NaN(), TestAccuracy: math.NaN()}, "x: mean test AUC NaN"},                                       // 2: no trained split
	}
	for i, c := range cases {
		if got := quietLine(&c.res); got != c.want {
			t.Errorf("case %d: got:%q want:%q", i, got, c.want)
		}
	}
}

// TestConfigsParse loads every shipped config.
func TestConfigsParse(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "configs", "*.yaml"))
	if len(files) == 0 {
		t.Fatal("no configs found")
	}
	for _, f := range files {
		if code, _, stderr := call("-config", f, "-print-config"); code != 0 {
			t.Errorf("%s: %s", f, stderr)
		}
	}
}

// TestRunAndResume runs the quick config for one epoch, then resumes the
// finished run (which must reproduce the same summary), and checks the
// errors for an unwritable output directory and a diverging run.
func TestRunAndResume(t *testing.T) {
	dir := datatest.DataDir(t, "htru2/HTRU_2.csv")
	cfg := filepath.Join("..", "..", "configs", "quick.yaml")
	out := filepath.Join(t.TempDir(), "run")
	code, stdout, stderr := call("-config", cfg, "-data-dir", dir, "-out", out, "-set", "train.epochs=1", "-set", "data.run_folds=1", "-q")
	if code != 0 || !strings.Contains(stdout, "mean test AUC") {
		t.Fatalf("code %d\n%s\n%s", code, stdout, stderr)
	}
	code, again, stderr := call("-resume", out, "-data-dir", dir, "-q")
	if code != 0 || again != stdout {
		t.Fatalf("resume: code %d, got %q want %q (%s)", code, again, stdout, stderr)
	}

	ro := t.TempDir()
	if err := os.Chmod(ro, 0o500); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() != 0 { // root ignores permissions
		code, _, stderr = call("-config", cfg, "-data-dir", dir, "-out", filepath.Join(ro, "x"), "-set", "train.epochs=1")
		if code != 1 || !strings.Contains(stderr, "output directory") {
			t.Errorf("unwritable -out: code %d, %q", code, stderr)
		}
	}
	fileAsDir := filepath.Join(t.TempDir(), "file")
	_ = os.WriteFile(fileAsDir, nil, 0o644)
	code, _, stderr = call("-config", cfg, "-data-dir", dir, "-out", filepath.Join(fileAsDir, "run"), "-set", "train.epochs=1")
	if code != 1 || !strings.Contains(stderr, "output directory") {
		t.Errorf("output under a file: code %d, %q", code, stderr)
	}
	code, _, stderr = call("-config", cfg, "-data-dir", dir, "-out", t.TempDir(), "-set", "optimizer.lr=1e9", "-set", "data.run_folds=1", "-set", "model.dropout=0")
	if code != ExitDiverged || !strings.Contains(stderr, "diverged") {
		t.Errorf("diverging run: code %d, %q; want %d", code, stderr, ExitDiverged)
	}
}
