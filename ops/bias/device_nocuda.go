//go:build !cuda

package bias

// CallsExtern returns false: without the cuda tag the op runs on the CPU
// (bias_cuda.go gives it a GPU kernel).
func (op *Op) CallsExtern() bool { return false }

// CallsExtern returns false: without the cuda tag the op runs on the CPU.
func (op *SumOp) CallsExtern() bool { return false }
