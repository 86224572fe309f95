package sgemm

import (
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/selunet/selunet/internal/par"
)

const (
	// kc is the depth of one k block: a 6×kc sliver of A and the packed
	// kc×16 sliver of B (16 KiB) stay in L1 while the kernel runs.
	kc = 256
	// mc is the number of rows of one task (a multiple of 6): an mc×kc
	// block of A (144 KiB) stays in L2 while the task walks its panels.
	mc = 144
	// nc is the most panels of 16 columns one task owns; its mc×kc block
	// of op(A) is packed once per k block and reused over them.
	nc = 64
	// chunkN is how many panels of op(B) = B a task packs at once: their
	// kc×16·chunkN block is read as 4 KiB pieces of rows of B, long enough
	// for the hardware prefetcher (8 panels would give 512 B pieces, too
	// short for it, and packing them is latency-bound).
	chunkN = 64
	// chunkT is the same for op(B) = Bᵀ, whose packing reads kc contiguous
	// floats of a row of B whatever the chunk; 8 panels (128 KiB) stay in L2.
	chunkT = 8
	// minParallelFlops is the product size (m·k·n) from which Gemm splits
	// the work across goroutines.
	minParallelFlops = 1 << 20
)

// scratch holds the buffers of one Gemm call; calls reuse them through
// pool, so a steady-state call allocates nothing large.
type scratch struct {
	b []float32 // per worker, chunk packed kc×16 slivers of op(B)
	a []float32 // per worker, a packed mc×kc block of op(A)
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

	w := runtime.GOMAXPROCS(0)
	if m*n*k < minParallelFlops {
		w = 1
	}
	// Tasks: groups of rpt row blocks (of mc/6 slivers) × groups of gp
	// panels. A task packs its panels of op(B) once per k block, so
	// splitting rows repeats the packing of op(B) and splitting panels
	// repeats that of op(A): split the longer side.
	rb := (g.ms + mc/6 - 1) / (mc / 6)
	g.gp, g.rpt = min(g.np, nc), rb
	if w > 1 {
		want := 2 * w
		if m >= n && rb >= want {
			g.rpt = (rb + want - 1) / want
		} else {
			g.gp = min(g.gp, max(1, (g.np+want-1)/want))
			if pg := (g.np + g.gp - 1) / g.gp; pg < want {
				rg := (want + pg - 1) / pg
				g.rpt = max(1, (rb+rg-1)/rg)
			}
		}
	}
	g.pgroups = (g.np + g.gp - 1) / g.gp
	nt := (rb + g.rpt - 1) / g.rpt * g.pgroups
	w = min(w, nt)
	g.chunk = g.gp // op(B) packed once for all row blocks
	if g.rpt == 1 {
		// One row block: pack op(B) a chunk at a time, between kernels.
		g.chunk = chunkN
		if transB {
			g.chunk = chunkT
		}
		g.chunk = min(g.chunk, g.gp)
	}
	s.b = grow(s.b, w*kc*16*g.chunk, false)
	g.pb = s.b
	s.a = grow(s.a, w*mc*kc, false)
	g.pa = s.a
	par.For(w, nt, g.task)
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
	pb, pa      []float32 // per-worker packed blocks of op(B) and op(A)
	ms, np      int       // row slivers of 6, panels of 16 columns
	gp, pgroups int       // panels per task, number of panel groups
	rpt         int       // row blocks (of mc/6 slivers) per task
	chunk       int       // panels of op(B) packed at once
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
	full := nr / 16 // complete panels
	if g.transB {   // op(B)[p][j] = B[j][p]: rows of B become columns
		kk8 := kk / 8 * 8
		for q := range full {
			for h := 0; h < 16 && kk8 > 0; h += 8 {
				packTrans8(&dst[q*kk*16+h], &g.b[(j0+q*16+h)*g.ldb+p0], g.ldb, kk8/8)
			}
		}
		for j := 0; j < nr; j++ {
			p := kk8 // the kk%8 rows the assembly left
			if j >= full*16 {
				p = 0 // the partial panel, all rows
			}
			d := dst[(j/16)*kk*16+j%16:]
			for r := g.b[(j0+j)*g.ldb+p0:][p:kk]; len(r) > 0; r = r[1:] {
				d[p*16] = r[0]
				p++
			}
		}
		return
	}
	p := 0
	if full > 0 {
		for ; p+4 <= kk; p += 4 {
			packRows4(&dst[p*16], &g.b[(p0+p)*g.ldb+j0], g.ldb, full, kk*16)
		}
	}
	for ; p < kk; p++ {
		src := g.b[(p0+p)*g.ldb+j0:][:full*16]
		for q := range full {
			copy(dst[q*kk*16+p*16:][:16], src[q*16:])
		}
	}
	if full < np {
		for p := range kk {
			copy(dst[full*kk*16+p*16:][:16], g.b[(p0+p)*g.ldb+j0+full*16:][:nr-full*16])
		}
	}
}

// packA packs rows [i0, i0+rows) and columns [p0, p0+kk) of op(A) into
// dst as slivers of 6 rows: sliver s is the kk×6 block at dst[s·kk·6] with
// element (r, p) at p·6 + r, rows beyond m zero. It writes every element.
func (g *gemm) packA(dst []float32, i0, rows, p0, kk int) {
	ns := (rows + 5) / 6
	dst = dst[:ns*kk*6]
	if rows%6 != 0 {
		clear(dst[(ns-1)*kk*6:])
	}
	if g.ars == 1 { // op(A) = Aᵀ: row p of A holds column p of op(A)
		for p := range kk {
			src := g.a[(p0+p)*g.acs+i0:][:rows]
			for s := 0; s < rows/6; s++ {
				d := dst[s*kk*6+p*6:][:6]
				r := src[s*6:][:6]
				d[0], d[1], d[2], d[3], d[4], d[5] = r[0], r[1], r[2], r[3], r[4], r[5]
			}
			for i := rows / 6 * 6; i < rows; i++ {
				dst[(i/6)*kk*6+p*6+i%6] = src[i]
			}
		}
		return
	}
	for i := range rows {
		src := g.a[(i0+i)*g.ars+p0:][:kk]
		d := dst[(i/6)*kk*6+i%6:]
		for p, v := range src {
			d[p*6] = v
		}
	}
}

// task computes the C block of row group t / pgroups and panel group
// t % pgroups over all k blocks, in increasing k. For each k block it packs
// the panels of op(B) (all at once, or a chunk at a time when the task has
// one row block), packs each row block of op(A) (unless the kernel can read
// op(A) in place) and runs the kernel over every 6×16 tile.
func (g *gemm) task(worker, t int) {
	rb0 := (t / g.pgroups) * g.rpt
	rb1 := min(rb0+g.rpt, (g.ms+mc/6-1)/(mc/6))
	ps := (t % g.pgroups) * g.gp
	pe := min(ps+g.gp, g.np)
	buf := g.pb[worker*kc*16*g.chunk : (worker+1)*kc*16*g.chunk]
	abuf := g.pa[worker*mc*kc : (worker+1)*mc*kc]
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
		for r := rb0; r < rb1; r++ {
			rs := r * (mc / 6)
			re := min(rs+mc/6, g.ms)
			if g.acs != 1 {
				g.packA(abuf, rs*6, min(re*6, g.m)-rs*6, pc, kk)
			} else if g.m%6 != 0 && re == g.ms {
				// op(A) = A is read in place, except a last, short sliver.
				g.packA(abuf[(re-1-rs)*kk*6:], (re-1)*6, g.m-(re-1)*6, pc, kk)
			}
			for jp := ps; jp < pe; jp++ {
				cs := ps + (jp-ps)/g.chunk*g.chunk
				// (With several row blocks the chunk is every panel of
				// the task, packed for the first and kept for the rest.)
				if jp == cs && r == rb0 {
					g.packB(buf, pc, kk, cs, min(cs+g.chunk, pe))
				}
				g.panel(jp, &buf[(jp-cs)*kk*16], abuf, rs, re, pc, kk, beta, mode)
			}
		}
	}
}

// panel runs the kernel over the slivers [rs, re) of panel jp for the k
// block [pc, pc+kk): bp is the packed kk×16 panel and abuf the packed row
// block (used where op(A) cannot be read in place).
func (g *gemm) panel(jp int, bp *float32, abuf []float32, rs, re, pc, kk int, beta float32, mode int) {
	j0 := jp * 16
	cols := min(16, g.n-j0)
	var tmp [96]float32
	for is := rs; is < re; is++ {
		i0 := is * 6
		rows := min(6, g.m-i0)
		ap, ars, acs := &abuf[(is-rs)*kk*6], 1, 6
		if rows == 6 && g.acs == 1 {
			// Six rows of A read in place: each row walks forward, and
			// the prefetcher follows it.
			ap, ars, acs = &g.a[i0*g.ars+pc], g.ars, 1
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
