// Package probe decides at start-up whether this process can use CUDA and
// says why not in one sentence.
//
// In the default build (no `cuda` tag) Err always returns ErrNotBuilt, whose
// message says how to rebuild.
//
// In a build with the `cuda` tag the package loads the NVIDIA driver
// library libcuda.so.1 and cuBLAS (libcublas.so.13, .12 or .11, from the
// loader's search path: LD_LIBRARY_PATH, ldconfig) with dlopen(RTLD_GLOBAL),
// calls cuInit and counts the devices. It runs before gorgonia.org/cu's
// package init, which would otherwise exit the process with a bare status
// when cuInit fails (or never start it when libcuda.so.1 is missing): Go
// initialises packages in import-path order among those whose imports are
// ready, this package imports nothing that imports cu, and its path sorts
// before gorgonia.org/cu. When CUDA is unusable, init prints one error
// naming the cause and how to run without a GPU, and exits with status 1.
// Binaries built by scripts/cuda.sh have libcuda and libcublas removed from
// their DT_NEEDED list (internal/cuda/dropneeded), so they start on machines
// without a driver and reach this message.
//
// Importers: graph (through its cuda-tagged file) and internal/cuda/kernels,
// so every cuda-tagged binary that builds a Gorgonia machine links it.
package probe

import "errors"

// ErrNotBuilt is Err's answer in a build without the cuda tag.
var ErrNotBuilt = errors.New("this binary was built without CUDA support (device: cuda); " +
	"build the CUDA version with `scripts/cuda.sh build` (go build -tags cuda, see README \"GPU\") and run bin/train-cuda, " +
	"or train on the CPU with device: cpu (-device cpu)")

// Device describes the GPU the process uses (device 0).
type Device struct {
	Name         string // e.g. "NVIDIA H200"
	Major, Minor int    // compute capability
	Count        int    // CUDA devices visible
	Driver       int    // cuDriverGetVersion, e.g. 13000
	CUBLAS       string // the cuBLAS library loaded, e.g. "libcublas.so.13"
}
