//go:build !cuda

package graph

import (
	"runtime"

	"gorgonia.org/gorgonia"
)

// BuildDevice is the device this build's machines run on.
const BuildDevice = CPU

// releaseFinalizer removes Gorgonia's finalizer from vm, which does nothing
// without the cuda tag (finalizeTapeMachine is empty in vm_tape_nocuda.go)
// but keeps vm and everything it reaches alive when vm is in a cycle.
func releaseFinalizer(vm gorgonia.VM) { runtime.SetFinalizer(vm, nil) }

func newTapeMachine(g *gorgonia.ExprGraph, opts ...gorgonia.VMOpt) gorgonia.VM {
	return gorgonia.NewTapeMachine(g, opts...)
}
