//go:build cuda

package kit

import "gorgonia.org/gorgonia"

func init() { deviceOp = onGPU }

// onGPU wraps a Unary's forward or gradient op so that it has a CUDADo
// method running k: Gorgonia then places it on the GPU and preallocates its
// output there. Every other method (SymDiff, DoDiff, UsePreallocDo, hashing)
// is the CPU op's, so a GPU node merges with the same CPU node and its
// SymDiff builds the GPU gradient op through the same hook.
func onGPU(op gorgonia.Op, u *Unary, k CUDAKernel) gorgonia.Op {
	switch o := op.(type) {
	case *Op:
		return &gpuOp{Op: o, k: k}
	case *GradOp:
		return &gpuGradOp{GradOp: o, k: k}
	}
	return op
}

type gpuOp struct {
	*Op
	k CUDAKernel
}

// CallsExtern returns true: the output is preallocated on the device.
func (op *gpuOp) CallsExtern() bool { return true }

// CUDADo runs the forward kernel.
func (op *gpuOp) CUDADo(extern gorgonia.External, dev gorgonia.Device, prealloc gorgonia.Value, inputs ...gorgonia.Value) (gorgonia.Value, error) {
	return op.k(op.u, extern, dev, prealloc, inputs...)
}

type gpuGradOp struct {
	*GradOp
	k CUDAKernel
}

// CallsExtern returns true: the output is preallocated on the device.
func (op *gpuGradOp) CallsExtern() bool { return true }

// CUDADo runs the backward kernel.
func (op *gpuGradOp) CUDADo(extern gorgonia.External, dev gorgonia.Device, prealloc gorgonia.Value, inputs ...gorgonia.Value) (gorgonia.Value, error) {
	return op.k(op.u, extern, dev, prealloc, inputs...)
}

var (
	_ gorgonia.CUDADoer = (*gpuOp)(nil)
	_ gorgonia.SDOp     = (*gpuOp)(nil)
	_ gorgonia.CUDADoer = (*gpuGradOp)(nil)
)
