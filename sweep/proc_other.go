//go:build !linux

package sweep

import "os/exec"

// dieWithParent is a no-op off Linux (no parent-death signal).
func dieWithParent(cmd *exec.Cmd) {}
