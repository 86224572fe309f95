package experiment

import (
	"fmt"
	"math"
	"strconv"

	"github.com/selunet/selunet/model"
	"github.com/selunet/selunet/nets"
	"github.com/selunet/selunet/train"
)

// saveModel writes the model file of split k (package model): the trained
// network with the split's preprocessing and the output names.
func saveModel(path string, net *nets.Net, cfg Config, s Split, k int, hist *train.History) error {
	tr := s.Train
	info := model.Info{
		Preprocess: model.Preprocess{
			Features:  tr.FeatureNames,
			Transform: cfg.Data.Transform,
			Mean:      s.Std.Mean,
			Std:       s.Std.Std,
			Clip:      s.Std.Clip,
		},
		OutputNames: tr.TaskNames,
		Source: model.Source{Experiment: cfg.Name, Dataset: cfg.Data.Dataset, Split: s.Name, SplitIndex: k + 1,
			Seed: cfg.Seed, BestEpoch: hist.BestEpoch, Metric: cfg.Train.Metric, Val: hist.Best},
	}
	// A model needs unique names (predict matches CSV columns by name);
	// a loader without them gets numbered ones rather than a lost run.
	if !usable(info.Preprocess.Features, tr.D) {
		info.Preprocess.Features = numbered("x", tr.D, 1)
	}
	if net.Head == nets.MultiClass {
		info.OutputNames = tr.ClassNames
		if !usable(info.OutputNames, tr.Classes) {
			info.OutputNames = numbered("class", tr.Classes, 0)
		}
	} else if !usable(info.OutputNames, tr.T) {
		info.OutputNames = numbered("task", tr.T, 1)
	}
	if math.IsNaN(info.Source.Val) || math.IsInf(info.Source.Val, 0) {
		info.Source.Val = 0 // informational only; JSON has no NaN
	}
	m, err := model.New(net, info)
	if err != nil {
		return fmt.Errorf("experiment: %s: %w", s.Name, err)
	}
	return m.Save(path)
}

// numbered returns prefix+from, prefix+(from+1), ... (n names).
func numbered(prefix string, n, from int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = prefix + strconv.Itoa(i+from)
	}
	return out
}

// usable reports whether names has n unique, non-empty entries.
func usable(names []string, n int) bool {
	if len(names) != n {
		return false
	}
	seen := make(map[string]bool, n)
	for _, s := range names {
		if s == "" || seen[s] {
			return false
		}
		seen[s] = true
	}
	return true
}
