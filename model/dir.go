package model

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// LoadDir loads the model files of a run directory, dir/models/*.model,
// ordered by their split (Source.SplitIndex, then file name). It is an
// error when there are none.
func LoadDir(dir string) ([]*Model, error) {
	files, err := filepath.Glob(filepath.Join(dir, "models", "*.model"))
	if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	if len(files) == 0 {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("model: %w", err)
		}
		hint := "is it a run directory of a finished run?"
		if old, _ := filepath.Glob(filepath.Join(dir, "models", "*.ckpt")); len(old) > 0 {
			hint = "it has only training checkpoints (models/*.ckpt) from an older version: rerun it"
		}
		return nil, fmt.Errorf("model: %s has no model files (models/*.model); %s", dir, hint)
	}
	var ms []*Model
	for _, f := range files {
		m, err := Load(f)
		if err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	slices.SortStableFunc(ms, func(a, b *Model) int { return a.info.Source.SplitIndex - b.info.Source.SplitIndex })
	return ms, nil
}

// Pick returns the model of split index k (1-based, Source.SplitIndex)
// among models, with an error listing the splits there are.
func Pick(models []*Model, k int) (*Model, error) {
	var have []string
	for _, m := range models {
		if m.info.Source.SplitIndex == k {
			return m, nil
		}
		have = append(have, fmt.Sprintf("%d (%s)", m.info.Source.SplitIndex, m.info.Source.Split))
	}
	return nil, fmt.Errorf("model: no model of split %d; there are %s", k, strings.Join(have, ", "))
}
