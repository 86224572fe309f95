package selu

import (
	"math"
	"runtime"

	"github.com/selunet/selunet/internal/par"
)

// ParallelThreshold is the element count from which the kernels split their
// work across runtime.GOMAXPROCS(0) goroutines; below it they run on the
// calling goroutine (splitting costs more than it saves for small tensors).
const ParallelThreshold = 1 << 18

// chunk is the number of elements per task of a split kernel (a multiple
// of the 8 AVX2 lanes, an eighth of ParallelThreshold). Workers claim
// chunks one at a time, so the chunks of a worker that starts late (a
// helper woken from sleep, or one whose core is taken by another process)
// are done by the others; with one block per worker the caller would wait
// for the late worker's whole block.
const chunk = 1 << 15

// parallel runs f over [0, n) in chunks claimed by up to GOMAXPROCS
// workers.
func parallel(n int, f func(lo, hi int)) {
	if n < ParallelThreshold {
		f(0, n)
		return
	}
	par.For(runtime.GOMAXPROCS(0), (n+chunk-1)/chunk, func(_, t int) {
		f(t*chunk, min((t+1)*chunk, n))
	})
}

// Forward32 writes y[i] = selu(x[i]) with p's constants for float32 slices,
// using Expm1f. y and x may be the same slice. It panics if
// len(y) < len(x).
func (p Params) Forward32(y, x []float32) {
	if len(y) < len(x) {
		panic("selu: Forward32: len(y) < len(x)")
	}
	y = y[:len(x)]
	l, la := p.Lambda, p.Lambda*p.Alpha
	parallel(len(x), func(lo, hi int) { forward32(y[lo:hi], x[lo:hi], l, la) })
}

func forward32(y, x []float32, l, la float64) {
	y = y[:len(x)]
	lf := float32(l)
	if useAVX2 {
		n8 := len(x) &^ 7
		if n8 > 0 {
			forward32AVX2(y[:n8], x[:n8], lf, float32(la))
		}
		y, x = y[n8:], x[n8:]
	}
	forward32Go(y, x, lf, la)
}

// forward32Go is the portable kernel (float64 inside, within 1 ulp); the
// amd64 assembly computes the same expansion in float32 with FMA (within 2
// ulp).
func forward32Go(y, x []float32, lf float32, la float64) {
	y = y[:len(x)]
	for i, v := range x {
		if v > 0 {
			y[i] = lf * v
			continue
		}
		vd := float64(v)
		if vd < -17.5 { // expm1 rounds to -1 in float32 below -17.33
			vd = -17.5
		}
		y[i] = float32(la * expm1Red(vd))
	}
}

// Backward32 writes dx[i] = dy[i]·selu'(x[i]) from the forward output
// y = selu(x): selu'(x) = λ for y > 0 and y + λα = λα·eˣ for y ≤ 0 (so the
// derivative at x = 0 is λα, PyTorch's choice; y > 0 exactly when x > 0
// because λ > 0). No exponential is evaluated. dx may alias dy or y. It
// panics if dy or y is shorter than dx.
func (p Params) Backward32(dx, dy, y []float32) {
	if len(dy) < len(dx) || len(y) < len(dx) {
		panic("selu: Backward32: short dy or y")
	}
	l, la := float32(p.Lambda), float32(p.Lambda*p.Alpha)
	parallel(len(dx), func(lo, hi int) { backward32(dx[lo:hi], dy[lo:hi], y[lo:hi], l, la) })
}

func backward32(dx, dy, y []float32, l, la float32) {
	dy = dy[:len(dx)]
	y = y[:len(dx)]
	if useAVX2 {
		n8 := len(dx) &^ 7
		if n8 > 0 {
			backward32AVX2(dx[:n8], dy[:n8], y[:n8], l, la)
		}
		dx, dy, y = dx[n8:], dy[n8:], y[n8:]
	}
	backward32Go(dx, dy, y, l, la)
}

func backward32Go(dx, dy, y []float32, l, la float32) {
	dy = dy[:len(dx)]
	y = y[:len(dx)]
	for i := range dx {
		d := l
		if v := y[i]; !(v > 0) {
			d = v + la
		}
		dx[i] = dy[i] * d
	}
}

// Forward64 is Forward32 for float64, using math.Expm1 (accurate to 1 ulp).
func (p Params) Forward64(y, x []float64) {
	if len(y) < len(x) {
		panic("selu: Forward64: len(y) < len(x)")
	}
	y = y[:len(x)]
	l, la := p.Lambda, p.Lambda*p.Alpha
	parallel(len(x), func(lo, hi int) {
		for i, v := range x[lo:hi] {
			if v > 0 {
				y[lo+i] = l * v
			} else {
				y[lo+i] = la * math.Expm1(v)
			}
		}
	})
}

// Backward64 is Backward32 for float64.
func (p Params) Backward64(dx, dy, y []float64) {
	if len(dy) < len(dx) || len(y) < len(dx) {
		panic("selu: Backward64: short dy or y")
	}
	l, la := p.Lambda, p.Lambda*p.Alpha
	parallel(len(dx), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			d := l
			if v := y[i]; !(v > 0) {
				d = v + la
			}
			dx[i] = dy[i] * d
		}
	})
}

// Forward32 applies Default().Forward32.
func Forward32(y, x []float32) { Default().Forward32(y, x) }

// Backward32 applies Default().Backward32.
func Backward32(dx, dy, y []float32) { Default().Backward32(dx, dy, y) }

// Forward64 applies Default().Forward64.
func Forward64(y, x []float64) { Default().Forward64(y, x) }

// Backward64 applies Default().Backward64.
func Backward64(dx, dy, y []float64) { Default().Backward64(dx, dy, y) }
