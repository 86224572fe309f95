//go:build cuda

package bias

import (
	"fmt"

	"github.com/selunet/selunet/internal/cuda/kernels"
	"gorgonia.org/gorgonia"
)

// CallsExtern returns true: in the cuda build the op runs on the GPU, its
// output preallocated there.
func (op *Op) CallsExtern() bool { return true }

// CUDADo computes y = x + b on the GPU (bias_add).
func (op *Op) CUDADo(extern gorgonia.External, dev gorgonia.Device, prealloc gorgonia.Value, in ...gorgonia.Value) (gorgonia.Value, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("bias: CUDADo: want 2 values, got %d", len(in))
	}
	x, b := in[0], in[1]
	sfx, err := kernels.Suffix(x)
	if err != nil {
		return nil, fmt.Errorf("bias: %w", err)
	}
	if nx, err := kernels.Len(x); err != nil || nx != op.n*op.m {
		return nil, fmt.Errorf("bias: input has %d elements, want %d×%d (%v)", nx, op.n, op.m, err)
	}
	if nb, err := kernels.Len(b); err != nil || nb != op.m || b.Dtype() != x.Dtype() {
		return nil, fmt.Errorf("bias: bias has %d %v, want %d %v (%v)", nb, b.Dtype(), op.m, x.Dtype(), err)
	}
	y, err := kernels.Output(prealloc, x, op.n*op.m)
	if err != nil {
		return nil, fmt.Errorf("bias: %w", err)
	}
	return y, kernels.Launch(extern, dev, "bias_add_"+sfx, op.n*op.m,
		kernels.PtrOf(y), kernels.PtrOf(x), kernels.PtrOf(b), op.n, op.m)
}

// CallsExtern returns true: in the cuda build the column sums run on the
// GPU.
func (op *SumOp) CallsExtern() bool { return true }

// CUDADo computes db[j] = Σᵢ dy[i, j] on the GPU (bias_colsum: one thread
// per column, rows in order, the CPU kernel's operations).
func (op *SumOp) CUDADo(extern gorgonia.External, dev gorgonia.Device, prealloc gorgonia.Value, in ...gorgonia.Value) (gorgonia.Value, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("bias: sum: CUDADo: want 1 value, got %d", len(in))
	}
	dy := in[0]
	sfx, err := kernels.Suffix(dy)
	if err != nil {
		return nil, fmt.Errorf("bias: sum: %w", err)
	}
	if n, err := kernels.Len(dy); err != nil || n != op.n*op.m {
		return nil, fmt.Errorf("bias: sum: gradient has %d elements, want %d×%d (%v)", n, op.n, op.m, err)
	}
	db, err := kernels.Output(prealloc, dy, op.m)
	if err != nil {
		return nil, fmt.Errorf("bias: sum: %w", err)
	}
	return db, kernels.LaunchThreads(extern, dev, "bias_colsum_"+sfx, op.m, kernels.PtrOf(db), kernels.PtrOf(dy), op.n, op.m)
}

var (
	_ gorgonia.CUDADoer = (*Op)(nil)
	_ gorgonia.CUDADoer = (*SumOp)(nil)
)
