// Package fastblas is a BLAS for Gorgonia whose float32 matrix product is
// a register-blocked AVX2+FMA kernel, built for the shapes of a training
// step (X·W, dY·Wᵀ, Xᵀ·dY) and fast for every transpose and shape.
//
//	prev := gorgonia.WhichBLAS()
//	gorgonia.Use(fastblas.Implementation{})
//	defer gorgonia.Use(prev)
//
// Implementation embeds gonum's blas/gonum.Implementation, so every routine
// is gonum's except Sgemm, which computes
//
//	C = alpha·op(A)·op(B) + beta·C,  op(X) = X or Xᵀ,
//
// for row-major matrices with any leading dimensions, with the same argument
// checks and panic messages as gonum ("blas: ..."). With beta = 0, C is
// written without being read, so it may hold NaN or garbage.
//
// How it works (internal/sgemm): the work is cut into tasks of row blocks
// × groups of 16-column panels. For each k block of up to 256, a task
// packs its panels of op(B) into zero-padded 256×16 slivers with AVX2 copy
// and 8×8-transpose routines (so every m and n is fast, not only multiples
// of 6 and 16), reads op(A) = A in place or packs op(A) = Aᵀ into slivers
// of 6 rows, and a 6×16 register-blocked kernel (twelve YMM accumulators;
// per k step, two 8-float loads of B, six broadcasts of A, twelve FMAs)
// applies alpha and beta as it stores (beta on the first k block only,
// then it adds). Products of at least 2²⁰ multiply-adds share the tasks
// among GOMAXPROCS goroutines; each element of C is computed by one task
// in a fixed order, so results are bit-identical for any GOMAXPROCS.
// Results differ from gonum's only by float32 rounding (a different
// summation order). The work is the 2·m·n·k flops of the product plus
// packing, which copies op(B) once per group of rows that the tasks split
// C into and op(A) = Aᵀ once per group of columns: linear in the operands'
// sizes for a given split, small beside the product. BenchmarkSgemm times
// fastblas and gonum on the products of the refbench step;
// bench/PERFORMANCE.md has measured rates.
//
// Without AVX2 and FMA, on other architectures or with the purego build tag,
// Sgemm is gonum's. Dgemm and all other routines are always gonum's.
package fastblas
