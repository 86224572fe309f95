package experiment

import (
	"context"
	"fmt"

	"github.com/selunet/selunet/datasets/synth"
	"github.com/selunet/selunet/nets"
	"github.com/selunet/selunet/solvers"
	"github.com/selunet/selunet/train"
)

// DeepConfig describes the depth experiment: the same deep network shape
// trained with several architectures on one synthetic teacher problem
// (package synth), so their training curves can be compared. It shows the
// paper's central claim: a deep SNN trains where a plain ReLU network of the
// same depth, without normalization, struggles.
type DeepConfig struct {
	// Archs are the architectures to compare (nets.Archs names).
	Archs []string `json:"archs"`
	// Depth and Width shape every network (rectangular).
	Depth int `json:"depth"`
	Width int `json:"width"`
	// Rows and Features size the training set; the teacher has 32 tanh units.
	Rows     int `json:"rows"`
	Features int `json:"features"`
	// Epochs, BatchSize and LR configure plain SGD.
	Epochs    int     `json:"epochs"`
	BatchSize int     `json:"batch_size"`
	LR        float64 `json:"lr"`
	// Seed seeds the data and the networks.
	Seed uint64 `json:"seed"`
}

// DefaultDeepConfig compares a 16-layer SNN with a 16-layer ReLU MLP with
// He/MSRA initialization and no normalization.
func DefaultDeepConfig() DeepConfig {
	return DeepConfig{Archs: []string{nets.SNN, nets.MSRA}, Depth: 16, Width: 128, Rows: 4096, Features: 32,
		Epochs: 20, BatchSize: 64, LR: 0.01, Seed: 1}
}

// DeepResult is one architecture's training curve.
type DeepResult struct {
	// Arch is the architecture (a nets.Archs name).
	Arch string `json:"arch"`
	// TrainLoss is the mean training loss of each epoch (index 0 = epoch 1).
	TrainLoss []float64 `json:"train_loss"`
	// ValAUC is the validation AUC after each epoch (index 0 = epoch 1).
	ValAUC []float64 `json:"val_auc"`
}

// Deep trains each architecture of cfg on the same teacher problem with the
// same seed and returns the curves in the order of cfg.Archs.
func Deep(ctx context.Context, cfg DeepConfig, hooks ...train.Hook) ([]DeepResult, error) {
	if cfg.Depth < 1 || cfg.Width < 1 || cfg.Rows < 2 || cfg.Features < 1 || cfg.Epochs < 1 || cfg.BatchSize < 1 || !(cfg.LR > 0) {
		return nil, fmt.Errorf("experiment: invalid depth experiment %+v", cfg)
	}
	trainSet := synth.Teacher(cfg.Rows, cfg.Features, 32, 1, cfg.Seed, cfg.Seed+1)
	valSet := synth.Teacher(max(cfg.Rows/4, 2), cfg.Features, 32, 1, cfg.Seed, cfg.Seed+2)
	var out []DeepResult
	for _, arch := range cfg.Archs {
		spec := nets.Spec{Arch: arch, Layers: cfg.Depth, Units: cfg.Width, Shape: nets.Rectangular, Bottleneck: 0.25, Dtype: "float32"}
		net, err := nets.New(spec, cfg.Features, 1, nets.Binary, cfg.Seed)
		if err != nil {
			return nil, err
		}
		solver, err := solvers.New(solvers.Config{Name: "sgd", LR: cfg.LR})
		if err != nil {
			return nil, err
		}
		tc := train.Config{Epochs: cfg.Epochs, BatchSize: cfg.BatchSize, EvalBatchSize: 1024, Metric: train.ValAUC, Smoothing: 1}
		tr, err := train.New(net, train.BinaryCE, solver, trainSet, valSet, tc, cfg.Seed, train.WithHooks(hooks...))
		if err != nil {
			return nil, err
		}
		defer tr.Close()
		hist, err := tr.Fit(ctx)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", arch, err)
		}
		r := DeepResult{Arch: arch}
		for _, rec := range hist.Records[1:] {
			r.TrainLoss = append(r.TrainLoss, rec.Metrics[train.TrainLoss])
			r.ValAUC = append(r.ValAUC, rec.Metrics[train.ValAUC])
		}
		out = append(out, r)
	}
	return out, nil
}
