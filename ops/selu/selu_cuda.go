//go:build cuda

package selu

import (
	"fmt"

	"github.com/selunet/selunet/internal/cuda/kernels"
	"github.com/selunet/selunet/ops/kit"
	"gorgonia.org/gorgonia"
)

// The GPU kernels (internal/cuda/kernels, selu_fwd/selu_bwd): the same
// formulas as Forward32/64 and Backward32/64, float32 SELU through a
// float64 expm1 like the portable CPU kernel.
func init() { gpu = kit.GPU{Forward: forwardCUDA, Backward: backwardCUDA} }

// consts returns λ and λα of the Unary built by Params.Unary.
func consts(u *kit.Unary) (l, la float64, err error) {
	if len(u.Consts) != 2 {
		return 0, 0, fmt.Errorf("selu: GPU kernel: want 2 constants, got %d", len(u.Consts))
	}
	return u.Consts[0], u.Consts[0] * u.Consts[1], nil
}

func forwardCUDA(u *kit.Unary, extern gorgonia.External, dev gorgonia.Device, prealloc gorgonia.Value, in ...gorgonia.Value) (gorgonia.Value, error) {
	l, la, err := consts(u)
	if err != nil || len(in) != 1 {
		return nil, fmt.Errorf("selu: GPU forward: %d inputs, %v", len(in), err)
	}
	return kernels.Map(extern, dev, "selu_fwd", prealloc, in, l, la)
}

// backwardCUDA gets (y, dy) and runs selu_bwd(dx, dy, y).
func backwardCUDA(u *kit.Unary, extern gorgonia.External, dev gorgonia.Device, prealloc gorgonia.Value, in ...gorgonia.Value) (gorgonia.Value, error) {
	l, la, err := consts(u)
	if err != nil || len(in) != 2 {
		return nil, fmt.Errorf("selu: GPU backward: %d inputs, %v", len(in), err)
	}
	return kernels.Map(extern, dev, "selu_bwd", prealloc, []gorgonia.Value{in[1], in[0]}, l, la)
}
