package sgemm

import (
	"runtime"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

const (
	// kc is the depth of one k block: a 6×kc sliver of A and the packed
	// kc×16 sliver of B (16 KiB) stay in L1 while the kernel runs.
	kc = 256
	// mc is the number of rows of one task (a multiple of 6): an mc×kc
	// block of A (144 KiB) stays in L2 while the task walks its panels.
	mc = 144
	// ncN is the most panels of 16 columns one task owns when op(B) = B:
	// packing their kc×16·ncN block reads 4 KiB of each row of B, long
	// enough for the hardware prefetcher (with 8 panels, 512 B rows, the
	// packing was latency-bound and took a third of the time).
	ncN = 64
	// ncT is the same for op(B) = Bᵀ, whose packing reads rows of B of kc
	// floats whatever the panel count; 8 panels (128 KiB) stay in L2.
	ncT = 8
	// minParallelFlops is the product size (m·k·n) from which Gemm splits
	// the work across goroutines.
	minParallelFlops = 1 << 20
)

// scratch holds the buffers of one Gemm call; calls reuse them through
// pool, so a steady-state call allocates nothing large.
type scratch struct {
	b []float32 // per worker, gp packed kc×16 slivers of op(B)
	a []float32 // the last m%6 rows of op(A), zero-padded to 6×k
}

var pool = sync.Pool{New: func() any { return new(scratch) }}

// grow returns s[:n], reallocating when s is too short, zeroed if zero.
func grow(s []float32, n int, zero bool) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	s = s[:n]
	if zero {
		clear(s)
	}
	return s
}

// Mul sets c (m×n) to a (m×k) times b (k×n), all row-major and contiguous.
// It panics if a slice is shorter than its matrix or a dimension is negative.
func Mul(c, a, b []float32, m, k, n int) {
	if m < 0 || k < 0 || n < 0 || len(a) < m*k || len(b) < k*n || len(c) < m*n {
		panic("sgemm: bad dimensions")
	}
	Gemm(false, false, m, n, k, 1, a, max(k, 1), b, max(n, 1), 0, c, max(n, 1))
}

// Gemm sets C = alpha·op(A)·op(B) + beta·C for row-major matrices, where
// op(A) is m×k (A itself, lda ≥ k, if transA is false; else Aᵀ with A k×m,
// lda ≥ m), op(B) is k×n (likewise with ldb) and C is m×n with ldc ≥ n.
// With beta = 0, C is written without being read (it may hold NaN).
// Gemm does not check its arguments: the caller (fastblas) does, with the
// BLAS rules. Each element of C is computed by one goroutine in an order
// that does not depend on GOMAXPROCS, so results are bit-identical for any
// number of threads. Without AVX2+FMA (or with the purego tag) it calls
// gonum's Sgemm.
func Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	if !useAVX2 {
		tA, tB := blas.NoTrans, blas.NoTrans
		if transA {
			tA = blas.Trans
		}
		if transB {
			tB = blas.Trans
		}
		gonum.Implementation{}.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	g := gemm{m: m, n: n, k: k, alpha: alpha, beta: beta, a: a, b: b, c: c, ldb: ldb, ldc: ldc, transB: transB}
	if transA {
		g.ars, g.acs = 1, lda
	} else {
		g.ars, g.acs = lda, 1
	}
	g.ms = (m + 5) / 6
	g.np = (n + 15) / 16
	s := pool.Get().(*scratch)
	defer pool.Put(s)
	if m%6 != 0 {
		s.a = grow(s.a, 6*k, true)
		g.pa = s.a
		g.packAEdge()
	}

	w := runtime.GOMAXPROCS(0)
	if m*n*k < minParallelFlops {
		w = 1
	}
	// tasks: blocks of mc/6 row slivers × groups of gp panels.
	rb := (g.ms + mc/6 - 1) / (mc / 6)
	nc := ncN
	if transB {
		nc = ncT
	}
	g.gp = min(g.np, nc)
	if w > 1 {
		want := 2 * w
		g.gp = min(g.gp, max(1, (g.np*rb+want-1)/want))
	}
	g.pgroups = (g.np + g.gp - 1) / g.gp
	nt := rb * g.pgroups
	w = min(w, nt)
	s.b = grow(s.b, w*kc*16*g.gp, false)
	g.pb = s.b
	parallel(w, nt, g.task)
}

// parallel runs f(worker, t) for t = 0..n-1 on w goroutines (the caller's
// included), worker in [0, w).
func parallel(w, n int, f func(worker, t int)) {
	if w <= 1 {
		for t := range n {
			f(0, t)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	run := func(worker int) {
		for {
			t := int(next.Add(1) - 1)
			if t >= n {
				return
			}
			f(worker, t)
		}
	}
	wg.Add(w - 1)
	for i := 1; i < w; i++ {
		go func() { defer wg.Done(); run(i) }()
	}
	run(0)
	wg.Wait()
}

// scaleC sets C = beta·C (C = 0 without reading it when beta = 0).
func scaleC(m, n int, beta float32, c []float32, ldc int) {
	for i := range m {
		row := c[i*ldc : i*ldc+n]
		switch beta {
		case 0:
			clear(row)
		case 1:
		default:
			for j := range row {
				row[j] *= beta
			}
		}
	}
}

// gemm is one Gemm call: its operands and the partition of its work.
type gemm struct {
	m, n, k     int
	alpha, beta float32
	a, b, c     []float32
	ars, acs    int // strides of op(A): element (i, p) is a[i·ars + p·acs]
	ldb, ldc    int
	transB      bool
	pb, pa      []float32 // per-worker packed B slivers / last rows of A
	ms, np      int       // row slivers of 6, panels of 16 columns
	gp, pgroups int       // panels per task, number of panel groups
}

// packB packs rows [p0, p0+kk) of panels [ps, pe) of op(B) (columns
// 16·ps to 16·pe, zero beyond column n) into dst: panel q is the kk×16
// row-major block at dst[(q-ps)·kk·16]. It writes every element.
func (g *gemm) packB(dst []float32, p0, kk, ps, pe int) {
	np := pe - ps
	dst = dst[:np*kk*16]
	j0 := ps * 16
	nr := min(np*16, g.n-j0) // columns of op(B) present
	if nr < np*16 {
		clear(dst[(np-1)*kk*16:]) // the last panel is partial
	}
	if g.transB { // op(B)[p][j] = B[j][p]: rows of B become columns
		for j := 0; j < nr; j++ {
			d := dst[(j/16)*kk*16+j%16:]
			r := g.b[(j0+j)*g.ldb+p0:][:kk]
			for p, v := range r {
				d[p*16] = v
			}
		}
		return
	}
	full := nr / 16
	for p := range kk {
		src := g.b[(p0+p)*g.ldb+j0:][:nr]
		for q := range full {
			*(*[16]float32)(dst[q*kk*16+p*16:]) = *(*[16]float32)(src[q*16:])
		}
		if full < np {
			copy(dst[full*kk*16+p*16:][:16], src[full*16:])
		}
	}
}

// packAEdge packs the last m%6 rows of op(A) into a zero-padded 6×k block
// (row-major, stride k).
func (g *gemm) packAEdge() {
	i0 := g.m - g.m%6
	for r := range g.m % 6 {
		row := g.pa[r*g.k : (r+1)*g.k]
		for p := range row {
			row[p] = g.a[(i0+r)*g.ars+p*g.acs]
		}
	}
}

// task computes the C block of row block t / pgroups and panel group
// t % pgroups over all k blocks, in increasing k, packing the kc×16
// slivers of op(B) of its panels into the worker's buffer before each block.
func (g *gemm) task(worker, t int) {
	rs := (t / g.pgroups) * (mc / 6)
	re := min(rs+mc/6, g.ms)
	ps := (t % g.pgroups) * g.gp
	pe := min(ps+g.gp, g.np)
	buf := g.pb[worker*kc*16*g.gp : (worker+1)*kc*16*g.gp]
	var tmp [96]float32
	for pc := 0; pc < g.k; pc += kc {
		kk := min(kc, g.k-pc)
		mode, beta := 1, float32(1)
		if pc == 0 {
			beta = g.beta
			switch beta {
			case 0:
				mode = 0
			case 1:
				mode = 1
			default:
				mode = 2
			}
		}
		g.packB(buf, pc, kk, ps, pe)
		for jp := ps; jp < pe; jp++ {
			j0 := jp * 16
			bp := &buf[(jp-ps)*kk*16]
			cols := min(16, g.n-j0)
			for is := rs; is < re; is++ {
				i0 := is * 6
				rows := min(6, g.m-i0)
				var ap *float32
				ars, acs := g.ars, g.acs
				if rows == 6 {
					ap = &g.a[i0*ars+pc*acs]
				} else {
					ap, ars, acs = &g.pa[pc], g.k, 1
				}
				if rows == 6 && cols == 16 {
					kern6x16(kk, ap, ars, acs, bp, 16, &g.c[i0*g.ldc+j0], g.ldc, g.alpha, beta, mode)
					continue
				}
				kern6x16(kk, ap, ars, acs, bp, 16, &tmp[0], 16, g.alpha, 0, 0)
				for r := range rows {
					crow := g.c[(i0+r)*g.ldc+j0 : (i0+r)*g.ldc+j0+cols]
					trow := tmp[r*16 : r*16+cols]
					if mode == 0 {
						copy(crow, trow)
						continue
					}
					for j, v := range trow {
						crow[j] = v + beta*crow[j]
					}
				}
			}
		}
	}
}
