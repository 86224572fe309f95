package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestFlatConfig(t *testing.T) {
	p := filepath.Join(t.TempDir(), "config.yaml")
	yaml := "name: x\nmodel:\n  layers: 2\n  dropout: 0.05\noptimizer:\n  beta1: null\ngrid:\n  optimizer.lr:\n    - 0.01\n    - 0.1\n"
	if err := os.WriteFile(p, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := flatConfig(p)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"name":              "x",
		"model.layers":      "2",
		"model.dropout":     "0.05",
		"optimizer.beta1":   "null",
		"grid.optimizer.lr": "[0.01, 0.1]",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("flatConfig = %v, want %v", got, want)
	}
}

func TestConfigDiff(t *testing.T) {
	base := map[string]string{"name": "a", "model.layers": "2", "optimizer.l2": "0.0001", "optimizer.beta1": "0", "train.patience": "10", "output.dir": "x"}
	cases := []struct {
		name  string
		probe map[string]string
		want  []string
	}{
		{"same", map[string]string{"name": "b", "model.layers": "2", "optimizer.l2": "0.0001", "optimizer.beta1": "0", "train.patience": "10", "output.dir": "y"}, []string{"nothing"}},
		{"zero values are one value", map[string]string{"model.layers": "2", "optimizer.l2": "0.0001", "optimizer.beta1": "null", "train.patience": "10", "train.start_from_epoch": "0"}, []string{"nothing"}},
		{"changed and added keys, sorted", map[string]string{"model.layers": "3", "optimizer.l2": "0.001", "train.patience": "0", "train.start_from_epoch": "10"},
			[]string{"model.layers: 2 → 3", "optimizer.l2: 0.0001 → 0.001", "train.patience: 10 → 0", "train.start_from_epoch: (none) → 10"}},
		{"removed key", map[string]string{"model.layers": "2", "optimizer.beta1": "0", "train.patience": "10"}, []string{"optimizer.l2: 0.0001 → (none)"}},
	}
	for _, c := range cases {
		if got := configDiff(base, c.probe); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: configDiff = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestProbeTable(t *testing.T) {
	dir := t.TempDir()
	write := func(run, cfg string) {
		d := filepath.Join(dir, run)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		metrics := `{"name":"x","test_auc":0.81,"folds":[{"name":"holdout","test_auc":0.81,"settings":["model.dropout=0.1"],"val":0.88,
"grid":[{"settings":["model.dropout=0.05"],"val":0.87,"test_auc":0.82},{"settings":["model.dropout=0.1"],"val":0.88,"test_auc":0.81}]}]}`
		files := map[string]string{
			"config.yaml":  cfg,
			"metrics.json": metrics,
			"wall.tsv":     "2026-11-29T05:00:00Z\t2026-11-29T05:06:00Z\t360\t0\tabc\tvm 2cpu load 1 1 1\n",
		}
		for f, s := range files {
			if err := os.WriteFile(filepath.Join(d, f), []byte(s), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	write("base", "name: a\noptimizer:\n  l2: 0.0001\n")
	write("probes/l2", "name: b\noptimizer:\n  l2: 0.001\n")
	if err := os.MkdirAll(filepath.Join(dir, "probes", "unfinished"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "probes", "unfinished", "config.yaml"), []byte("name: c\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if err := probe([]string{"-base", filepath.Join(dir, "base"), "-runs", filepath.Join(dir, "probes"), "-out", out}); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(out, "table.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| base | (the base) | model.dropout=0.1 | 0.8800 | 0.8100 | 6 min | abc |",
		"| l2 | optimizer.l2: 0.0001 → 0.001 | model.dropout=0.1 | 0.8800 | 0.8100 | 6 min | abc |",
		"| l2 | model.dropout=0.1 (chosen) | 0.8800 | 0.8100 |",
		"| l2 | model.dropout=0.05 | 0.8700 | 0.8200 |",
		"**Not finished:** unfinished.",
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("table.md lacks %q:\n%s", want, md)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "l2.metrics.json")); err != nil {
		t.Errorf("the probe's metrics were not copied: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "base.metrics.json")); err == nil {
		t.Errorf("the base run was copied; it belongs to its own table")
	}
}
