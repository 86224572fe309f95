// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

// Package bias adds a bias vector to every row of a matrix as one fused
// Gorgonia op, the "+ b" of a linear layer y = x·W + b.
//
//	y[i, j] = x[i, j] + b[j]          x: (n, m), b: (m), y: (n, m)
//
// # Derivative
//
//	∂L/∂x = dy                        (the upstream gradient itself)
//	∂L/∂b[j] = Σᵢ dy[i, j]            (column sums, i = 0, 1, …, n−1 in order)
//
// Gorgonia's gorgonia.BroadcastAdd(x, b, nil, []byte{0}) computes the same
// values but reshapes b, materializes it into a full (n, m) tensor, adds,
// and sums the gradient with a generic reduction. Add does one pass over x
// forward and one pass over dy backward, with no temporary tensors.
//
// # Graph use
//
//	y, err := bias.Add(x, b)
//
// x is a float32 or float64 matrix and b a vector of the same dtype whose
// length is x's column count. Add returns an error (no panic) for nil nodes,
// other dtypes or ranks, mismatched dtypes or a length mismatch. Op
// implements gorgonia.Op, SDOp (gorgonia.Grad, TapeMachine) and ADOp
// (LispMachine, adding into the inputs' gradients); both are checked with
// graph/gradcheck. SymDiff returns the output gradient node itself as x's
// gradient and a SumOp node (column sums) as b's gradient. Both ops
// implement gorgonia.UsePreallocDoer and are alias-safe: the prealloc value
// may be x (or dy) itself. SumOp is not differentiable (no second
// derivatives).
//
// # Determinism
//
// Tensors of at least ParallelThreshold elements are split across
// runtime.GOMAXPROCS(0) goroutines: the forward pass by rows, the column sums
// by contiguous ranges of columns, each column summed over all rows in row
// order. Every element is therefore computed by the same operations in the
// same order whatever the number of goroutines, and results are bit-identical
// across GOMAXPROCS settings. float32 sums are accumulated in float32.
//
// # Benchmarks
//
// BenchmarkGraphFwdBwd times Add against BroadcastAdd at 128×1024 (forward
// and backward of sum(y ⊙ r) in a TapeMachine graph), BenchmarkKernels the
// two kernels alone.
package bias
