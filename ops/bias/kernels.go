// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

package bias

import (
	"runtime"

	"github.com/selunet/selunet/internal/par"
)

// ParallelThreshold is the element count from which the kernels split their
// work across runtime.GOMAXPROCS(0) goroutines; smaller tensors run on the
// calling goroutine.
const ParallelThreshold = 1 << 18

type float interface{ ~float32 | ~float64 }

// split runs f over [0, n) in contiguous ranges, one per worker, when size
// (the total element count) reaches ParallelThreshold. Each index is handled
// by exactly one call, so the work per index does not depend on the split.
func split(n, size int, f func(lo, hi int)) {
	if size < ParallelThreshold {
		f(0, n)
		return
	}
	par.Blocks(min(runtime.GOMAXPROCS(0), size/(ParallelThreshold/4)), n, 1, f)
}

// addRows writes y[i·m+j] = x[i·m+j] + b[j] for the n = len(x)/m rows;
// y may be x.
func addRows[T float](y, x, b []T) {
	m := len(b)
	n := len(x) / m
	split(n, len(x), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			xr := x[i*m : i*m+m : i*m+m]
			yr := y[i*m : i*m+m : i*m+m]
			xr, yr = xr[:len(b)], yr[:len(b)]
			j := 0
			for ; j+3 < len(b); j += 4 {
				x4, y4, b4 := xr[j:j+4:j+4], yr[j:j+4:j+4], b[j:j+4:j+4]
				y4[0] = x4[0] + b4[0]
				y4[1] = x4[1] + b4[1]
				y4[2] = x4[2] + b4[2]
				y4[3] = x4[3] + b4[3]
			}
			for ; j < len(b); j++ {
				yr[j] = xr[j] + b[j]
			}
		}
	})
}

// colSums writes db[j] = Σᵢ dy[i·m+j] (i in increasing order) for m = len(db).
// db must not alias dy unless dy has one row.
func colSums[T float](db, dy []T) {
	m := len(db)
	n := len(dy) / m
	// Columns are split in blocks of 16 so workers do not share cache lines.
	blocks := (m + 15) / 16
	split(blocks, len(dy), func(lo, hi int) {
		lo, hi = lo*16, min(hi*16, m)
		d := db[lo:hi]
		copy(d, dy[lo:hi])
		i := 1
		// Four rows per pass: d[j] is loaded and stored once, and the
		// additions keep the row order ((d + r₁) + r₂) + … exactly.
		for ; i+3 < n; i += 4 {
			r0 := dy[i*m+lo : i*m+hi]
			r1 := dy[(i+1)*m+lo : (i+1)*m+hi]
			r2 := dy[(i+2)*m+lo : (i+2)*m+hi]
			r3 := dy[(i+3)*m+lo : (i+3)*m+hi]
			r0, r1, r2, r3 = r0[:len(d)], r1[:len(d)], r2[:len(d)], r3[:len(d)]
			for j := range d {
				d[j] = d[j] + r0[j] + r1[j] + r2[j] + r3[j]
			}
		}
		for ; i < n; i++ {
			r := dy[i*m+lo : i*m+hi]
			r = r[:len(d)]
			for j := range d {
				d[j] += r[j]
			}
		}
	})
}

// accumulate adds src into dst elementwise (len(src) ≥ len(dst)).
func accumulate[T float](dst, src []T) {
	src = src[:len(dst)]
	for i := range dst {
		dst[i] += src[i]
	}
}
