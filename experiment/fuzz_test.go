package experiment

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/selunet/selunet/config"
)

// FuzzLoadConfig loads arbitrary YAML with "-set" overrides (one per line of
// sets) as an experiment config, as `train -config x.yaml -set ...` does.
// Properties: no panic, no hang (grids included); an error names the file
// or the override; an accepted config marshals, loads back equal, and
// marshals again to the same bytes.
func FuzzLoadConfig(f *testing.F) {
	for _, p := range []string{"../configs/htru2.yaml", "../configs/tox21.yaml", "../configs/uci.yaml"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b), "train.epochs=5")
		}
	}
	f.Add("data: {dataset: csv, csv: {path: x.csv, labels: [y]}}\ngrid:\n  model.layers: [2, 4]\n  optimizer.lr: [0.1]\n", "seed=3")
	f.Add("grid:\n  a: &a [1, 2]\n  b: *a\n  c: *a\n  d: *a\n", "")
	f.Add("model: {units: 0}\n", "model.dropout=2\ndata.folds=x\ngrid.x=[1]")
	f.Add("data:\n  dataset: uci\n  protocol: cv\n", "data.tox21.features=[ecfp4]")
	dir := f.TempDir()
	path := filepath.Join(dir, "fuzz.yaml")
	f.Fuzz(func(t *testing.T, doc, sets string) {
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		var ss []string
		if sets != "" {
			ss = strings.Split(sets, "\n")
		}
		cfg, err := Load(path, ss)
		if err != nil {
			if !strings.Contains(err.Error(), path) && !strings.Contains(err.Error(), "-set ") {
				t.Fatalf("error %q names neither the file nor an override", err)
			}
			var list config.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %v (%T) is not an ErrorList", err, err)
			}
			return
		}
		out, err := Marshal(cfg)
		if err != nil {
			t.Fatalf("Marshal of an accepted config: %v", err)
		}
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := Load(path, nil)
		if err != nil {
			t.Fatalf("loading the marshalled config: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(got, cfg) {
			t.Fatalf("round trip changed the config:\ngot:  %+v\nwant: %+v\nyaml:\n%s", got, cfg, out)
		}
		if out2, err := Marshal(got); err != nil || string(out2) != string(out) {
			t.Fatalf("marshal is not stable (err %v):\n%s\n---\n%s", err, out, out2)
		}
	})
}

// TestGridTooLarge: a grid of 64 keys with 2 values each (2^64 points, found
// by reasoning about FuzzLoadConfig's hang property) is refused at once
// instead of being enumerated.
func TestGridTooLarge(t *testing.T) {
	var b strings.Builder
	b.WriteString("grid:\n")
	for i := range 64 {
		b.WriteString("  model.k" + strings.Repeat("x", i) + ": [1, 2]\n")
	}
	path := filepath.Join(t.TempDir(), "grid.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path, nil)
	want := path + ":1:1: grid: has more than 10000 points (the product of its value counts); split it into several runs"
	if err == nil || err.Error() != want {
		t.Errorf("got:%v\nwant:%s", err, want)
	}
}
