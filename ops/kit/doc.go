// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

// Package kit turns an elementwise function into a Gorgonia op: the author
// writes the math (and, optionally, fast kernels); the kit supplies every
// method Gorgonia v0.9.18 asks for (gorgonia.Op, SDOp for gorgonia.Grad and
// the TapeMachine, ADOp for the LispMachine, UsePreallocDoer for register
// reuse and backend.Keeper) and the gradient op that SymDiff creates.
//
// # Writing an op
//
// A Unary holds a name, the reference math in float64 and, optionally,
// slice kernels per dtype:
//
//	var Softsign = &kit.Unary{
//		Name:  "softsign",
//		F:     func(x float64) float64 { return x / (1 + math.Abs(x)) },
//		DF:    func(x float64) float64 { d := 1 + math.Abs(x); return 1 / (d * d) },
//		Deriv: kit.FromInput, // DF reads x
//	}
//	y, err := Softsign.Apply(x)                              // in a graph
//	gradcheck.Unary(t, Softsign.Apply, gradcheck.Randn(1, 3, 4)) // in its test
//
// DF is the derivative written in terms of the value that Deriv names: x
// (FromInput) or y = F(x) (FromOutput, when f' is cheaper from the output,
// as selu'(x) = selu(x) + λα for x ≤ 0). The gradient op then reads only
// that value, so the machine keeps nothing else alive for the backward pass.
//
// Forward32/Forward64 and Backward32/Backward64 are optional: where one is
// nil the kit runs F or DF elementwise (in float64, split across
// runtime.GOMAXPROCS(0) goroutines for long slices). Kernels must allow
// their output to alias their inputs (y may be x; dx may be dy or the
// derivative's value), because the machine reuses registers. The gradient
// check runs in float64; CheckKernels compares hand-written kernels (both
// dtypes) with F and DF:
//
//	if err := op.CheckKernels(points, 1e-6, 1e-15); err != nil { t.Error(err) }
//
// The constants of a parameterized op go in Consts: two ops with the same
// Name and Consts are the same function, and Gorgonia merges their nodes.
// Apply accepts float32 and float64 scalars and tensors of any shape and
// returns an error (never a panic) for a nil node, another dtype or an
// invalid Unary.
//
// # GPU kernels (extension point)
//
// A Unary may carry GPU kernels in its GPU field: GPU.Forward computes
// y = f(x) and GPU.Backward computes dx from (v, dy), each with the
// signature of gorgonia.CUDADoer.CUDADo plus the Unary (for Name and
// Consts). They are filled in only by files built with the cuda tag, e.g.
// in ops/selu:
//
//	//go:build cuda
//	func init() { gpu = kit.GPU{Forward: forwardCUDA, Backward: backwardCUDA} }
//
// and take effect through the package variable deviceOp, which a file of
// this package built with the cuda tag sets (func(op gorgonia.Op, u *Unary,
// k CUDAKernel) gorgonia.Op). Apply and SymDiff pass every op they build
// through it when the Unary has the kernel in question (GPU.Forward for
// *Op, GPU.Backward for *GradOp); it returns an op with a CUDADo method
// and CallsExtern() = true that calls the kernel, e.g. a struct embedding
// *Op or *GradOp, so that SymDiff, DoDiff and UsePreallocDo carry over.
// CPU builds leave deviceOp nil, the GPU fields are ignored, and the ops
// have no CUDADo method, so Gorgonia's compiler keeps them on the CPU (it
// places any op with a CUDADo method on the device).
//
// # Other ops
//
// Ops that are not elementwise (ops/bias, ops/alphadropout, losses) write
// their own methods; the helpers Hashcode, Prepare and AddInto cover the
// repetitive parts, and each op package asserts its interfaces at compile
// time (var _ gorgonia.SDOp = (*Op)(nil)).
package kit
