package progress_test

import (
	"os"
	"time"

	"github.com/selunet/selunet/progress"
)

func Example() {
	// os.Stdout is not a terminal under go test, so New prints plain lines.
	rep := progress.New(os.Stdout, 100)
	defer rep.Close()
	rep.StartEpoch(3, 1000)
	for step := 1; step <= 1000; step++ {
		rep.Step(step, 0.1234)
	}
	rep.EndEpoch(3, []progress.Metric{
		{Name: "train_loss", Value: 0.1234},
		{Name: "val_loss", Value: 0.2345},
		{Name: "val_auc", Value: 0.9712},
	}, 12300*time.Millisecond)
	// Output:
	// epoch 3/100  train_loss 0.1234  val_loss 0.2345  val_auc 0.9712  12.3s
}
