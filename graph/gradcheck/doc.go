// Package gradcheck is the gradient check every selunet op author runs in one
// line:
//
//	gradcheck.T(t, func(g *gorgonia.ExprGraph, in []*gorgonia.Node) (*gorgonia.Node, error) {
//		return selu.Apply(in[0])
//	}, []*tensor.Dense{x})
//
// Check builds the expression on fresh float64 graphs and compares, for every
// element of every input,
//
//  1. the symbolic gradient (gorgonia.Grad, the op's SDOp.SymDiff) run on a
//     TapeMachine, and
//  2. the LispMachine's autodiff (the op's ADOp.DoDiff),
//
// against central finite differences
//
//	∂L/∂x_j ≈ (L(x + h·e_j) − L(x − h·e_j)) / 2h,   L(x) = Σ f(x) ⊙ r,
//
// where r is a fixed random N(0,1) tensor of f's output shape drawn from a seed,
// so every output element contributes with a distinct weight. An element
// passes when |got − want| ≤ abs + rel·|want| (defaults h = 1e-6, abs = 1e-6,
// rel = 1e-5). The first failing element is reported as a *MismatchError
// (machine, input index, flat element index, got, want, number of failures).
// The harness also reports an op whose forward pass writes into its input.
//
// # Writing a new op
//
// An elementwise op is best written with package ops/kit, which supplies
// every Gorgonia method from the op's math; its test is then one line:
//
//	gradcheck.Unary(t, softsign.Apply, gradcheck.Randn(42, 3, 4))
//
// (see the package Example). Written by hand, a Gorgonia v0.9.18 op
// implements gorgonia.Op (forward), gorgonia.SDOp (DiffWRT, SymDiff: build
// gradient nodes, used by gorgonia.Grad and the TapeMachine) and
// gorgonia.ADOp (DoDiff: compute the gradient from values and ADD it into
// each input's existing gradient, used by the LispMachine). Ops must accept
// float64 for the check (float32 inputs are converted).
//
// # Stochastic ops
//
// Func must be deterministic: Check calls it three times (tape, lisp, finite
// differences) and runs the forward pass 2n+1 times. An op with a random
// forward pass (dropout) must be checked with its mask frozen, e.g.
// alphadropout's frozen-mask mode, so every run uses the same mask.
//
// # Limits
//
// Keep inputs small (two forward passes per element) and away from kinks:
// at a non-differentiable point (SELU at 0) the central difference averages
// the two one-sided slopes. Use WithRespectTo for inputs that are constants
// (masks, labels), and SkipLisp/SkipTape only for an op that lacks ADOp/SDOp or
// for an upstream Gorgonia built-in whose autodiff is known to be broken.
package gradcheck
