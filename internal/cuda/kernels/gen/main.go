// Command gen compiles the CUDA modules that selunet's cuda build loads into
// PTX files under ptx/compute_<arch>/<module>.ptx, one file per module and
// target:
//
//   - src/*.cu: selunet's own kernels (module name = file name);
//   - Gorgonia's elementwise modules ("cuda modules/src/*.cu" of the
//     gorgonia.org/gorgonia version in go.mod), which v0.9.18 ships without
//     PTX (its go:generate step, cudagen, needs a GPU to pick the target;
//     gorgonia issue #355).
//
// It runs nvcc with Gorgonia cudagen's flags (-fmad=false -ftz=false
// -prec-div=true -prec-sqrt=true) for compute_70 and compute_90, so the PTX
// is JIT-compiled by the driver for any GPU from Volta on. nvcc, and the
// host compiler it needs for preprocessing, come from `scripts/cuda.sh
// deps`; run it as `scripts/cuda.sh ptx` (go generate
// ./internal/cuda/kernels).
package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

var archs = []string{"70", "90"}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run() error {
	own, err := filepath.Glob("src/*.cu")
	if err != nil || len(own) == 0 {
		return fmt.Errorf("no src/*.cu here (run in internal/cuda/kernels): %v", err)
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "gorgonia.org/gorgonia").Output()
	if err != nil {
		return fmt.Errorf("locating gorgonia.org/gorgonia: %w", err)
	}
	theirs, err := filepath.Glob(filepath.Join(strings.TrimSpace(string(out)), "cuda modules", "src", "*.cu"))
	if err != nil || len(theirs) == 0 {
		return fmt.Errorf("no Gorgonia kernel sources found: %v", err)
	}
	cc := os.Getenv("CC")
	if cc == "" {
		cc = "gcc"
	}
	for _, arch := range archs {
		dir := filepath.Join("ptx", "compute_"+arch)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		for _, src := range append(own, theirs...) {
			name := strings.TrimSuffix(filepath.Base(src), ".cu")
			dst := filepath.Join(dir, name+".ptx")
			cmd := exec.Command("nvcc", "-ccbin", cc, "-allow-unsupported-compiler", "-arch=compute_"+arch, "-ptx",
				"-fmad=false", "-ftz=false", "-prec-div=true", "-prec-sqrt=true", "-o", dst, src)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Run(); err != nil {
				return fmt.Errorf("nvcc %s (compute_%s): %v\n%s", src, arch, err, stderr.String())
			}
			fmt.Fprintf(os.Stderr, "gen: %s\n", dst)
		}
	}
	return nil
}
