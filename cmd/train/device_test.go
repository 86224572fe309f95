//go:build !cuda

package main

import (
	"strings"
	"testing"
)

// TestDeviceWithoutCUDA checks the device choice of the default build:
// device cuda (flag or key) fails with the rebuild instructions, an unknown
// device names the allowed values.
func TestDeviceWithoutCUDA(t *testing.T) {
	cuda := writeConfig(t, "device: cuda\n")
	tpu := writeConfig(t, "device: tpu\n")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-config", "../../configs/quick.yaml", "-device", "cuda"}, "scripts/cuda.sh build"},
		{[]string{"-config", cuda, "-print-config"}, "c.yaml: device: cuda: this binary was built without CUDA support"},
		{[]string{"-config", tpu}, "device"},
	}
	for i, c := range cases {
		code, _, stderr := call(c.args...)
		if code != 1 || !strings.Contains(stderr, c.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%d: %v: got code %d, stderr %q; want code 1 and one line with %q", i, c.args, code, stderr, c.want)
		}
	}
	if code, out, stderr := call("-config", "../../configs/quick.yaml", "-device", "cpu", "-print-config"); code != 0 || !strings.Contains(out, "device: cpu") {
		t.Errorf("-device cpu: code %d, stderr %q", code, stderr)
	}
}

// TestGPUCheckCPU runs the gpucheck subcommand in the default build: the
// op harness (CPU machine against the ops' Do) agrees exactly, and the
// copies section, which needs a GPU, fails with the rebuild message.
func TestGPUCheckCPU(t *testing.T) {
	code, out, stderr := call("gpucheck", "-sections", "env,ops")
	if code != 0 {
		t.Fatalf("code %d, stderr %q", code, stderr)
	}
	if n := strings.Count(out, `"kind":"op"`); n != 7 || !strings.Contains(out, `"kind":"env"`) || strings.Contains(out, `"err"`) {
		t.Errorf("want an env line and 7 passing op lines, got %d:\n%s", n, out)
	}
	if code, _, stderr := call("gpucheck", "-sections", "copies"); code != 1 || !strings.Contains(stderr, "without CUDA support") {
		t.Errorf("copies: code %d, stderr %q", code, stderr)
	}
	if code, _, stderr := call("gpucheck", "-sections", "nope"); code != 1 || !strings.Contains(stderr, "unknown section") {
		t.Errorf("bad section: code %d, stderr %q", code, stderr)
	}
}
