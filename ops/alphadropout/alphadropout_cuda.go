//go:build cuda

package alphadropout

import (
	"fmt"

	"github.com/selunet/selunet/internal/cuda/kernels"
	"gorgonia.org/gorgonia"
)

// gpuState is the device side of an Op: one mask byte per element (1 =
// kept) in the machine's memory pool.
type gpuState struct {
	mask kernels.Buffer
	n    int // elements covered by the device mask; 0 if none yet
}

// CallsExtern returns true: in the cuda build the op runs on the GPU.
func (op *Op) CallsExtern() bool { return true }

// seedsPerLaunch is how many block seeds one adrop_mask launch takes (its
// arguments s0..s7).
const seedsPerLaunch = 8

// CUDADo draws the mask on the GPU and computes y there. The block seeds
// come from the op's PCG exactly as on the CPU and adrop_mask runs the CPU's
// generator (SplitMix64-seeded xoshiro128+ lanes), so the same seed gives
// the same mask on either device. A frozen mask (WithMask) is uploaded.
// Mask and Kept describe masks drawn on the CPU only.
func (op *Op) CUDADo(extern gorgonia.External, dev gorgonia.Device, prealloc gorgonia.Value, in ...gorgonia.Value) (gorgonia.Value, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("alphadropout: CUDADo: want 1 value, got %d", len(in))
	}
	x := in[0]
	sfx, err := kernels.Suffix(x)
	if err != nil {
		return nil, fmt.Errorf("alphadropout: %w", err)
	}
	n, err := kernels.Len(x)
	if err != nil {
		return nil, fmt.Errorf("alphadropout: %w", err)
	}
	y, err := kernels.Output(prealloc, x, n)
	if err != nil {
		return nil, fmt.Errorf("alphadropout: %w", err)
	}
	mask, err := op.gpu.mask.Ensure(extern, dev, int64(n))
	if err != nil {
		return nil, fmt.Errorf("alphadropout: %w", err)
	}
	seeds, err := op.prepareMask(n)
	if err != nil {
		return nil, err
	}
	if seeds == nil { // frozen: upload the fixed mask
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(op.mask[i/64] >> (i % 64) & 1)
		}
		if err := kernels.Upload(extern, dev, mask, b); err != nil {
			return nil, fmt.Errorf("alphadropout: %w", err)
		}
	}
	dropAll := int64(0)
	if op.thr == 0 {
		dropAll = 1
	}
	for lo := 0; lo < len(seeds); lo += seedsPerLaunch {
		group := seeds[lo:min(lo+seedsPerLaunch, len(seeds))]
		args := []any{mask, n, BlockSize, lo, len(group), int64(op.thr - 1), dropAll}
		for i := range seedsPerLaunch {
			s := uint64(0)
			if i < len(group) {
				s = group[i]
			}
			args = append(args, s)
		}
		if err := kernels.LaunchThreads(extern, dev, "adrop_mask", len(group)*8, args...); err != nil {
			return nil, fmt.Errorf("alphadropout: %w", err)
		}
	}
	op.gpu.n = n
	return y, kernels.Launch(extern, dev, "adrop_fwd_"+sfx, n,
		kernels.PtrOf(y), kernels.PtrOf(x), mask, n, op.a, op.b, op.drop)
}

// CallsExtern returns true: in the cuda build the op runs on the GPU.
func (op *GradOp) CallsExtern() bool { return true }

// CUDADo computes dx = a·d·dy on the GPU with the device mask of the
// latest forward pass; it gets (y, dy).
func (op *GradOp) CUDADo(extern gorgonia.External, dev gorgonia.Device, prealloc gorgonia.Value, in ...gorgonia.Value) (gorgonia.Value, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("alphadropout: grad: CUDADo: want 2 values, got %d", len(in))
	}
	dy := in[1]
	sfx, err := kernels.Suffix(dy)
	if err != nil {
		return nil, fmt.Errorf("alphadropout: grad: %w", err)
	}
	n, err := kernels.Len(dy)
	if err != nil {
		return nil, fmt.Errorf("alphadropout: grad: %w", err)
	}
	f := op.fwd
	if f.gpu.n != n {
		return nil, fmt.Errorf("alphadropout: grad: gradient has %d elements, the device mask %d (backward before a GPU forward pass?)", n, f.gpu.n)
	}
	dx, err := kernels.Output(prealloc, dy, n)
	if err != nil {
		return nil, fmt.Errorf("alphadropout: grad: %w", err)
	}
	mask, err := f.gpu.mask.Existing(extern, dev, int64(n))
	if err != nil {
		return nil, fmt.Errorf("alphadropout: grad: the device mask of the forward pass: %w", err)
	}
	return dx, kernels.Launch(extern, dev, "adrop_bwd_"+sfx, n, kernels.PtrOf(dx), kernels.PtrOf(dy), mask, n, f.a)
}

var (
	_ gorgonia.CUDADoer = (*Op)(nil)
	_ gorgonia.CUDADoer = (*GradOp)(nil)
)
