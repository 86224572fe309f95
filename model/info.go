package model

import (
	"fmt"
	"math"
	"slices"

	"github.com/selunet/selunet/nets"
)

// Format and Version identify a model file.
const (
	Format  = "selunet-model"
	Version = 1
)

// Head names accepted in Info.Head.
const (
	HeadBinary     = "binary"
	HeadMultiClass = "multiclass"
)

// Transforms accepted in Preprocess.Transform.
const (
	TransformNone   = "none"
	TransformSlog1p = "slog1p"
)

// Spec is the JSON form of nets.Spec (same names as the YAML config keys).
type Spec struct {
	Arch       string  `json:"arch"`
	Layers     int     `json:"layers"`
	Units      int     `json:"units"`
	Shape      string  `json:"shape"`
	Dropout    float64 `json:"dropout"`
	Bottleneck float64 `json:"bottleneck"`
	Dtype      string  `json:"dtype"`
}

// SpecOf converts a nets.Spec.
func SpecOf(s nets.Spec) Spec {
	return Spec{Arch: s.Arch, Layers: s.Layers, Units: s.Units, Shape: s.Shape, Dropout: s.Dropout, Bottleneck: s.Bottleneck, Dtype: s.Dtype}
}

// Nets converts back to a nets.Spec.
func (s Spec) Nets() nets.Spec {
	return nets.Spec{Arch: s.Arch, Layers: s.Layers, Units: s.Units, Shape: s.Shape, Dropout: s.Dropout, Bottleneck: s.Bottleneck, Dtype: s.Dtype}
}

// Preprocess maps a raw feature row to the network's input: x_j is first
// transformed (TransformSlog1p: sign(x)·log(1+|x|)), then standardized,
// (x_j − Mean[j]) / Std[j], then, when Clip > 0, clipped to [−Clip, Clip].
// This is what package experiment does to the training rows.
type Preprocess struct {
	// Features names the input columns in the network's input order: the
	// columns of the data set as its loader produced them (for Tox21 the
	// loader's own selected, imputed and transformed columns).
	Features []string `json:"features"`
	// Transform is TransformNone or TransformSlog1p.
	Transform string `json:"transform"`
	// Mean and Std are the training rows' column statistics (after the
	// transform); every Std is positive.
	Mean []float64 `json:"mean"`
	Std  []float64 `json:"std"`
	// Clip bounds the standardized values; 0 disables.
	Clip float64 `json:"clip"`
}

// Source says where a model came from (informational; Predict ignores it).
type Source struct {
	// Experiment is the config's name, Dataset its data.dataset.
	Experiment string `json:"experiment,omitempty"`
	Dataset    string `json:"dataset,omitempty"`
	// Split names the split ("fold 3", "holdout"); SplitIndex is its
	// 1-based position among the run's splits (0 when unknown).
	Split      string `json:"split,omitempty"`
	SplitIndex int    `json:"split_index,omitempty"`
	// Settings are the grid overrides the model was trained with.
	Settings []string `json:"settings,omitempty"`
	// Seed is the experiment's seed; BestEpoch the epoch whose weights
	// these are; Metric and Val the validation metric and its smoothed
	// best value.
	Seed      uint64  `json:"seed,omitempty"`
	BestEpoch int     `json:"best_epoch,omitempty"`
	Metric    string  `json:"metric,omitempty"`
	Val       float64 `json:"val,omitempty"`
}

// Info is everything in a model file except the weights.
type Info struct {
	// Format and Version identify the file layout (Format, Version).
	Format  string `json:"format"`
	Version int    `json:"version"`
	// Spec is the network's architecture.
	Spec Spec `json:"spec"`
	// Inputs and Outputs are the network's input width and number of
	// outputs; Head is HeadBinary or HeadMultiClass.
	Inputs  int    `json:"inputs"`
	Outputs int    `json:"outputs"`
	Head    string `json:"head"`
	// OutputNames names each output: the tasks of a binary head, the
	// classes of a multi-class head (the label texts of the training file).
	OutputNames []string `json:"output_names"`
	// Preprocess turns raw feature rows into the network's input.
	Preprocess Preprocess `json:"preprocess"`
	// Source records where the model came from.
	Source Source `json:"source"`
}

// NetsHead returns the nets.Head of i.Head.
func (i *Info) NetsHead() nets.Head {
	if i.Head == HeadMultiClass {
		return nets.MultiClass
	}
	return nets.Binary
}

// Validate checks every rule listed in the package comment that Info
// alone can decide.
func (i *Info) Validate() error {
	p := &i.Preprocess
	switch {
	case i.Format != Format:
		return fmt.Errorf("format %q, want %q", i.Format, Format)
	case i.Version != Version:
		return fmt.Errorf("version %d, this build reads version %d", i.Version, Version)
	case i.Inputs < 1 || i.Outputs < 1:
		return fmt.Errorf("%d inputs and %d outputs, want at least 1 of each", i.Inputs, i.Outputs)
	case i.Head != HeadBinary && i.Head != HeadMultiClass:
		return fmt.Errorf("head %q, want %q or %q", i.Head, HeadBinary, HeadMultiClass)
	case i.Head == HeadMultiClass && i.Outputs < 2:
		return fmt.Errorf("a multi-class head needs at least 2 outputs, has %d", i.Outputs)
	case len(i.OutputNames) != i.Outputs:
		return fmt.Errorf("%d output names for %d outputs", len(i.OutputNames), i.Outputs)
	case len(p.Features) != i.Inputs || len(p.Mean) != i.Inputs || len(p.Std) != i.Inputs:
		return fmt.Errorf("preprocess has %d features, %d means and %d standard deviations for %d inputs", len(p.Features), len(p.Mean), len(p.Std), i.Inputs)
	case p.Transform != TransformNone && p.Transform != TransformSlog1p:
		return fmt.Errorf("transform %q, want %q or %q", p.Transform, TransformNone, TransformSlog1p)
	case !(p.Clip >= 0) || math.IsInf(p.Clip, 0):
		return fmt.Errorf("clip %v, want a finite value ≥ 0", p.Clip)
	}
	if err := i.Spec.Nets().Validate(); err != nil {
		return fmt.Errorf("spec: %w", err)
	}
	for j := range p.Mean {
		if m, s := p.Mean[j], p.Std[j]; math.IsNaN(m) || math.IsInf(m, 0) || !(s > 0) || math.IsInf(s, 0) {
			return fmt.Errorf("feature %q: mean %v, std %v; want finite values and std > 0", p.Features[j], m, s)
		}
	}
	if err := names("feature", p.Features); err != nil {
		return err
	}
	return names("output", i.OutputNames)
}

// names checks that list has unique, non-empty names.
func names(what string, list []string) error {
	s := slices.Clone(list)
	slices.Sort(s)
	for k, n := range s {
		if n == "" {
			return fmt.Errorf("empty %s name", what)
		}
		if k > 0 && s[k-1] == n {
			return fmt.Errorf("%s name %q repeated", what, n)
		}
	}
	return nil
}
