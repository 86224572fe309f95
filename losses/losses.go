package losses

import (
	"fmt"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// BCEWithLogits returns the scalar binary cross-entropy of logits z against
// targets y in [0, 1], averaged over the entries that mask selects:
//
//	loss = Σ m ⊙ (max(z,0) − z·y + log1p(exp(−|z|))) / max(Σ m, 1)
//
// logits, targets and mask must have the same shape (any rank) and dtype
// (Float32 or Float64). mask may be nil: then every entry counts and the
// loss is the plain mean. Entries with mask 0 are skipped entirely, so their
// targets may hold anything (NaN for a missing label); mask values other
// than 0 and 1 act as weights. A training loop can pad the last batch with
// rows whose mask is 0: they add nothing to the loss or the gradient. An
// all-zero mask gives loss 0 (not NaN).
//
// The gradient with respect to the logits is m·(σ(z) − y)/max(Σm, 1); it is
// exact at z = 0 (σ(0) = 0.5), unlike a graph built from Abs and Rectify,
// whose subgradients at 0 would give 0 or 1 instead of 0.5. Only logits are
// differentiable; asking gorgonia.Grad for the gradient of targets or mask
// fails. The value is accumulated in float64 for both dtypes.
//
// It returns an error if a node is nil (except mask) or shapes or dtypes
// differ.
func BCEWithLogits(logits, targets, mask *gorgonia.Node) (*gorgonia.Node, error) {
	if logits == nil || targets == nil {
		return nil, fmt.Errorf("losses: BCEWithLogits: logits and targets must not be nil")
	}
	if err := sameShape("BCEWithLogits", "targets", logits, targets); err != nil {
		return nil, err
	}
	if err := checkDtype("BCEWithLogits", logits); err != nil {
		return nil, err
	}
	op := lossOp{kind: kindBCE, dims: logits.Dims()}
	if mask == nil {
		return gorgonia.ApplyOp(op, logits, targets)
	}
	if err := sameShape("BCEWithLogits", "mask", logits, mask); err != nil {
		return nil, err
	}
	op.weighted = true
	return gorgonia.ApplyOp(op, logits, targets, mask)
}

// SoftmaxCrossEntropy returns the scalar cross-entropy between the softmax
// of each row of logits (N×C) and the target distribution in the same row
// of onehot (N×C, usually one-hot), weighted per row:
//
//	ℓ_i  = Σ_c y_ic·(lse(z_i) − z_ic),   lse(z) = max(z) + log Σ_c exp(z_c − max(z))
//	loss = Σ_i w_i·ℓ_i / max(Σ_i w_i, 1)
//
// rowWeight has shape (N) and may be nil, which gives the plain mean over
// the N rows. Rows of weight 0 are skipped (padding rows may hold
// anything); an all-zero weight vector gives loss 0. Like BCEWithLogits the
// denominator is max(Σw, 1), so weights are meant as 0/1 masks or counts.
// Targets need not sum to 1: the gradient is w_i·(softmax(z_i)·Σ_c y_ic −
// y_i)/max(Σw, 1). Only logits are differentiable.
//
// It returns an error if logits is not a matrix, a node is nil (except
// rowWeight), or shapes or dtypes differ.
func SoftmaxCrossEntropy(logits, onehot, rowWeight *gorgonia.Node) (*gorgonia.Node, error) {
	if logits == nil || onehot == nil {
		return nil, fmt.Errorf("losses: SoftmaxCrossEntropy: logits and onehot must not be nil")
	}
	if logits.Dims() != 2 {
		return nil, fmt.Errorf("losses: SoftmaxCrossEntropy: logits must be N×C, got shape %v", logits.Shape())
	}
	if err := sameShape("SoftmaxCrossEntropy", "onehot", logits, onehot); err != nil {
		return nil, err
	}
	if err := checkDtype("SoftmaxCrossEntropy", logits); err != nil {
		return nil, err
	}
	op := lossOp{kind: kindSCE, dims: 2}
	if rowWeight == nil {
		return gorgonia.ApplyOp(op, logits, onehot)
	}
	if rowWeight.Dims() != 1 || rowWeight.Shape()[0] != logits.Shape()[0] {
		return nil, fmt.Errorf("losses: SoftmaxCrossEntropy: rowWeight must have shape (%d), got %v", logits.Shape()[0], rowWeight.Shape())
	}
	if rowWeight.Dtype() != logits.Dtype() {
		return nil, fmt.Errorf("losses: SoftmaxCrossEntropy: rowWeight is %v, logits are %v", rowWeight.Dtype(), logits.Dtype())
	}
	op.weighted = true
	return gorgonia.ApplyOp(op, logits, onehot, rowWeight)
}

func sameShape(fn, name string, logits, other *gorgonia.Node) error {
	if !logits.Shape().Eq(other.Shape()) {
		return fmt.Errorf("losses: %s: %s shape %v differs from logits shape %v", fn, name, other.Shape(), logits.Shape())
	}
	if other.Dtype() != logits.Dtype() {
		return fmt.Errorf("losses: %s: %s is %v, logits are %v", fn, name, other.Dtype(), logits.Dtype())
	}
	return nil
}

func checkDtype(fn string, logits *gorgonia.Node) error {
	if dt := logits.Dtype(); dt != tensor.Float32 && dt != tensor.Float64 {
		return fmt.Errorf("losses: %s: dtype %v not supported, want float32 or float64", fn, dt)
	}
	return nil
}
