package experiment

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/selunet/selunet/datasets"
)

// ErrRunExists is matched (errors.Is) by the error Run returns when a new
// run (Options.Resume false) would write into a directory that already holds
// a run, without Options.Force.
var ErrRunExists = errors.New("run directory already holds a run")

// runFiles are the files and folders a run writes into its directory.
var runFiles = []string{"config.yaml", "metrics.json", "history.csv", "layer_stats.csv",
	"learning_curves.png", "validation.png", "layer_stats.png", "models", "state"}

// checkFresh refuses to start a new run in a directory that holds one
// (config.yaml, metrics.json or state/), unless force is set.
func checkFresh(out string, force bool) error {
	if force {
		return nil
	}
	for _, f := range []string{"config.yaml", "metrics.json", "state"} {
		if _, err := os.Stat(filepath.Join(out, f)); err == nil {
			return fmt.Errorf("experiment: %s: %w (it has %s): continue it with -resume %s, choose a new directory with -out, or pass -force to replace it", out, ErrRunExists, f, out)
		}
	}
	return nil
}

// makeRunDir creates the run directory; a new run with Force first removes
// what an earlier run wrote there (only the run's own files), and writes
// its config.yaml.
func makeRunDir(out string, cfg Config, opts Options) error {
	if !opts.Resume && opts.Force {
		for _, f := range runFiles {
			if err := os.RemoveAll(filepath.Join(out, f)); err != nil {
				return fmt.Errorf("experiment: -force: %w", err)
			}
		}
	}
	for _, d := range []string{"models", "state"} {
		if err := os.MkdirAll(filepath.Join(out, d), 0o755); err != nil {
			return fmt.Errorf("experiment: output directory: %w", err)
		}
	}
	if opts.Resume {
		return nil
	}
	return writeConfig(out, cfg)
}

// dataLocation returns d with the data location it will be read from made
// explicit, so that config.yaml records it and a resumed run finds the
// same files from any shell and any working directory: data.dir from
// SELUNET_DATA_DIR when empty, and every path absolute.
func dataLocation(d Data) Data {
	if d.Dir == "" {
		d.Dir = os.Getenv(datasets.EnvDataDir)
	}
	d.Dir = absPath(d.Dir)
	d.Tox21.Dir = absPath(d.Tox21.Dir)
	d.CSV.Path = absPath(d.CSV.Path)
	return d
}

func absPath(p string) string {
	if p == "" {
		return p
	}
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
