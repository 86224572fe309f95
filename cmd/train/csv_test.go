package main

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestCSVExample follows the README's "Your own CSV" section with the
// shipped table: train configs/csv-example.yaml (fewer epochs), predict the
// new machines (columns in another order, an ID column), export a fold.
func TestCSVExample(t *testing.T) {
	t.Chdir(filepath.Join("..", "..")) // the config's paths are relative to the repository root
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	code, stdout, stderr := call("-config", "configs/csv-example.yaml", "-out", run, "-set", "train.epochs=3", "-q")
	if code != 0 || !strings.Contains(stdout, "csv-example: mean test AUC") || !strings.Contains(stdout, ", accuracy ") {
		t.Fatalf("train: code %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = call("predict", "-model", run, "-data", "configs/data/machines-new.csv", "-id", "machine")
	if code != 0 {
		t.Fatal(stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil || len(recs) != 13 || !slices.Equal(recs[0], []string{"machine", "faulty", "ok", "worn"}) {
		t.Fatalf("predictions (%v):\n%s", err, stdout)
	}
	for i, r := range recs[1:] {
		var sum float64
		for _, c := range r[1:] {
			v, _ := strconv.ParseFloat(c, 64)
			sum += v
		}
		if r[0] != fmt.Sprintf("new%02d", i+1) || math.Abs(sum-1) > 1e-9 {
			t.Errorf("row %d: %v (sum %v)", i+1, r, sum)
		}
	}
	st := filepath.Join(dir, "machines.safetensors")
	if code, _, stderr := call("export", "-model", run, "-fold", "1", "-format", "safetensors", "-out", st); code != 0 {
		t.Fatal(stderr)
	}
	if fi, err := os.Stat(st); err != nil || fi.Size() < 1000 {
		t.Errorf("export: %v", err)
	}
}
