// Package selu is the scaled exponential linear unit of self-normalizing
// networks (Klambauer et al. 2017, "Self-Normalizing Neural Networks",
// arXiv:1706.02515, Eq. 2) as a Gorgonia op, plus graph-free kernels.
//
//	selu(x) = λ·x             x > 0
//	selu(x) = λ·α·(eˣ − 1)    x ≤ 0
//
//	α01 = Alpha  = 1.6732632423543772   (Eq. 14)
//	λ01 = Lambda = 1.0507009873554805
//	α'  = AlphaPrime = −λα ≈ −1.7580993408473768 (selu(−∞), used by alpha dropout)
//
// With these constants, z ~ N(0, 1) gives E[selu(z)] = 0 and Var[selu(z)] = 1.
// Solve finds (λ, α) for any other fixed point (mean, variance), as the
// reference notebook getSELUparameters.ipynb does (paper Appendix A5).
//
// # Derivative
//
//	selu'(x) = λ                   x > 0
//	selu'(x) = λα·eˣ = selu(x) + λα  x ≤ 0
//
// The backward pass uses the second form on the forward output y, so no
// exponential is evaluated twice; y > 0 exactly when x > 0 because λ > 0. At
// x = 0 the derivative is λα (the x ≤ 0 branch, as PyTorch). In float32 this
// costs up to ulp(y)/2 ≈ 1.2e-7 absolute error in the derivative for x ≪ 0.
//
// # Graph use
//
//	y, err := selu.Apply(x)                  // paper constants
//	y, err := selu.ApplyParams(x, p)         // p from selu.Solve
//
// x is a float32 or float64 scalar or tensor of any shape. The op is built by
// package ops/kit from Params.Unary (this package's kernels, the derivative
// read from the output); it implements gorgonia.Op, SDOp (gorgonia.Grad,
// TapeMachine) and ADOp (LispMachine), both checked with graph/gradcheck.
// Apply returns an error (no panic) for a nil node, a non-float dtype or
// invalid Params.
//
// # Kernels
//
// Forward32/Backward32 and Forward64/Backward64 (and the Params methods of the
// same names) work on plain slices; outputs may alias inputs. On amd64 with
// AVX2 and FMA, float32 runs an 8-lane assembly loop: expm1 by Cody-Waite
// range reduction x = k·ln2 + r and a degree-7 polynomial in float32, within
// 2 ulp of the correctly rounded SELU. Elsewhere (and for the last len%8
// elements) it uses Expm1f (the same range reduction in float64, with a
// degree-9 polynomial), within 1 ulp.
// float64 uses math.Expm1. Slices of at least ParallelThreshold elements are
// split into chunks of 32768 elements that up to runtime.GOMAXPROCS(0)
// goroutines claim one at a time (internal/par): the chunks a helper that
// starts late would have taken are done by the others. Each kernel is one
// pass over its slices (forward reads x and writes y; backward reads dy and
// y and writes dx). BenchmarkKernelFwdBwd32 and BenchmarkGraphFwdBwd32 time
// 128×1024 and 1024×1024 float32 inputs; bench/PERFORMANCE.md has measured
// times.
package selu
