package experiment

import (
	"context"
	"testing"
)

// TestDeepSNNTrainsBetterThanReLU checks the paper's central claim on a
// synthetic problem: at depth 16 the SNN reaches a clearly lower training
// loss than a ReLU MLP without normalization (He init), same data, optimizer
// and budget.
func TestDeepSNNTrainsBetterThanReLU(t *testing.T) {
	cfg := DefaultDeepConfig()
	cfg.Width, cfg.Rows, cfg.Epochs = 64, 2048, 8
	res, err := Deep(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	snn, relu := res[0], res[1]
	ls, lr := snn.TrainLoss[len(snn.TrainLoss)-1], relu.TrainLoss[len(relu.TrainLoss)-1]
	t.Logf("after %d epochs: SNN train loss %.4f (val AUC %.4f), ReLU MLP %.4f (val AUC %.4f)",
		cfg.Epochs, ls, snn.ValAUC[len(snn.ValAUC)-1], lr, relu.ValAUC[len(relu.ValAUC)-1])
	if !(ls < 0.8*lr) {
		t.Errorf("SNN loss %.4f is not clearly below the ReLU MLP's %.4f", ls, lr)
	}
}
