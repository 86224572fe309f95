package main

import (
	"path/filepath"
	"testing"

	"github.com/selunet/selunet/experiment"
)

// TestCommittedConfigsLoad: every resolved config committed under results/
// still loads with today's code, so each table's runs can be repeated
// (train -config) from the config they ran with. Configs written by older
// versions of cmd/train must keep loading.
func TestCommittedConfigsLoad(t *testing.T) {
	var paths []string
	for _, pat := range []string{"../../results/*/*.config.yaml", "../../results/*/*/*.config.yaml"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
	if len(paths) == 0 {
		t.Fatal("no config.yaml under results/")
	}
	for _, p := range paths {
		if _, err := experiment.Load(p, nil); err != nil {
			t.Error(err)
		}
	}
}
