package main

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/selunet/selunet/datasets/htru2"
	"github.com/selunet/selunet/model"
	"github.com/selunet/selunet/safetensors"
)

// TestQuickStartNeedsNothing runs configs/quick.yaml as a new user on a
// fresh machine would: no data directory, no cache setting, HOME an empty
// folder. HTRU2 comes from the copy built into datasets/htru2, and nothing
// is downloaded or cached.
func TestQuickStartNeedsNothing(t *testing.T) {
	home := t.TempDir()
	for _, k := range []string{"SELUNET_DATA_DIR", "SELUNET_CACHE_DIR", "XDG_CACHE_HOME"} {
		t.Setenv(k, "")
	}
	t.Setenv("HOME", home)
	out := filepath.Join(t.TempDir(), "quick")
	code, stdout, stderr := call("-config", filepath.Join("..", "..", "configs", "quick.yaml"), "-out", out)
	if code != 0 || !strings.Contains(stdout, "htru2-quick: mean test AUC") {
		t.Fatalf("code %d\n%s\n%s", code, stdout, stderr)
	}
	for _, f := range []string{"config.yaml", "metrics.json", "history.csv", "learning_curves.png", "layer_stats.png", "validation.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("run directory lacks %s", f)
		}
	}
	if ents, _ := os.ReadDir(home); len(ents) != 0 {
		t.Errorf("HOME got %d entries (a download or cache?) want:0", len(ents))
	}
}

// TestPredictAndExport trains the quick config (one epoch), predicts a CSV
// of raw HTRU2 rows with shuffled columns, as one fold's model and as the
// fold ensemble, exports a fold as safetensors, and checks the errors a
// user meets.
func TestPredictAndExport(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	if code, _, stderr := call("-config", filepath.Join("..", "..", "configs", "quick.yaml"), "-out", run, "-set", "train.epochs=1", "-q"); code != 0 {
		t.Fatal(stderr)
	}
	s, err := htru2.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	// Columns in reverse order, plus the label column the user must skip.
	var b strings.Builder
	cols := slices.Clone(htru2.FeatureNames)
	slices.Reverse(cols)
	b.WriteString(strings.Join(cols, ";") + ";class\n")
	const n = 40
	for i := 0; i < n; i++ {
		r := s.Row(i * 400)
		for c := range cols {
			b.WriteString(strconv.FormatFloat(r[len(r)-1-c], 'g', -1, 64) + ";")
		}
		b.WriteString(strconv.Itoa(int(s.Y[i*400])) + "\n")
	}
	data := filepath.Join(dir, "new.csv")
	os.WriteFile(data, []byte(b.String()), 0o644)

	read := func(text string) [][]float64 {
		t.Helper()
		recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
		if err != nil || len(recs) != n+1 || !slices.Equal(recs[0], []string{"pulsar"}) {
			t.Fatalf("predictions: %v\n%s", err, text)
		}
		out := make([][]float64, n)
		for i, r := range recs[1:] {
			v, err := strconv.ParseFloat(r[0], 64)
			if err != nil || v < 0 || v > 1 {
				t.Fatalf("row %d: %q", i+1, r)
			}
			out[i] = []float64{v}
		}
		return out
	}
	var got [3][][]float64 // fold 1, fold 2, ensemble
	for k, extra := range [][]string{{"-fold", "1"}, {"-fold", "2"}, nil} {
		args := append([]string{"predict", "-model", run, "-data", data, "-ignore", "class", "-sep", ";"}, extra...)
		code, stdout, stderr := call(args...)
		if code != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
		got[k] = read(stdout)
	}
	for i := range got[2] {
		if math.Abs(got[2][i][0]-(got[0][i][0]+got[1][i][0])/2) > 1e-15 {
			t.Fatalf("row %d: ensemble %v, folds %v %v", i, got[2][i], got[0][i], got[1][i])
		}
	}
	// The fold model's file gives the same numbers, also after export.
	code, stdout, stderr := call("predict", "-model", filepath.Join(run, "models", "fold1.model"), "-data", data, "-ignore", "class", "-sep", ";")
	if code != 0 || !slices.EqualFunc(read(stdout), got[0], slices.Equal) {
		t.Errorf("model file: code %d %s", code, stderr)
	}
	st := filepath.Join(dir, "fold1.safetensors")
	if code, _, stderr := call("export", "-model", run, "-fold", "1", "-format", "safetensors", "-out", st); code != 0 {
		t.Fatal(stderr)
	}
	f, err := safetensors.ReadFile(st)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.ReadSafetensors(f, st)
	if err != nil {
		t.Fatal(err)
	}
	rows := make([][]float64, n)
	for i := range rows {
		rows[i] = s.Row(i * 400)
	}
	if p, err := m.Predict(rows); err != nil || !slices.EqualFunc(p, got[0], slices.Equal) {
		t.Errorf("exported model predicts %v (%v), want %v", p, err, got[0])
	}

	out := filepath.Join(dir, "preds.csv")
	short := filepath.Join(dir, "short.csv")
	os.WriteFile(short, []byte("ip_std,ip_kurtosis,dm_mean,dm_std,dm_skewness,dm_kurtosis\n1,2,3,4,5,6\n"), 0o644)
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"predict", "-model", run, "-data", data, "-sep", ";"}, 1, `unexpected "class"`},                                    // 0
		{[]string{"predict", "-model", run, "-data", short}, 1, `missing "ip_mean", "ip_skewness"`},                                  // 1
		{[]string{"predict", "-model", run, "-data", data, "-ignore", "class", "-sep", ";", "-fold", "7"}, 1, "no model of split 7"}, // 2
		{[]string{"predict", "-model", dir, "-data", data}, 1, "no model files"},                                                     // 3
		{[]string{"predict", "-model", run}, 2, "usage: train predict"},                                                              // 4
		{[]string{"export", "-model", run, "-out", filepath.Join(dir, "x.st")}, 1, "holds 2 split models; export one with -fold N"},  // 5
		{[]string{"export", "-model", run, "-fold", "1", "-out", st}, 1, "exists; choose another name or pass -force"},               // 6
		{[]string{"export", "-model", run, "-fold", "1", "-format", "onnx", "-out", out}, 1, "only export format"},                   // 7
		{[]string{"predict", "-model", st, "-data", data}, 1, "not a valid model file"},                                              // 8
		{[]string{"predict", "-model", run, "-data", data, "-ignore", "class,dm_std", "-sep", ";"}, 1, `-ignore class,dm_std: ` + filepath.Base(data) + `: cannot ignore "dm_std": it is a feature column, which the model needs (remove it from -ignore)`}, // 9
	}
	for i, c := range cases {
		code, _, stderr := call(c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%d: %v: got code %d, %q; want %d and %q", i, c.args, code, stderr, c.code, c.want)
		}
	}
	if code, _, stderr := call("predict", "-model", run, "-data", data, "-ignore", "class", "-sep", ";", "-out", out); code != 0 {
		t.Fatal(stderr)
	}
	text, _ := os.ReadFile(out)
	if p := read(string(text)); !slices.EqualFunc(p, got[2], slices.Equal) {
		t.Errorf("-out file differs from stdout")
	}
}
