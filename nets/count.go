package nets

import "math"

// ParamCount returns the number of parameter elements New creates for s
// with the given input and output sizes, without allocating them, and
// false when a size is out of range or the count exceeds 2^50. It lets a
// reader of an untrusted file check the file's tensors against the
// architecture before building the network.
func (s Spec) ParamCount(inputs, outputs int) (int64, bool) {
	var total int64
	ok := true
	add := func(terms ...int64) {
		for _, t := range terms {
			if t < 0 || total > 1<<50-t {
				ok = false
				return
			}
			total += t
		}
	}
	mul := func(a, b int) int64 {
		if a < 0 || b < 0 || (a > 0 && int64(b) > (1<<50)/int64(a)) {
			ok = false
			return 0
		}
		return int64(a) * int64(b)
	}
	if s.Layers > 1<<20 || s.Units > 1<<30 || inputs > 1<<30 || outputs > 1<<30 {
		return 0, false
	}
	lin := func(in, out int) { add(mul(in, out), int64(out)) }
	widths := s.Widths(outputs)
	in := inputs
	for _, w := range widths {
		switch s.Arch {
		case SNN, MSRA:
			lin(in, w)
		case BatchNorm:
			lin(in, w)
			add(4 * int64(w)) // running mean and variance, γ, β
		case LayerNorm:
			lin(in, w)
			add(2 * int64(w))
		case WeightNorm:
			lin(in, w) // V and b
			add(int64(w))
		case ResNet:
			if in != w {
				lin(in, w)
			}
			inner := s.inner(w)
			lin(w, inner)
			lin(inner, w)
		case Highway:
			if in != w {
				lin(in, w)
			}
			lin(w, w)
			lin(w, w)
		default:
			return 0, false
		}
		in = w
		if !ok {
			return 0, false
		}
	}
	lin(in, outputs)
	return total, ok
}

// inner is the width of a residual block's inner layer for a block of
// width w: Bottleneck·w (at least 1) for the diavolo shape, else w.
func (s Spec) inner(w int) int {
	if s.Shape == Diavolo {
		return max(1, int(math.Round(s.Bottleneck*float64(w))))
	}
	return w
}
