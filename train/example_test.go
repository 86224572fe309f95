package train_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selunet/selunet/checkpoint"
	"github.com/selunet/selunet/datasets/synth"
	"github.com/selunet/selunet/graph"
	"github.com/selunet/selunet/ops/alphadropout"
	"github.com/selunet/selunet/ops/kit"
	"github.com/selunet/selunet/ops/selu"
	"github.com/selunet/selunet/solvers"
	"github.com/selunet/selunet/train"
)

// softsign is a user-defined op: its math is the whole op (package ops/kit).
var softsign = &kit.Unary{Name: "softsign", F: func(x float64) float64 { return x / (1 + math.Abs(x)) },
	DF: func(x float64) float64 { d := 1 + math.Abs(x); return 1 / (d * d) }}

// skipSNN is a hand-written graph: h = alphadropout(selu(x·W1)),
// out = (h + softsign(h·W2))·W3, a skip connection around a softsign layer.
type skipSNN struct{ ps *graph.Params }

func (m skipSNN) Weights() *graph.Params { return m.ps }

func (m skipSNN) Build(x *gorgonia.Node, mode graph.Mode, seed uint64) (*graph.Built, error) {
	w := func(name string, in, out int) *gorgonia.Node {
		if m.ps.Get(name) == nil {
			m.ps.Add(name, tensor.Shape{in, out}, graph.LeCunNormal())
		}
		return m.ps.Get(name).Node(x.Graph())
	}
	h := gorgonia.Must(alphadropout.Apply(gorgonia.Must(selu.Apply(gorgonia.Must(gorgonia.Mul(x, w("w1", x.Shape()[1], 32))))), 0.05, mode, seed))
	skip := gorgonia.Must(gorgonia.Add(h, gorgonia.Must(softsign.Apply(gorgonia.Must(gorgonia.Mul(h, w("w2", 32, 32)))))))
	return &graph.Built{Out: gorgonia.Must(gorgonia.Mul(skip, w("w3", 32, 1))), Hidden: []*gorgonia.Node{h, skip}}, nil
}

// Example trains a hand-written graph with the real loop (early stopping on
// the validation AUC), saves a checkpoint, and predicts from it with an
// evaluator, which needs neither a solver nor a training set.
func Example() {
	trainSet, val := synth.Teacher(512, 8, 16, 1, 1, 2), synth.Teacher(256, 8, 16, 1, 1, 3)
	cfg := train.DefaultConfig()
	cfg.Epochs, cfg.BatchSize, cfg.Patience, cfg.Smoothing = 200, 32, 5, 1
	tr, err := train.New(skipSNN{graph.NewParams(tensor.Float32, 42)}, train.BinaryCE, solvers.NewAdam(solvers.WithLR(1e-3)), trainSet, val, cfg, 7)
	if err != nil {
		panic(err)
	}
	defer tr.Close()
	hist, err := tr.Fit(context.Background())
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "skip-snn.ckpt")
	if ck, err2 := tr.Checkpoint(); err != nil || err2 != nil || checkpoint.Save(path, ck) != nil {
		panic(fmt.Sprint(err, err2))
	}
	fmt.Println("stopped early:", hist.StopReason != "reached 200 epochs")

	fresh := skipSNN{graph.NewParams(tensor.Float32, 0)} // other weights
	ev, err := train.NewEvaluator(fresh, 8, 256)         // creates them
	ck, err2 := checkpoint.Load(path)
	if err != nil || err2 != nil || train.LoadWeights(fresh.Weights(), ck) != nil {
		panic(fmt.Sprint(err, err2))
	}
	m, _ := ev.Evaluate(val, train.BinaryCE)
	fmt.Printf("AUC from the checkpoint = best validation AUC: %v, > 0.9: %v\n", m["auc"] == hist.Best, m["auc"] > 0.9)
	// Output:
	// stopped early: true
	// AUC from the checkpoint = best validation AUC: true, > 0.9: true
}

// ExampleNewStep runs the optimizer step in a loop of one's own: the
// same step Trainer runs, with its graph, kept registers and solver wiring.
func ExampleNewStep() {
	set := synth.Teacher(256, 8, 16, 1, 1, 2)
	step, err := train.NewStep(skipSNN{graph.NewParams(tensor.Float32, 42)}, train.BinaryCE,
		solvers.NewSGD(solvers.WithLR(0.05)), train.StepConfig{Batch: 64, Features: 8, Seed: 1})
	if err != nil {
		panic(err)
	}
	defer step.Close()
	var first, last float64
	for i := 0; i < 200; i++ {
		lo := 64 * (i % 4)
		rows := []int{}
		for r := lo; r < lo+64; r++ {
			rows = append(rows, r)
		}
		if last, err = step.Run(set, rows); err != nil {
			panic(err)
		}
		if i == 0 {
			first = last
		}
	}
	fmt.Printf("loss fell by more than half: %v\n", last < first/2)
	// Output:
	// loss fell by more than half: true
}
