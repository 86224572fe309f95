package fastblas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"gonum.org/v1/gonum/blas"
)

// eps32 is the float32 unit roundoff (2⁻²⁴).
const eps32 = 1.0 / (1 << 24)

// tolFactor scales the classical error bound of a float32 dot product of
// length k, (k+2)·eps32·Σ|terms| (Higham, Accuracy and Stability of
// Numerical Algorithms, §3.1), to leave room for alpha/beta rounding.
const tolFactor = 4

// mat returns op(X) element (i, p) of a row-major X with stride ld.
func at(x []float32, ld int, trans bool, i, p int) float64 {
	if trans {
		return float64(x[p*ld+i])
	}
	return float64(x[i*ld+p])
}

// reference computes alpha·op(A)·op(B) + beta·C in float64 (C not read when
// beta = 0) and the bound Σ|alpha·a·b| + |beta·c| for each element.
func reference(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) (want, abs []float64) {
	want, abs = make([]float64, m*n), make([]float64, m*n)
	for i := range m {
		for j := range n {
			var s, sa float64
			for p := range k {
				t := at(a, lda, tA, i, p) * at(b, ldb, tB, p, j)
				s += t
				sa += math.Abs(t)
			}
			s *= float64(alpha)
			sa *= math.Abs(float64(alpha))
			if beta != 0 {
				cv := float64(beta) * float64(c[i*ldc+j])
				s += cv
				sa += math.Abs(cv)
			}
			want[i*n+j], abs[i*n+j] = s, sa
		}
	}
	return want, abs
}

func randSlice(rng *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	return x
}

// gemmCase is one Sgemm call; pad is added to each minimal leading
// dimension.
type gemmCase struct {
	tA, tB      blas.Transpose
	m, n, k     int
	pad         int
	alpha, beta float32
}

// operands builds random A, B, C for c (C full of NaN when beta = 0, so a
// read of C shows up as NaN in the result).
func operands(rng *rand.Rand, c gemmCase) (a []float32, lda int, b []float32, ldb int, cc []float32, ldc int) {
	ar, ac := c.m, c.k
	if c.tA != blas.NoTrans {
		ar, ac = c.k, c.m
	}
	br, bc := c.k, c.n
	if c.tB != blas.NoTrans {
		br, bc = c.n, c.k
	}
	lda, ldb, ldc = max(1, ac)+c.pad, max(1, bc)+c.pad, max(1, c.n)+c.pad
	a, b, cc = randSlice(rng, ar*lda), randSlice(rng, br*ldb), randSlice(rng, c.m*ldc)
	if c.beta == 0 {
		for i := range cc {
			cc[i] = float32(math.NaN())
		}
	}
	return
}

// check runs Sgemm on c and compares with the float64 reference.
func check(t *testing.T, name string, rng *rand.Rand, c gemmCase) {
	t.Helper()
	a, lda, b, ldb, cc, ldc := operands(rng, c)
	orig := append([]float32(nil), cc...)
	tA, tB := c.tA != blas.NoTrans, c.tB != blas.NoTrans
	want, abs := reference(tA, tB, c.m, c.n, c.k, c.alpha, a, lda, b, ldb, c.beta, orig, ldc)
	Implementation{}.Sgemm(c.tA, c.tB, c.m, c.n, c.k, c.alpha, a, lda, b, ldb, c.beta, cc, ldc)
	for i := range c.m {
		for j := range ldc {
			got := cc[i*ldc+j]
			if j >= c.n { // padding must be untouched
				if math.Float32bits(got) != math.Float32bits(orig[i*ldc+j]) {
					t.Fatalf("%s %+v: padding C[%d][%d] changed: got:%v want:%v", name, c, i, j, got, orig[i*ldc+j])
				}
				continue
			}
			w := want[i*c.n+j]
			tol := tolFactor * float64(c.k+2) * eps32 * abs[i*c.n+j]
			if d := math.Abs(float64(got) - w); !(d <= tol) {
				t.Fatalf("%s %+v: C[%d][%d] got:%v want:%v (tol %g)", name, c, i, j, got, w, tol)
			}
		}
	}
}

var transposes = []blas.Transpose{blas.NoTrans, blas.Trans}

// TestSgemmSmallShapes (table generated): every m, n, k in
// {1, 2, 5, 6, 7, 16, 17, 31} × the four transpose pairs, with a stride
// padding, alpha and beta cycling through {0, 1, 3} × {1, -0.5, 1.5},
// {0 (C = NaN), 1, 0.25}. Expected values: float64 triple loop.
func TestSgemmSmallShapes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sizes := []int{1, 2, 5, 6, 7, 16, 17, 31}
	alphas := []float32{1, -0.5, 1.5}
	betas := []float32{0, 1, 0.25}
	pads := []int{0, 1, 3}
	var n int
	for _, tA := range transposes {
		for _, tB := range transposes {
			for _, m := range sizes {
				for _, nn := range sizes {
					for _, k := range sizes {
						c := gemmCase{tA, tB, m, nn, k, pads[n%3], alphas[n%3], betas[(n/3)%3]}
						check(t, fmt.Sprintf("case %d", n), rng, c)
						n++
					}
				}
			}
		}
	}
}

// TestSgemmLarge covers the k blocking (k > 256), the parallel split
// (m·n·k ≥ 2²⁰), row and panel remainders and the shapes of a training
// step. Expected values: float64 triple loop.
func TestSgemmLarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	N, T := blas.NoTrans, blas.Trans
	cases := []gemmCase{
		{N, N, 128, 130, 31, 0, 1, 0},            // 0
		{N, T, 130, 128, 17, 2, 1, 1},            // 1
		{T, N, 31, 128, 130, 0, 2, 0.5},          // 2
		{T, T, 130, 130, 128, 5, -1, 0},          // 3
		{N, N, 130, 17, 600, 0, 1, 1},            // 4: three k blocks
		{N, T, 64, 100, 520, 1, 0.5, 0},          // 5: k blocks, parallel
		{T, N, 256, 96, 64, 0, 1, 0},             // 6: Xᵀ·dY form
		{N, N, 7, 1000, 300, 0, 1, 0},            // 7: many panels, few rows
		{T, T, 300, 7, 513, 3, 1, 2},             // 8: one partial panel
		{N, N, 5, 3, 0, 0, 1, 0.5},               // 9: k = 0 scales C
		{N, N, 6, 16, 4, 0, 0, 0},                // 10: alpha = 0, beta = 0 zeroes C
		{N, T, 1, 1, 1000, 0, 1, 0},              // 11: dot product
		{N, N, 128, 256, 256, 0, 1, 1},           // 12: X·W shape (small)
		{blas.ConjTrans, N, 16, 16, 16, 0, 1, 0}, // 13: ConjTrans = Trans
		{T, N, 900, 100, 70, 1, 1, 0},            // 14: tall: tasks split the rows
		{N, N, 905, 40, 300, 0, 1, 0.5},          // 15: tall, k blocks, a short last sliver
	}
	for i, c := range cases {
		check(t, fmt.Sprintf("case %d", i), rng, c)
	}
}

// TestSgemmThreadsBitIdentical: results for GOMAXPROCS 1, 2 and 3 are
// bit-identical for products large enough to be split.
func TestSgemmThreadsBitIdentical(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	rng := rand.New(rand.NewPCG(5, 6))
	N, T := blas.NoTrans, blas.Trans
	cases := []gemmCase{
		{N, N, 130, 260, 300, 1, 1, 0},   // 0
		{N, T, 130, 260, 300, 0, 1, 1},   // 1
		{T, N, 260, 130, 100, 2, -2, 0},  // 2
		{T, T, 100, 333, 200, 0, 1, 0.5}, // 3
		{T, N, 900, 100, 70, 0, 1, 0},    // 4: rows split across tasks
		{N, N, 905, 40, 300, 1, 1, 0.5},  // 5: rows split, k blocks
	}
	for i, c := range cases {
		a, lda, b, ldb, c0, ldc := operands(rng, c)
		var first []float32
		for _, procs := range []int{1, 2, 3} {
			runtime.GOMAXPROCS(procs)
			cc := append([]float32(nil), c0...)
			Implementation{}.Sgemm(c.tA, c.tB, c.m, c.n, c.k, c.alpha, a, lda, b, ldb, c.beta, cc, ldc)
			if first == nil {
				first = cc
				continue
			}
			for j := range cc {
				if math.Float32bits(cc[j]) != math.Float32bits(first[j]) {
					t.Fatalf("case %d GOMAXPROCS %d element %d: got:%v want:%v", i, procs, j, cc[j], first[j])
				}
			}
		}
	}
}

// TestSgemmConcurrent: concurrent calls share the scratch pool safely.
func TestSgemmConcurrent(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	cases := []gemmCase{
		{blas.NoTrans, blas.Trans, 40, 70, 300, 0, 1, 0},   // 0
		{blas.Trans, blas.NoTrans, 70, 40, 30, 1, 1, 0},    // 1
		{blas.NoTrans, blas.NoTrans, 9, 300, 200, 0, 1, 0}, // 2
	}
	type run struct {
		c              gemmCase
		a, b, cc, want []float32
		lda, ldb, ldc  int
	}
	var runs []*run
	for _, c := range cases {
		r := &run{c: c}
		r.a, r.lda, r.b, r.ldb, r.cc, r.ldc = operands(rng, c)
		r.want = append([]float32(nil), r.cc...)
		Implementation{}.Sgemm(c.tA, c.tB, c.m, c.n, c.k, c.alpha, r.a, r.lda, r.b, r.ldb, c.beta, r.want, r.ldc)
		runs = append(runs, r)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := runs[g%len(runs)]
			for range 5 {
				cc := append([]float32(nil), r.cc...)
				Implementation{}.Sgemm(r.c.tA, r.c.tB, r.c.m, r.c.n, r.c.k, r.c.alpha, r.a, r.lda, r.b, r.ldb, r.c.beta, cc, r.ldc)
				for j := range cc {
					if math.Float32bits(cc[j]) != math.Float32bits(r.want[j]) {
						errs <- fmt.Sprintf("goroutine %d element %d: got:%v want:%v", g, j, cc[j], r.want[j])
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}

// TestSgemmPanics: argument errors panic with gonum's messages (expected
// strings copied from gonum.org/v1/gonum/blas/gonum/errors.go).
func TestSgemmPanics(t *testing.T) {
	N, T := blas.NoTrans, blas.Trans
	a, b, c := make([]float32, 12), make([]float32, 16), make([]float32, 12) // 3×4, 4×4, 3×4
	cases := []struct {
		f    func()
		want string
	}{
		{func() { Implementation{}.Sgemm('x', N, 3, 4, 4, 1, a, 4, b, 4, 0, c, 4) }, "blas: illegal transpose"},           // 0
		{func() { Implementation{}.Sgemm(N, N, -1, 4, 4, 1, a, 4, b, 4, 0, c, 4) }, "blas: m < 0"},                        // 1
		{func() { Implementation{}.Sgemm(N, N, 3, -1, 4, 1, a, 4, b, 4, 0, c, 4) }, "blas: n < 0"},                        // 2
		{func() { Implementation{}.Sgemm(N, N, 3, 4, -1, 1, a, 4, b, 4, 0, c, 4) }, "blas: k < 0"},                        // 3
		{func() { Implementation{}.Sgemm(N, N, 3, 4, 4, 1, a, 3, b, 4, 0, c, 4) }, "blas: bad leading dimension of A"},    // 4
		{func() { Implementation{}.Sgemm(N, T, 3, 4, 4, 1, a, 4, b, 3, 0, c, 4) }, "blas: bad leading dimension of B"},    // 5
		{func() { Implementation{}.Sgemm(N, N, 3, 4, 4, 1, a, 4, b, 4, 0, c, 3) }, "blas: bad leading dimension of C"},    // 6
		{func() { Implementation{}.Sgemm(N, N, 4, 4, 4, 1, a, 4, b, 4, 0, c, 4) }, "blas: insufficient length of a"},      // 7
		{func() { Implementation{}.Sgemm(N, N, 3, 4, 4, 1, a, 4, b[:15], 4, 0, c, 4) }, "blas: insufficient length of b"}, // 8
		{func() { Implementation{}.Sgemm(N, N, 3, 4, 4, 1, a, 4, b, 4, 0, c[:11], 4) }, "blas: insufficient length of c"}, // 9
	}
	for i, tc := range cases {
		func() {
			defer func() {
				if got := recover(); got != tc.want {
					t.Errorf("case %d: got:%v want:%v", i, got, tc.want)
				}
			}()
			tc.f()
		}()
	}
}
