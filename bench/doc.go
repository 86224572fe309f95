// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

// Package bench times the refbench self-normalizing network on the machine
// it runs on and compares it with PyTorch 1.13 (shared/refbench): 1024
// inputs, 8 hidden layers of 1024 (linear, SELU, alpha dropout 0.05), one
// output logit, sigmoid cross-entropy with logits, batch 128, float32, SGD
// (lr 0.01) or Adam (lr 1e-3). One step costs about 6.4 GFLOP in matrix
// products (three times the forward products, 2·M·N·K each; Config.FLOPs),
// so a step is bound by the matrix products: its floor on one thread is
// that work divided by the rate the BLAS sustains on one core. The rest of
// a step (packing, the memory-bound solver update, elementwise ops) is
// linear in the number of weights and activations.
//
// Model trains the network with train.Step, the step the training loop
// runs (package nets' graph, train.BinaryCE, a solver of package solvers),
// on fixed synthetic batches; TrainerSteps times the whole loop
// (train.Trainer). The benchmarks (go test -bench) and the program
// bench/cmd/snnbench time them, and bench/compare.sh prints Go/PyTorch
// ratios:
//
//	go test -tags openblas -run '^$' -bench . -benchmem ./bench/
//	bash bench/compare.sh [path/to/refbench]
//
// bench/PERFORMANCE.md collects the times measured with these and with the
// other packages' benchmarks.
package bench
