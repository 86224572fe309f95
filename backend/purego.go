// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

//go:build !openblas

package backend

import (
	"runtime"

	"gorgonia.org/gorgonia"

	"github.com/selunet/selunet/internal/fastblas"
)

// In the default build Gorgonia's BLAS is gonum's with the float32 matrix
// product replaced by package fastblas (an AVX2+FMA kernel; gonum's own
// Sgemm without AVX2/FMA, off amd64, or with the build tag purego).
func init() {
	gorgonia.Use(fastblas.Implementation{})
}

// Name reports the BLAS implementation compiled in: "pure Go (fastblas
// sgemm + gonum)" in the default build (no build tag openblas).
func Name() string { return "pure Go (fastblas sgemm + gonum)" }

// Config returns OpenBLAS's build description in the openblas build and ""
// in this pure-Go build.
func Config() string { return "" }

// SetThreads sets the number of threads used for the compute. In the
// pure-Go build gonum's BLAS splits each matrix product over
// runtime.GOMAXPROCS goroutines, so SetThreads(n) is runtime.GOMAXPROCS(n)
// (the environment variable GOMAXPROCS=n does the same at start-up).
// It panics if n < 1.
func SetThreads(n int) {
	if n < 1 {
		panic("backend: SetThreads needs n >= 1")
	}
	runtime.GOMAXPROCS(n)
}

// Threads returns the number of threads used for the compute: runtime.GOMAXPROCS
// in the pure-Go build.
func Threads() int { return runtime.GOMAXPROCS(0) }
