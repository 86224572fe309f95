//go:build !cuda

package losses

// CallsExtern returns false: without the cuda tag the loss runs on the CPU
// (losses_cuda.go gives it GPU kernels).
func (op lossOp) CallsExtern() bool { return false }

// CallsExtern returns false: without the cuda tag the op runs on the CPU.
func (op lossGradOp) CallsExtern() bool { return false }
