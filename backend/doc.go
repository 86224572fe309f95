// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

// Package backend selects the BLAS library behind Gorgonia's matrix products,
// sets the number of compute threads, keeps a tape machine's intermediate
// tensors between runs, and feeds solvers gradients without dual values.
//
// # BLAS
//
// The default build is pure Go: importing this package makes Gorgonia and
// gorgonia.org/tensor use gonum's native BLAS with the float32 matrix product
// replaced by internal/fastblas, a register-blocked AVX2+FMA kernel whose
// results do not depend on GOMAXPROCS (gonum's own Sgemm is used without
// AVX2/FMA, off amd64 or with the tag purego; bench/PERFORMANCE.md compares
// the two). The BLAS is installed when the package is loaded (its init calls
// gorgonia.Use); packages graph and train import backend, so every
// program that builds its machines with graph.NewTapeMachine or trains with
// package train gets it, and a program that uses Gorgonia alone can import
// backend for it (import _ "github.com/selunet/selunet/backend").
// Built with the tag openblas, importing this package routes every BLAS call
// to OpenBLAS through gonum's cgo bindings (gonum.org/v1/netlib/blas/netlib)
// instead:
//
//	apt-get install -y libopenblas-dev     # Debian: OpenBLAS (pthreads) + cblas.h
//	go build -tags openblas ./...          # links with -lopenblas; needs cgo (CGO_ENABLED=1)
//	go test -tags openblas ./...
//
// Only a program that imports backend (directly or through another selunet
// package) gets OpenBLAS; Name reports which build is running.
//
// # Threads
//
// SetThreads(n) sets runtime.GOMAXPROCS to n and, in the openblas build,
// OpenBLAS's own thread pool (openblas_set_num_threads) to n as well. The
// OpenBLAS pool starts with one thread per core whatever GOMAXPROCS says, so
// call SetThreads before timing anything: on a 2-core machine OpenBLAS with
// 2 threads next to a busy Go thread loses time to its spinning workers.
//
// # Keeping registers between runs
//
// gorgonia's tape machine Reset clears every register, so each run
// allocates every intermediate tensor again (tens of MB per training step of
// a wide MLP: allocation, zeroing and garbage collection). A Keeper resets
// the machine and puts back those tensors that the next run may overwrite;
// each op then writes its result into the tensor it produced in the last run
// through its UsePreallocDo method, which is what the machine already does
// for registers it reuses within one run. A tensor is put back into register
// r only if
//
//   - the first instruction of the program that writes r is an op (not the
//     load of an input), and the tensor has that op's dtype and shape;
//   - it is a plain *tensor.Dense (not a view, not masked);
//   - its memory overlaps neither another kept tensor nor the value of any
//     node that no op writes (inputs, weights, constants) nor any gradient
//     held in a dual value (what the solvers read).
//
// A Keeper reads unexported fields of gorgonia v0.9.18 (tapeMachine.cpumem,
// the program's instructions, Node.boundTo, dualValue.d) through reflect and
// unsafe; NewKeeper checks their names and types and panics on any other
// layout. Results are bit-identical to Reset (tested in package bench on the
// refbench network with SGD and Adam). The values bound to op nodes after a
// run (node.Value()) are overwritten by the next run: copy what you need
// first, as gorgonia.Read does.
//
// # Gradients without dual values
//
// GradPairs hands a solver the gradient nodes' values directly, so the
// machine can be built without gorgonia.BindDualValues, which otherwise adds
// every gradient into a second buffer (one extra pass over all gradients per
// step, plus the solver's zeroing of that buffer). The results are
// bit-identical.
//
//	grads, _ := gorgonia.Grad(loss, learnables...)
//	vm := gorgonia.NewTapeMachine(g)            // no BindDualValues
//	keep := backend.NewKeeper(vm)
//	vgs := backend.GradPairs(learnables, grads)
//	for each step: fill inputs; vm.RunAll(); solver.Step(vgs); keep.Reset()
package backend
