// Package progress reports training progress for the training loop.
//
// On a terminal, New returns a reporter that draws one progress bar per
// epoch (github.com/schollz/progressbar/v3: step/steps, running mean loss,
// elapsed time and ETA) and replaces it by a summary line when the epoch
// ends. Anywhere else (a log file, a pipe, CI) it prints only plain,
// grep-friendly lines:
//
//	epoch 3/100  train_loss 0.1234  val_loss 0.2345  val_auc 0.9712  12.3s
//
// Metrics are a []Metric, printed in the given order, so lines are
// deterministic; the elapsed time is passed in by the caller, so the plain
// reporter reads no clock.
//
//	rep := progress.New(os.Stderr, cfg.Epochs)
//	defer rep.Close()
//	for epoch := 1; epoch <= cfg.Epochs; epoch++ {
//		start := time.Now()
//		rep.StartEpoch(epoch, stepsPerEpoch)
//		for step := 1; step <= stepsPerEpoch; step++ {
//			rep.Step(step, loss)
//		}
//		rep.EndEpoch(epoch, []progress.Metric{{"train_loss", tl}, {"val_loss", vl}}, time.Since(start))
//	}
package progress
