//go:build !cuda

package check

import "testing"

// TestOpsCPU runs the harness in the default build, where the machines run
// on the CPU too: both sides must agree exactly, the gradient checks pass.
func TestOpsCPU(t *testing.T) {
	for _, r := range Ops() {
		if r.Err != "" || r.FwdRel > 1e-6 || r.BwdRel > 1e-6 || r.GradCheck != "ok" {
			t.Errorf("%s: %+v", r.Op, r)
		}
	}
}
