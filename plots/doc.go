// Package plots draws training figures as PNG files with gonum.org/v1/plot.
//
// LearningCurves draws named series (train loss, validation loss,
// validation AUC, ...) against epochs. LayerStats draws, for every layer,
// how the mean and variance of its activations evolve over training, with
// reference lines at mean 0 and variance 1: a self-normalizing network
// (SELU, Klambauer et al. 2017, arXiv:1706.02515) keeps all layers near that
// fixed point, while a deep ReLU or tanh network drifts away with depth.
// Lines are coloured by depth (blue = first layer, red = last), so drift
// shows as a fan of colours.
//
//	err := plots.LearningCurves(filepath.Join(run, "loss.png"), "HTRU2, SNN 8x256",
//		"epoch", "cross-entropy", []plots.Series{
//			{Name: "train loss", Y: trainLoss},
//			{Name: "val loss", Y: valLoss},
//		})
//	err = plots.LayerStats(filepath.Join(run, "layers.png"), "activation statistics",
//		"epoch", epochs, means, vars) // means[record][layer]
//
// LayerStatsRuns draws several runs (the folds of a cross-validation) in one
// such figure. LearningCurves takes options: YRangeFrom(1) keeps an
// untrained network's epoch-0 values out of the y range, and Series.Marks
// with MarkLabel marks points such as the epoch whose weights were kept.
// Axes whose x values are all whole numbers (epochs) get integer ticks
// (IntegerTicks).
//
// Figures are Width wide at DPI dots per inch. Every file is rendered into
// memory and written with checkpoint.WriteFileAtomic, so a crash never leaves
// a half-written PNG. Fonts are compiled into gonum/plot; nothing is read
// from the system.
package plots
