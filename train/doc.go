// Package train runs the training loop of a nets.Net: seeded shuffling and
// minibatches, one optimizer step per batch, evaluation on a validation set
// after every epoch, early stopping on a chosen (optionally smoothed)
// validation metric with patience, restoring the best weights, a history of
// every metric per epoch, hooks for progress and logging, and checkpoints that
// resume to exactly the numbers of an uninterrupted run.
//
// The loop owns the machines; it builds two graphs over one set of weights: a
// training graph (graph.Train: dropout active, batch statistics) and an
// evaluation graph (graph.Eval). Graph building stays in package nets and the
// update rule in package solvers.
//
// Determinism: given the same Config, seed, data and network, Fit produces a
// bit-identical history. Every random stream (shuffling, dropout masks) is
// seeded from Config.Seed and saved in checkpoints.
//
// A run ends with an error, never a panic, when the loss becomes NaN or
// infinite ("diverged"), when a hook fails, or when the context is cancelled.
package train
