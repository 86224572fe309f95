//go:build cuda

package graph

import (
	"runtime"

	_ "github.com/selunet/selunet/internal/cuda/kernels" // registers the PTX modules
	"gorgonia.org/gorgonia"
)

// BuildDevice is the device this build's machines run on.
const BuildDevice = CUDA

// releaseFinalizer keeps Gorgonia's finalizer with the cuda tag: it frees
// the machine's CUDA contexts. Break reference cycles through the machine
// yourself there (Close it, and Read into separately allocated values).
func releaseFinalizer(vm gorgonia.VM) {}

// newTapeMachine builds the machine on a goroutine locked to its OS thread:
// Gorgonia's engines load the PTX modules with cu.SetCurrentContext and
// cu.LoadData as two cgo calls, and a thread switch between them loads into
// no context (InvalidPtx/InvalidContext, gorgonia issue #376).
func newTapeMachine(g *gorgonia.ExprGraph, opts ...gorgonia.VMOpt) gorgonia.VM {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return gorgonia.NewTapeMachine(g, opts...)
}
