//go:build !cuda

package alphadropout

// gpuState is the device side of an Op: nothing without the cuda tag.
//
//lint:ignore U1000 the cuda build's gpuState is used; this one only fills its place
type gpuState struct{}

// CallsExtern returns false: without the cuda tag the op runs on the CPU
// (alphadropout_cuda.go gives it a GPU kernel).
func (op *Op) CallsExtern() bool { return false }

// CallsExtern returns false: without the cuda tag the op runs on the CPU.
func (op *GradOp) CallsExtern() bool { return false }
