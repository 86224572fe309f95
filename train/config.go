package train

import (
	"strings"

	"github.com/selunet/selunet/config"
)

// Metric names recorded in the history and accepted by Config.Metric.
const (
	TrainLoss   = "train_loss"
	ValLoss     = "val_loss"
	ValAUC      = "val_auc"
	ValAccuracy = "val_accuracy"
)

// Config is the `train:` section of a cmd/train config.
type Config struct {
	// Epochs is the maximum number of passes over the training data, ≥ 1.
	Epochs int `yaml:"epochs" cfg:"min=1"`
	// BatchSize is the number of rows per optimizer step, ≥ 1. Each epoch
	// uses ⌊N/BatchSize⌋ full batches of a fresh permutation (the rows left
	// over are used in other epochs); a training set smaller than one batch
	// is used whole.
	BatchSize int `yaml:"batch_size" cfg:"min=1"`
	// EvalBatchSize is the largest number of rows per evaluation forward
	// pass, ≥ 1; the validation set is split into the fewest equal batches
	// of at most this size. The numbers do not depend on it.
	EvalBatchSize int `yaml:"eval_batch_size" cfg:"min=1"`
	// Metric is the validation metric for early stopping and for choosing
	// the best epoch: val_auc, val_loss or val_accuracy.
	Metric string `yaml:"metric" cfg:"oneof=val_auc|val_loss|val_accuracy"`
	// Patience stops training after this many epochs without improvement of
	// the (smoothed) metric; 0 never stops early.
	Patience int `yaml:"patience" cfg:"min=0"`
	// Smoothing is the window of the moving average applied to the
	// validation curve before comparing epochs (the paper smooths over 10
	// epochs); 1 means no smoothing.
	Smoothing int `yaml:"smoothing" cfg:"min=1"`
	// StartFromEpoch is the first epoch that may become the best epoch and
	// from which patience counts (Keras' start_from_epoch): earlier epochs
	// only enter the moving average. With StartFromEpoch ≥ Smoothing every
	// candidate is an average of a full window, so a single noisy early
	// value (a tiny validation set) cannot win. 0 or 1: every epoch; at
	// most Epochs.
	StartFromEpoch int `yaml:"start_from_epoch" cfg:"min=0"`
	// MinDelta is the smallest change of the metric that counts as an
	// improvement, ≥ 0.
	MinDelta float64 `yaml:"min_delta" cfg:"min=0"`
	// RestoreBest restores the weights of the best epoch when training ends.
	RestoreBest bool `yaml:"restore_best"`
	// StatsRows is the number of training rows whose hidden activations are
	// summarized (per-layer mean and variance) after every epoch; 0 disables.
	StatsRows int `yaml:"stats_rows" cfg:"min=0"`
}

// DefaultConfig returns the paper's protocol: up to 100 epochs, early
// stopping on the validation AUC smoothed over 10 epochs, best weights
// restored.
func DefaultConfig() Config {
	return Config{Epochs: 100, BatchSize: 128, EvalBatchSize: 1024, Metric: ValAUC, Patience: 20, Smoothing: 10, RestoreBest: true, StatsRows: 512}
}

// Validate reports the fields that break their cfg tag rules (config.Check),
// and a start_from_epoch beyond epochs, as config.FieldErrors whose keys are
// relative to the section ("epochs", "metric", ...).
func (c Config) Validate() error {
	if err := config.Check(c); err != nil {
		return err
	}
	if c.StartFromEpoch > c.Epochs {
		return config.Errorf("start_from_epoch", "is %d, must be at most epochs (%d): no epoch could become the best", c.StartFromEpoch, c.Epochs)
	}
	return nil
}

// HigherIsBetter reports whether larger values of metric are better: true
// for AUCs and accuracies, false for losses (names ending in "loss").
func HigherIsBetter(metric string) bool { return !strings.HasSuffix(metric, "loss") }
