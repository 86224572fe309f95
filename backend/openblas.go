// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

//go:build openblas

package backend

/*
#cgo LDFLAGS: -lopenblas
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char* openblas_get_config(void);
*/
import "C"

import (
	"runtime"

	"gonum.org/v1/netlib/blas/netlib"
	"gorgonia.org/gorgonia"
)

// init routes every BLAS call of Gorgonia and gorgonia.org/tensor (matrix
// products in particular) to OpenBLAS through gonum's cgo netlib bindings.
func init() {
	gorgonia.Use(netlib.Implementation{})
}

// Name reports the BLAS implementation compiled in: "openblas" in this
// build (build tag openblas).
func Name() string { return "openblas" }

// Config returns OpenBLAS's build description, e.g.
// "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64".
// It returns "" in the pure-Go build.
func Config() string { return C.GoString(C.openblas_get_config()) }

// SetThreads sets the number of threads used for the compute: OpenBLAS's
// thread count (openblas_set_num_threads) and runtime.GOMAXPROCS, which
// bounds the Go code (Gorgonia's elementwise kernels, the garbage
// collector). It panics if n < 1.
func SetThreads(n int) {
	if n < 1 {
		panic("backend: SetThreads needs n >= 1")
	}
	C.openblas_set_num_threads(C.int(n))
	runtime.GOMAXPROCS(n)
}

// Threads returns OpenBLAS's current thread count
// (openblas_get_num_threads).
func Threads() int { return int(C.openblas_get_num_threads()) }
