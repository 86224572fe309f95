// Package losses builds loss functions as nodes of a Gorgonia expression
// graph: BCEWithLogits (multi-task binary cross-entropy on logits with a
// mask for missing labels) and SoftmaxCrossEntropy (multi-class, with
// optional row weights).
//
// # Formulas
//
// Binary cross-entropy of logit z and target y, in the form that cannot
// overflow (the log-sum-exp of (0, z) minus z·y):
//
//	ℓ(z, y) = max(z, 0) − z·y + log1p(exp(−|z|))
//	BCE     = Σ m ⊙ ℓ(z, y) / max(Σ m, 1)             (m nil: mean over all entries)
//	∂BCE/∂z = m ⊙ (σ(z) − y) / max(Σ m, 1)
//
// Softmax cross-entropy of a logit row z_i against targets y_i, with the
// log-sum-exp shifted by the row maximum:
//
//	ℓ_i     = Σ_c y_ic·(lse(z_i) − z_ic),  lse(z) = max(z) + log Σ_c exp(z_c − max(z))
//	SCE     = Σ_i w_i·ℓ_i / max(Σ_i w_i, 1)            (w nil: mean over rows)
//	∂SCE/∂z = w_i·(softmax(z_i)·Σ_c y_ic − y_ic) / max(Σ w, 1)
//
// # Masks and padding
//
// Mask and row-weight entries of 0 are skipped: their targets (and, for
// SoftmaxCrossEntropy, their logits) may hold anything, including NaN for a
// missing label (Tox21 has many). The denominator max(Σm, 1) makes the loss
// the mean over the labelled entries, and 0 instead of NaN for a batch
// without labels. A training loop can therefore pad its last, short batch
// to the full batch size with rows of mask 0: they contribute nothing to
// the loss or the gradient, and the graph keeps a fixed shape.
//
// # Implementation
//
// Each loss is one fused custom op (gorgonia.Op + SDOp + ADOp), not a graph
// of primitives: the forward pass is a single loop that accumulates in
// float64 for both Float32 and Float64 inputs, and the gradient is exact at
// z = 0, where a graph of Abs and Rectify would use a subgradient of 0 or 1
// for max(z, 0) and get σ(0) wrong. Symbolic differentiation
// (gorgonia.Grad, TapeMachine) adds a fused gradient op that may write into
// a preallocated buffer; LispMachine autodiff adds the same gradient into
// the logits' derivative. Only the logits are differentiable.
//
// Build functions return errors (not panics) for mismatched shapes or
// dtypes, following Gorgonia's ApplyOp.
package losses
