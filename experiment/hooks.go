package experiment

import (
	"io"
	"slices"
	"time"

	"github.com/selunet/selunet/progress"
	"github.com/selunet/selunet/train"
)

// logHook reports training progress: a progress bar on a terminal, plain
// lines otherwise (package progress).
type logHook struct {
	w     io.Writer
	split string
	rep   progress.Reporter
	start time.Time
}

func newLogHook(w io.Writer, split string) *logHook { return &logHook{w: w, split: split} }

// EpochStart implements train.Hook.
func (h *logHook) EpochStart(epoch, epochs, steps int) {
	if h.rep == nil {
		h.rep = progress.New(h.w, epochs)
		h.rep.Printf("%s", h.split)
	}
	h.start = time.Now()
	h.rep.StartEpoch(epoch, steps)
}

// Step implements train.Hook.
func (h *logHook) Step(step int, loss float64) { h.rep.Step(step, loss) }

// metricOrder is the order metrics are printed in; others follow sorted.
var metricOrder = []string{train.TrainLoss, train.ValLoss, train.ValAUC, train.ValAccuracy}

// EpochEnd implements train.Hook.
func (h *logHook) EpochEnd(_ *train.Trainer, r train.Record) error {
	var ms []progress.Metric
	for _, k := range metricOrder {
		if v, ok := r.Metrics[k]; ok {
			ms = append(ms, progress.Metric{Name: k, Value: v})
		}
	}
	var rest []string
	for k := range r.Metrics {
		if !slices.Contains(metricOrder, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		ms = append(ms, progress.Metric{Name: k, Value: r.Metrics[k]})
	}
	h.rep.EndEpoch(r.Epoch, ms, time.Since(h.start))
	return nil
}

// close finishes the reporter's output.
func (h *logHook) close() {
	if h.rep != nil {
		h.rep.Close()
	}
}
