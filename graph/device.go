package graph

import (
	"errors"
	"fmt"

	"github.com/selunet/selunet/internal/cuda/probe"
)

// Devices a machine can run on, as the config key `device` names them.
const (
	CPU  = "cpu"
	CUDA = "cuda"
)

// errCPUInCUDABuild is CheckDevice("cpu")'s answer in the cuda build.
var errCPUInCUDABuild = errors.New("this binary is the CUDA build (-tags cuda), where Gorgonia v0.9.18 runs every op " +
	"that has a GPU kernel on the GPU: use device: cuda (-device cuda) here, or the default build (go build ./cmd/train) for device: cpu")

// CheckDevice returns nil when this binary's machines run on device (CPU or
// CUDA), and otherwise one error saying what to do: "cuda" in a build
// without the cuda tag names the rebuild command (probe.ErrNotBuilt); "cpu"
// in a cuda build says to use the default build, since Gorgonia places ops
// by type, not by request. A cuda build that reaches this call has already
// found a GPU (package probe exits at start-up otherwise).
func CheckDevice(device string) error {
	switch device {
	case CPU:
		if BuildDevice == CUDA {
			return errCPUInCUDABuild
		}
		return nil
	case CUDA:
		if BuildDevice != CUDA {
			return probe.ErrNotBuilt
		}
		return probe.Err()
	}
	return fmt.Errorf("unknown device %q (want %s or %s)", device, CPU, CUDA)
}
