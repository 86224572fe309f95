package train

import (
	"context"
	"errors"
	"math"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selunet/selunet/checkpoint"
	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/datasets/synth"
	"github.com/selunet/selunet/graph"
	"github.com/selunet/selunet/nets"
	"github.com/selunet/selunet/ops/alphadropout"
	"github.com/selunet/selunet/ops/selu"
	"github.com/selunet/selunet/solvers"
)

// teacherSet returns n rows of a fixed 10-feature, 2-task teacher problem.
func teacherSet(n, d, tasks int, seed uint64) *datasets.Set {
	return synth.Teacher(n, d, 16, tasks, 1, seed)
}

func smallConfig() Config {
	c := DefaultConfig()
	c.Epochs, c.BatchSize, c.EvalBatchSize, c.Patience, c.Smoothing, c.StatsRows = 6, 32, 100, 0, 1, 64
	return c
}

// withoutTimes zeroes the wall times of h's records, the one part of a
// history that differs between identical runs, and returns h.
func withoutTimes(h *History) *History {
	for i := range h.Records {
		h.Records[i].Seconds = 0
	}
	return h
}

func newTrainer(t *testing.T, spec nets.Spec, opt solvers.Config, cfg Config, seed uint64) *Trainer {
	t.Helper()
	tr, va := teacherSet(256, 10, 2, 11), teacherSet(100, 10, 2, 12)
	// Missing labels: every 7th label of the training set.
	tr.Mask = make([]float64, len(tr.Y))
	for i := range tr.Mask {
		if i%7 != 3 {
			tr.Mask[i] = 1
		} else {
			tr.Y[i] = 0
		}
	}
	net, err := nets.New(spec, 10, 2, nets.Binary, seed)
	if err != nil {
		t.Fatal(err)
	}
	s, err := solvers.New(opt)
	if err != nil {
		t.Fatal(err)
	}
	trainer, err := New(net, BinaryCE, s, tr, va, cfg, seed)
	if err != nil {
		t.Fatal(err)
	}
	return trainer
}

var snnSpec = nets.Spec{Arch: nets.SNN, Layers: 3, Units: 32, Shape: nets.Rectangular, Dropout: 0.1, Dtype: "float32"}

func TestFitLearnsAndIsDeterministic(t *testing.T) {
	opt := solvers.Config{Name: "adam", LR: 1e-3}
	a := newTrainer(t, snnSpec, opt, smallConfig(), 5)
	ha, err := a.Fit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b := newTrainer(t, snnSpec, opt, smallConfig(), 5)
	hb, err := b.Fit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(withoutTimes(ha), withoutTimes(hb)) {
		t.Fatalf("two runs with the same seed differ:\n%+v\n%+v", ha.Records, hb.Records)
	}
	first, last := ha.Records[1].Metrics[TrainLoss], ha.Records[len(ha.Records)-1].Metrics[TrainLoss]
	if !(last < first) {
		t.Errorf("training loss did not fall: %v → %v", first, last)
	}
	if auc := ha.Records[len(ha.Records)-1].Metrics[ValAUC]; !(auc > 0.6) {
		t.Errorf("validation AUC %v, want > 0.6", auc)
	}
	if len(ha.Records[0].Layers) != 3 {
		t.Errorf("got %d layer statistics, want 3", len(ha.Records[0].Layers))
	}
	c := newTrainer(t, snnSpec, opt, smallConfig(), 6)
	hc, _ := c.Fit(context.Background())
	if hc.Records[1].Metrics[TrainLoss] == ha.Records[1].Metrics[TrainLoss] {
		t.Error("a different seed gave the same training loss")
	}
}

// TestResume interrupts training after two epochs, saves a checkpoint to
// disk, restores it into a fresh trainer and checks that the continued run
// ends with exactly the history and weights of an uninterrupted run.
func TestResume(t *testing.T) {
	for _, opt := range []solvers.Config{{Name: "adam", LR: 1e-3}, {Name: "sgd", LR: 0.05, Momentum: 0.9}} {
		cfg := smallConfig()
		full := newTrainer(t, snnSpec, opt, cfg, 9)
		hf, err := full.Fit(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		short := cfg
		short.Epochs = 2
		part := newTrainer(t, snnSpec, opt, short, 9)
		if _, err := part.Fit(context.Background()); err != nil {
			t.Fatal(err)
		}
		ck, err := part.Checkpoint()
		if err != nil {
			t.Fatal(err)
		}
		path := t.TempDir() + "/state.ckpt"
		if err := checkpoint.Save(path, ck); err != nil {
			t.Fatal(err)
		}
		if ck, err = checkpoint.Load(path); err != nil {
			t.Fatal(err)
		}
		rest := newTrainer(t, snnSpec, opt, cfg, 9)
		if err := rest.Restore(ck); err != nil {
			t.Fatal(err)
		}
		hr, err := rest.Fit(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(withoutTimes(hf), withoutTimes(hr)) {
			t.Fatalf("%s: resumed history differs:\n%+v\n%+v", opt.Name, hf.Records, hr.Records)
		}
		for i, p := range full.Model().Weights().All() {
			q := rest.Model().Weights().All()[i]
			if !reflect.DeepEqual(p.Value.Data(), q.Value.Data()) {
				t.Fatalf("%s: parameter %s differs after resume", opt.Name, p.Name)
			}
		}
	}
}

func TestDivergenceIsAnError(t *testing.T) {
	spec := snnSpec
	spec.Dropout = 0
	tr := newTrainer(t, spec, solvers.Config{Name: "sgd", LR: 1e6}, smallConfig(), 1)
	_, err := tr.Fit(context.Background())
	if !errors.Is(err, ErrDiverged) {
		t.Fatalf("got:%v want: ErrDiverged", err)
	}
	// The package names itself once, then the context, then the cause.
	if msg := err.Error(); !regexp.MustCompile(`^train: epoch 1 step \d+: loss diverged: loss is `).MatchString(msg) {
		t.Errorf("message %q, want \"train: epoch 1 step N: loss diverged: loss is ...\"", msg)
	}
}

// TestNonFiniteOutputsAreDivergence: weights that make the outputs NaN or
// infinite (as after a step too large for the validation to survive) give
// ErrDiverged from Evaluate, not a metrics error.
func TestNonFiniteOutputsAreDivergence(t *testing.T) {
	for i, bad := range []float32{float32(math.NaN()), float32(math.Inf(1))} {
		spec := snnSpec
		spec.Dropout = 0
		tr := newTrainer(t, spec, solvers.Config{Name: "sgd", LR: 0.01}, smallConfig(), 1)
		w := tr.Model().Weights().All()[0].Value.Data().([]float32)
		for j := range w {
			w[j] = bad
		}
		_, err := tr.Evaluate(teacherSet(20, 10, 2, 13))
		if !errors.Is(err, ErrDiverged) {
			t.Errorf("%d (%v weights): got:%v want: ErrDiverged", i, bad, err)
		}
	}
}

func TestEarlyStopping(t *testing.T) {
	cases := []struct {
		metric    string
		smoothing int
		patience  int
		start     int // StartFromEpoch
		values    []float64
		best      int // 1-based epoch
		stoppedAt int // 0: not stopped
	}{
		// 0: AUC peaks at epoch 2, patience 2 stops at epoch 4
		{ValAUC, 1, 2, 0, []float64{0.7, 0.8, 0.75, 0.74, 0.9}, 2, 4},
		// 1: loss keeps falling: never stops
		{ValLoss, 1, 2, 0, []float64{0.9, 0.8, 0.7, 0.6}, 4, 0},
		// 2: smoothing over 2 epochs: the moving average peaks at epoch 3
		{ValAUC, 2, 1, 0, []float64{0.70, 0.72, 0.90, 0.60, 0.61}, 3, 4},
		// 3: patience 0 never stops
		{ValAUC, 1, 0, 0, []float64{0.9, 0.1, 0.1, 0.1}, 1, 0},
		// 4: start 1 is every epoch, as 0
		{ValAUC, 1, 0, 1, []float64{0.9, 0.1, 0.1, 0.1}, 1, 0},
		// 5: a lucky first epoch (a window of one value, 1) cannot win
		// from start 3 = the smoothing window; the full windows (0.5, 0.5,
		// 0.6, 0.53) peak at epoch 5
		{ValAccuracy, 3, 0, 3, []float64{1, 0.2, 0.3, 1, 0.5, 0.1}, 5, 0},
		// 6: patience counts from the start epoch: epochs 1-3 are not "bad"
		{ValAUC, 1, 2, 3, []float64{0.9, 0.1, 0.1, 0.5, 0.4, 0.3, 0.2}, 4, 6},
	}
	for i, c := range cases {
		tr := &Trainer{cfg: Config{Metric: c.metric, Smoothing: c.smoothing, Patience: c.patience, StartFromEpoch: c.start}}
		tr.st.History.BestEpoch = -1
		stopped := 0
		for e, v := range c.values {
			tr.earlyStopping(Record{Epoch: e + 1, Metrics: map[string]float64{c.metric: v}})
			if tr.st.Early {
				stopped = e + 1
				break
			}
		}
		if tr.st.History.BestEpoch != c.best || stopped != c.stoppedAt {
			t.Errorf("%d: got best %d stopped %d, want best %d stopped %d", i, tr.st.History.BestEpoch, stopped, c.best, c.stoppedAt)
		}
	}
}

// TestPredictNeedsNoLabels: prediction reads features only (a set without
// label columns), and an evaluator over a fresh model with the weights of a
// checkpoint predicts what the trainer predicts, with no solver and no
// training set.
func TestPredictNeedsNoLabels(t *testing.T) {
	tr := newTrainer(t, snnSpec, solvers.Config{Name: "adam", LR: 1e-3}, smallConfig(), 3)
	defer tr.Close()
	if _, err := tr.Fit(context.Background()); err != nil {
		t.Fatal(err)
	}
	labelled := teacherSet(37, 10, 2, 14)
	features := &datasets.Set{N: labelled.N, D: labelled.D, X: labelled.X}
	want, err := tr.Predict(labelled)
	if err != nil {
		t.Fatal(err)
	}
	got, err := tr.Predict(features)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("unlabelled predictions differ: got:%v want:%v", got[:4], want[:4])
	}
	ck, err := tr.Checkpoint()
	if err != nil {
		t.Fatal(err)
	}
	net, err := nets.New(snnSpec, 10, 2, nets.Binary, 99) // other initial weights
	if err != nil {
		t.Fatal(err)
	}
	ev, err := NewEvaluator(net, 10, 16)
	if err != nil {
		t.Fatal(err)
	}
	defer ev.Close()
	if err := LoadWeights(net.Weights(), ck); err != nil {
		t.Fatal(err)
	}
	if got, err = ev.Predict(features, BinaryCE); err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-6 {
			t.Fatalf("row %d task %d: got:%v want:%v", i/2, i%2, got[i], want[i])
		}
	}
	if _, err := ev.Predict(&datasets.Set{N: 1, D: 3, X: make([]float64, 3)}, BinaryCE); err == nil {
		t.Error("3 features for a 10-input model: got:nil want:error")
	}
	other, _ := nets.New(nets.Spec{Arch: nets.SNN, Layers: 2, Units: 8, Shape: nets.Rectangular, Dtype: "float32"}, 10, 2, nets.Binary, 1)
	if err := LoadWeights(other.Weights(), ck); err == nil {
		t.Error("weights of another architecture: got:nil want:error")
	}
}

// TestStepConfigErrors: a step needs a batch, features, model, loss and
// solver.
func TestStepConfigErrors(t *testing.T) {
	net, err := nets.New(snnSpec, 10, 2, nets.Binary, 1)
	if err != nil {
		t.Fatal(err)
	}
	sgd := solvers.NewSGD()
	cases := []struct {
		loss Loss
		cfg  StepConfig
	}{
		{BinaryCE, StepConfig{Batch: 0, Features: 10}}, // 0
		{BinaryCE, StepConfig{Batch: 4, Features: 0}},  // 1
		{nil, StepConfig{Batch: 4, Features: 10}},      // 2
		{BinaryCE, StepConfig{Batch: 4, Features: 9}},  // 3: the model has 10 inputs
	}
	for i, c := range cases {
		if _, err := NewStep(net, c.loss, sgd, c.cfg); err == nil {
			t.Errorf("%d: got:nil want:error", i)
		}
	}
}

// dropNet is a hand-written model with alpha dropout and no Built.Streams:
// the step saves its dropout streams itself (graph.OpStreams).
type dropNet struct{ ps *graph.Params }

func (m dropNet) Weights() *graph.Params { return m.ps }

func (m dropNet) Build(x *gorgonia.Node, mode graph.Mode, seed uint64) (*graph.Built, error) {
	w := func(name string, in, out int) *gorgonia.Node {
		if m.ps.Get(name) == nil {
			m.ps.Add(name, tensor.Shape{in, out}, graph.LeCunNormal())
		}
		return m.ps.Get(name).Node(x.Graph())
	}
	h, err := selu.Apply(gorgonia.Must(gorgonia.Mul(x, w("w1", x.Shape()[1], 16))))
	if err != nil {
		return nil, err
	}
	if h, err = alphadropout.Apply(h, 0.2, mode, seed); err != nil {
		return nil, err
	}
	out, err := gorgonia.Mul(h, w("w2", 16, 2))
	return &graph.Built{Out: out}, err
}

// TestResumeCustomModel: a hand-written model with dropout resumes from a
// checkpoint to the numbers of an uninterrupted run.
func TestResumeCustomModel(t *testing.T) {
	tr, va := teacherSet(256, 10, 2, 11), teacherSet(100, 10, 2, 12)
	cfg := smallConfig()
	run := func(epochs int, ck *checkpoint.Checkpoint) (*Trainer, *History) {
		c := cfg
		c.Epochs = epochs
		s, err := solvers.New(solvers.Config{Name: "adam", LR: 1e-3})
		if err != nil {
			t.Fatal(err)
		}
		trainer, err := New(dropNet{graph.NewParams(tensor.Float32, 4)}, BinaryCE, s, tr, va, c, 4)
		if err != nil {
			t.Fatal(err)
		}
		if ck != nil {
			if err := trainer.Restore(ck); err != nil {
				t.Fatal(err)
			}
		}
		h, err := trainer.Fit(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return trainer, h
	}
	_, hf := run(cfg.Epochs, nil)
	part, _ := run(2, nil)
	ck, err := part.Checkpoint()
	if err != nil {
		t.Fatal(err)
	}
	if len(ck.Blobs["graph"]) == 0 {
		t.Fatal("checkpoint holds no dropout stream state")
	}
	_, hr := run(cfg.Epochs, ck)
	if !reflect.DeepEqual(withoutTimes(hf), withoutTimes(hr)) {
		t.Fatalf("resumed history differs:\n%+v\n%+v", hf.Records, hr.Records)
	}
}

// TestStartFromEpochValidate: a start epoch beyond the last epoch is a
// config error naming the key; up to epochs is fine.
func TestStartFromEpochValidate(t *testing.T) {
	c := DefaultConfig()
	c.StartFromEpoch = c.Epochs
	if err := c.Validate(); err != nil {
		t.Fatalf("start_from_epoch = epochs: %v", err)
	}
	c.StartFromEpoch = c.Epochs + 1
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), "start_from_epoch: is 101, must be at most epochs (100)") {
		t.Fatalf("got %v, want a start_from_epoch error", err)
	}
}

// TestEvalBatch: the validation set is split into the fewest equal batches.
func TestEvalBatch(t *testing.T) {
	for _, c := range []struct{ max, n, want int }{
		{1024, 0, 1024}, {1024, 3, 3}, {1024, 1024, 1024}, {1024, 1025, 513},
		{1024, 1200, 600}, {1024, 2049, 683}, {1, 5, 1}, {7, 100, 7},
	} {
		if got := evalBatch(c.max, c.n); got != c.want {
			t.Errorf("evalBatch(%d, %d) = %d, want %d", c.max, c.n, got, c.want)
		}
	}
}

// TestEvalBatchSizeKeepsNumbers: the evaluation batch size changes how
// rows are grouped, not the numbers: the whole history (validation metrics
// of every epoch) is the same with one batch of 100 rows, 15 batches of 7 and
// batches of 1.
func TestEvalBatchSizeKeepsNumbers(t *testing.T) {
	var want []Record
	for _, b := range []int{1024, 7, 1} {
		cfg := smallConfig()
		cfg.EvalBatchSize = b
		tr := newTrainer(t, snnSpec, solvers.Config{Name: "sgd", LR: 0.05}, cfg, 3)
		h, err := tr.Fit(context.Background())
		tr.Close()
		if err != nil {
			t.Fatal(err)
		}
		got := withoutTimes(h).Records
		if want == nil {
			want = got
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("eval batch %d: history differs:\n%+v\nwant\n%+v", b, got[len(got)-1], want[len(want)-1])
		}
	}
}
