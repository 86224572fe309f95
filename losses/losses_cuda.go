//go:build cuda

package losses

import (
	"fmt"

	"github.com/selunet/selunet/internal/cuda/kernels"
	"gorgonia.org/gorgonia"
)

// CallsExtern returns true: in the cuda build the loss runs on the GPU.
func (op lossOp) CallsExtern() bool { return true }

// gpuArgs checks the inputs (logits, targets[, weights]) on the device and
// returns the kernel suffix, the logits' row count and row length (rows =
// all elements, c = 1 for BCE) and the weights (nil when unweighted).
func (op lossOp) gpuArgs(in []gorgonia.Value) (sfx string, rows, c int, w gorgonia.Value, err error) {
	if len(in) != op.Arity() {
		return "", 0, 0, nil, fmt.Errorf("losses: %v: got %d inputs, want %d", op, len(in), op.Arity())
	}
	z, y := in[0], in[1]
	if sfx, err = kernels.Suffix(z); err != nil {
		return "", 0, 0, nil, fmt.Errorf("losses: %v: %w", op, err)
	}
	n, err := kernels.Len(z)
	if err != nil {
		return "", 0, 0, nil, fmt.Errorf("losses: %v: %w", op, err)
	}
	if m, err := kernels.Len(y); err != nil || m != n || y.Dtype() != z.Dtype() {
		return "", 0, 0, nil, fmt.Errorf("losses: %v: targets differ from the logits in size or dtype", op)
	}
	rows, c = n, 1
	if op.kind == kindSCE {
		s := z.Shape()
		if len(s) != 2 {
			return "", 0, 0, nil, fmt.Errorf("losses: %v: logits have shape %v, want (N, C)", op, s)
		}
		rows, c = s[0], s[1]
	}
	if op.weighted {
		w = in[2]
		if m, err := kernels.Len(w); err != nil || m != rows || w.Dtype() != z.Dtype() {
			return "", 0, 0, nil, fmt.Errorf("losses: %v: weights have %d elements, want %d", op, m, rows)
		}
	}
	return sfx, rows, c, w, nil
}

// CUDADo computes the scalar loss on the GPU in one block of threads
// (bce_fwd or sce_fwd), accumulating in float64 like the CPU.
func (op lossOp) CUDADo(extern gorgonia.External, dev gorgonia.Device, prealloc gorgonia.Value, in ...gorgonia.Value) (gorgonia.Value, error) {
	sfx, rows, c, w, err := op.gpuArgs(in)
	if err != nil {
		return nil, err
	}
	out, err := kernels.Output(prealloc, in[0], 1)
	if err != nil {
		return nil, fmt.Errorf("losses: %v: %w", op, err)
	}
	z, y := kernels.PtrOf(in[0]), kernels.PtrOf(in[1])
	if op.kind == kindBCE {
		return out, kernels.LaunchBlock(extern, dev, "bce_fwd_"+sfx, kernels.PtrOf(out), z, y, kernels.PtrOf(w), rows)
	}
	return out, kernels.LaunchBlock(extern, dev, "sce_fwd_"+sfx, kernels.PtrOf(out), z, y, kernels.PtrOf(w), rows, c)
}

// CallsExtern returns true: in the cuda build the gradient runs on the GPU.
func (op lossGradOp) CallsExtern() bool { return true }

// CUDADo computes dLoss/dLogits·upstream on the GPU (bce_bwd, sce_bwd).
func (op lossGradOp) CUDADo(extern gorgonia.External, dev gorgonia.Device, prealloc gorgonia.Value, in ...gorgonia.Value) (gorgonia.Value, error) {
	if len(in) != op.Arity() {
		return nil, fmt.Errorf("losses: %v: got %d inputs, want %d", op, len(in), op.Arity())
	}
	up := in[len(in)-1]
	if n, err := kernels.Len(up); err != nil || n != 1 || up.Dtype() != in[0].Dtype() {
		return nil, fmt.Errorf("losses: %v: upstream gradient is not a scalar of the logits' dtype", op)
	}
	sfx, rows, c, w, err := op.fwd.gpuArgs(in[:len(in)-1])
	if err != nil {
		return nil, err
	}
	dz, err := kernels.Output(prealloc, in[0], rows*c)
	if err != nil {
		return nil, fmt.Errorf("losses: %v: %w", op, err)
	}
	z, y := kernels.PtrOf(in[0]), kernels.PtrOf(in[1])
	if op.fwd.kind == kindBCE {
		return dz, kernels.LaunchBlock(extern, dev, "bce_bwd_"+sfx, kernels.PtrOf(dz), z, y, kernels.PtrOf(w), rows, kernels.PtrOf(up))
	}
	return dz, kernels.LaunchBlock(extern, dev, "sce_bwd_"+sfx, kernels.PtrOf(dz), z, y, kernels.PtrOf(w), rows, c, kernels.PtrOf(up))
}

var (
	_ gorgonia.CUDADoer = lossOp{}
	_ gorgonia.CUDADoer = lossGradOp{}
)
