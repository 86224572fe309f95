package model

import (
	"fmt"
	"slices"
)

// Predictor is a Model or an Ensemble.
type Predictor interface {
	// Features names the input columns, in the order Predict takes them.
	Features() []string
	// OutputNames names the output probabilities.
	OutputNames() []string
	// Predict returns one row of probabilities per input row.
	Predict(rows [][]float64) ([][]float64, error)
}

// Ensemble averages the probabilities of several models (for example the
// fold models of a cross-validation run, each with its own
// standardization).
type Ensemble struct {
	models []*Model
}

// NewEnsemble groups models that take the same features in the same order
// and have the same head and output names.
func NewEnsemble(models ...*Model) (*Ensemble, error) {
	if len(models) == 0 {
		return nil, fmt.Errorf("model: an ensemble needs at least one model")
	}
	a := &models[0].info
	for k, m := range models[1:] {
		b := &m.info
		switch {
		case !slices.Equal(a.Preprocess.Features, b.Preprocess.Features):
			return nil, fmt.Errorf("model: ensemble member %d takes features %v, member 1 takes %v", k+2, b.Preprocess.Features, a.Preprocess.Features)
		case a.Head != b.Head || !slices.Equal(a.OutputNames, b.OutputNames):
			return nil, fmt.Errorf("model: ensemble member %d has %s outputs %v, member 1 has %s outputs %v", k+2, b.Head, b.OutputNames, a.Head, a.OutputNames)
		}
	}
	return &Ensemble{models: slices.Clone(models)}, nil
}

// Models returns the members.
func (e *Ensemble) Models() []*Model { return slices.Clone(e.models) }

// Features returns the members' input column names.
func (e *Ensemble) Features() []string { return e.models[0].Features() }

// OutputNames returns the members' output names.
func (e *Ensemble) OutputNames() []string { return e.models[0].OutputNames() }

// Predict returns the mean over members of their probabilities.
func (e *Ensemble) Predict(rows [][]float64) ([][]float64, error) {
	var sum [][]float64
	for _, m := range e.models {
		p, err := m.Predict(rows)
		if err != nil {
			return nil, err
		}
		if sum == nil {
			sum = p
			continue
		}
		for i, r := range p {
			for j, v := range r {
				sum[i][j] += v
			}
		}
	}
	n := float64(len(e.models))
	for _, r := range sum {
		for j := range r {
			r[j] /= n
		}
	}
	return sum, nil
}
