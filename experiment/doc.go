// Package experiment runs a whole selunet experiment from one Config: load a
// dataset, split it by the chosen protocol, standardize with training
// statistics, build the network, train with early stopping, evaluate on the
// test data and write the run directory.
//
// Protocols (data.protocol):
//
//	cv        k-fold nested cross-validation (the paper's HTRU2 protocol,
//	          Sec. 4 "Astronomy" and Appendix A4.4): stratified folds from the seed; when fold m
//	          is the test fold, fold m−1 is the validation fold and the rest
//	          are training data. The reported test AUC is the mean over folds.
//	holdout   one training/validation/test split: the dataset's official test
//	          set when it has one (Tox21; a UCI-121 data set's test file or
//	          conxuntos_kfold.dat test set, see UCI), otherwise a stratified
//	          held-out fraction (data.test_fraction); the validation set is a
//	          stratified fraction (data.val_fraction) of the training rows;
//	          for Tox21 data.tox21.validation can keep compounds with
//	          identical fingerprints together (grouped) or validate on the
//	          296 leaderboard compounds (leaderboard; see package tox21).
//
// The run directory (output.dir, or the -out flag of cmd/train) receives:
//
//	config.yaml           the fully resolved configuration
//	metrics.json          "test_auc", "test_accuracy" and per-fold,
//	                      per-task and per-grid-point detail
//	history.csv           one row per fold and epoch with every metric
//	models/<split>.model  each split's model file (package model): the
//	                      best weights of the grid point chosen on
//	                      validation, with the split's preprocessing
//	                      (transform, training-row statistics, clipping)
//	                      and the task or class names; cmd/train's predict
//	                      and export subcommands read it
//	state/                resume state: finished splits and grid points and
//	                      the running one's checkpoint, rewritten atomically
//	                      every epoch (output.checkpoint, at most every
//	                      output.checkpoint_every)
//	learning_curves.png   training and validation loss per epoch
//	validation.png        the validation metric per epoch, each split's
//	                      chosen epoch marked
//	layer_stats.csv       per-layer activation mean and variance after
//	                      every epoch, every split
//	layer_stats.png       the same over training (the self-normalization
//	                      of an SNN)
//
// The PNG figures are written only with output.plots.
//
// With a `grid:` section (see Grid) every split runs a hyperparameter search
// and is scored with the point its validation data chose, the paper's
// model-selection protocol. A point whose training diverges is left out
// of that split. Options.KeepDivergedSplits records a split that diverged
// and goes on, instead of ending the run.
// RunSuite runs one config over many UCI-121 data sets and tabulates their
// test accuracies beside the paper's.
//
// A new run (Options.Resume false) refuses a directory that already holds
// a run unless Options.Force is set (ErrRunExists), and loads its data
// before it creates anything. config.yaml records the data location Run
// used (data.dir from SELUNET_DATA_DIR when empty; absolute paths), so a
// resumed run reads the same files from any shell and working directory.
//
// Every file is written atomically, so a run killed at any moment leaves the
// previous version of each file intact, and Resume continues it to the same
// numbers as an uninterrupted run with the same seed.
package experiment
