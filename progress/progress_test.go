package progress_test

import (
	"bytes"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/selunet/selunet/progress"
)

// run drives a reporter through two epochs of four steps with fixed losses.
func run(r progress.Reporter) {
	for e := 1; e <= 2; e++ {
		r.StartEpoch(e, 4)
		for s := 1; s <= 4; s++ {
			r.Step(s, float64(s)/10) // mean after 2 steps: 0.15, after 4: 0.25
		}
		if e == 1 {
			r.Printf("saved checkpoint %s", "run/ck.bin")
		}
		r.EndEpoch(e, []progress.Metric{{Name: "train_loss", Value: 0.25}, {Name: "val_loss", Value: 0.3 / float64(e)}, {Name: "val_auc", Value: 0.9712}}, time.Duration(e)*12300*time.Millisecond)
	}
	r.Close()
}

// TestLines checks the exact plain output (expected lines written by hand
// from the fixed inputs in run).
func TestLines(t *testing.T) {
	cases := []struct {
		epochs int
		opts   []progress.Option
		want   string
	}{
		// 0: defaults: summary lines only
		{2, nil, "" +
			"saved checkpoint run/ck.bin\n" +
			"epoch 1/2  train_loss 0.2500  val_loss 0.3000  val_auc 0.9712  12.3s\n" +
			"epoch 2/2  train_loss 0.2500  val_loss 0.1500  val_auc 0.9712  24.6s\n"},
		// 1: step lines every 2 steps, with the running mean loss
		{2, []progress.Option{progress.WithStepEvery(2)}, "" +
			"epoch 1/2  step 2/4  loss 0.1500\n" +
			"epoch 1/2  step 4/4  loss 0.2500\n" +
			"saved checkpoint run/ck.bin\n" +
			"epoch 1/2  train_loss 0.2500  val_loss 0.3000  val_auc 0.9712  12.3s\n" +
			"epoch 2/2  step 2/4  loss 0.1500\n" +
			"epoch 2/2  step 4/4  loss 0.2500\n" +
			"epoch 2/2  train_loss 0.2500  val_loss 0.1500  val_auc 0.9712  24.6s\n"},
		// 2: unknown total; forced plain mode
		{0, []progress.Option{progress.WithTerminal(false)}, "" +
			"saved checkpoint run/ck.bin\n" +
			"epoch 1  train_loss 0.2500  val_loss 0.3000  val_auc 0.9712  12.3s\n" +
			"epoch 2  train_loss 0.2500  val_loss 0.1500  val_auc 0.9712  24.6s\n"},
	}
	for i, c := range cases {
		var buf bytes.Buffer
		run(progress.New(&buf, c.epochs, c.opts...))
		if got := buf.String(); got != c.want {
			t.Errorf("case %d:\ngot:%v\nwant:%v", i, got, c.want)
		}
	}
}

// TestBar forces the terminal reporter on a buffer: it draws bars (with
// carriage returns) and still leaves the same summary lines.
func TestBar(t *testing.T) {
	var buf bytes.Buffer
	run(progress.New(&buf, 2, progress.WithTerminal(true)))
	out := buf.String()
	for i, want := range []string{
		"epoch 1/2", // 0: bar description
		"\r",        // 1: bar redraws in place
		"saved checkpoint run/ck.bin\n",
		"epoch 1/2  train_loss 0.2500  val_loss 0.3000  val_auc 0.9712  12.3s\n", // 3
		"epoch 2/2  train_loss 0.2500  val_loss 0.1500  val_auc 0.9712  24.6s\n", // 4
	} {
		if !strings.Contains(out, want) {
			t.Errorf("case %d: output lacks %q:\n%q", i, want, out)
		}
	}
}

// TestFormatValue covers the number formats (expected strings from the
// documented rules).
func TestFormatValue(t *testing.T) {
	cases := []struct {
		v    float64
		want string
	}{
		{0, "0.0000"},          // 0
		{0.12345, "0.1235"},    // 1: rounded
		{-1.5, "-1.5000"},      // 2
		{1e-5, "1e-05"},        // 3: small, not 0.0000
		{2.5e7, "2.5e+07"},     // 4: large
		{math.NaN(), "NaN"},    // 5
		{math.Inf(1), "+Inf"},  // 6
		{math.Inf(-1), "-Inf"}, // 7
		{0.001, "0.0010"},      // 8: boundary
	}
	for i, c := range cases {
		if got := progress.FormatValue(c.v); got != c.want {
			t.Errorf("case %d: got:%v want:%v", i, got, c.want)
		}
	}
}

// TestIsTerminal: buffers and regular files are not terminals.
func TestIsTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if progress.IsTerminal(&bytes.Buffer{}) || progress.IsTerminal(f) {
		t.Errorf("got:true want:false")
	}
}

func BenchmarkStepLines(b *testing.B) {
	var buf bytes.Buffer
	r := progress.New(&buf, 1, progress.WithTerminal(false))
	r.StartEpoch(1, b.N)
	i := 0
	for b.Loop() {
		i++
		r.Step(i, 0.5)
	}
}
