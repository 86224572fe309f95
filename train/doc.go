// Package train trains a model: a Step (one optimizer step) and a loop
// (Trainer) around it.
//
// # Model, loss, step
//
// A model is any graph.Model: it builds its (batch, outputs) output on a
// graph for a mode from weights that live outside the graph. nets.Net is
// one; a hand-written graph is another (see the package Example: an SNN
// with a skip connection and a user-defined op in under 50 lines). The loss
// is chosen by the caller: BinaryCE (masked binary cross-entropy, one logit
// per task, missing labels count for nothing) or SoftmaxCE (one logit per
// class), or any Loss, which also says how outputs become probabilities
// and metrics.
//
// NewStep builds the training graph (model, loss, gorgonia.Grad), compiles
// it into a tape machine that keeps its intermediate tensors between runs
// (backend.Keeper), hands the solver the gradient nodes' values
// (backend.GradPairs, no dual values) and switches off the solver's
// gradient zeroing, which that makes redundant. Step.Run fills a batch,
// runs forward and backward and updates the weights. The loop and the
// benchmarks of package bench run this same Step.
//
//	step, err := train.NewStep(model, train.BinaryCE, solvers.NewAdam(), train.StepConfig{Batch: 128, Features: d, Seed: 1})
//	loss, err := step.Run(set, rows) // len(rows) == 128
//
// Importing train (through package backend) makes Gorgonia's matrix
// products use selunet's BLAS (package backend).
//
// # Loop
//
// New builds the step and the evaluation graphs (graph.Eval) over the same
// weights; Fit runs seeded shuffling and minibatches (⌊N/BatchSize⌋ full
// batches per epoch), evaluation on the validation set after every epoch,
// early stopping on a chosen (optionally smoothed) validation metric with
// patience, restoring the best weights, a history of every metric per
// epoch, hooks for progress and logging, and checkpoints (Checkpoint,
// Restore) that resume to exactly the numbers of an uninterrupted run.
//
// # Prediction
//
// An Evaluator runs a model's evaluation graph alone: with weights from
// LoadWeights (a checkpoint's "param/" tensors) it predicts without a
// solver, a training set or labels. WeightTensors and LoadTensors write and
// read a model's weights as checkpoint tensors under any name prefix;
// package model (model files with their preprocessing) predicts through an
// Evaluator too.
//
// Determinism: given the same Config, seed, data and model, Fit produces a
// bit-identical history. Every random stream (shuffling, dropout masks) is
// seeded from New's seed argument and saved in checkpoints.
//
// A run ends with an error, never a panic, when the loss becomes NaN or
// infinite (ErrDiverged), when a hook fails, or when the context is
// cancelled.
package train
