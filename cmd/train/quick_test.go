package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
