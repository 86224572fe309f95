package solvers

import (
	"math"

	"gonum.org/v1/gonum/blas/gonum"
)

// float is the element type of the fused kernels.
type float interface{ ~float32 | ~float64 }

// hyper holds the per-step constants of a kernel, converted to the element
// type once per Step.
type hyper[T float] struct {
	lr, l2, clipV, scale, decay, mom T
	b1, omb1, b2, omb2, eps          T
	stepSize, invSqrtBC2             T
	rho, omRho                       T

	hasL2, hasClipV, hasScale, hasDecay, hasMom, nesterov bool

	zeroG bool // write 0 into each gradient element after using it
}

// plain reports whether no gradient preprocessing or decay is needed, so
// the kernels can run their tight loop.
func (h *hyper[T]) plain() bool {
	return !h.hasClipV && !h.hasScale && !h.hasL2 && !h.hasDecay
}

// prep applies value clipping, norm scaling and coupled L2 to one gradient
// element.
func (h *hyper[T]) prep(g, w T) T {
	if h.hasClipV {
		if g > h.clipV {
			g = h.clipV
		} else if g < -h.clipV {
			g = -h.clipV
		}
	}
	if h.hasScale {
		g *= h.scale
	}
	if h.hasL2 {
		g += h.l2 * w
	}
	return g
}

// axpy sets w += alpha·g with gonum's assembly Saxpy or Daxpy (unit
// strides), the plain SGD update without momentum.
func axpy[T float](alpha T, g, w []T) {
	switch ws := any(w).(type) {
	case []float32:
		gonum.Implementation{}.Saxpy(len(ws), float32(alpha), any(g).([]float32), 1, ws, 1)
	case []float64:
		gonum.Implementation{}.Daxpy(len(ws), float64(alpha), any(g).([]float64), 1, ws, 1)
	default: // a named float type
		for i, gi := range g {
			w[i] += alpha * gi
		}
	}
}

// sgdKernel is one fused pass of SGD (optionally with momentum buffer b,
// which is nil without momentum). It zeroes g if h.zeroG.
func sgdKernel[T float](w, g, b []T, h *hyper[T]) {
	zero := h.zeroG
	g = g[:len(w)]
	if h.plain() && !h.nesterov {
		lr, mom := h.lr, h.mom
		if !h.hasMom {
			if !zero {
				axpy(-lr, g, w)
				return
			}
			for i, gi := range g {
				w[i] -= lr * gi
				if zero {
					g[i] = 0
				}
			}
			return
		}
		b = b[:len(w)]
		for i, gi := range g {
			bi := mom*b[i] + gi
			b[i] = bi
			w[i] -= lr * bi
			if zero {
				g[i] = 0
			}
		}
		return
	}
	if h.hasMom {
		b = b[:len(w)]
		for i := range w {
			wi := w[i]
			gi := h.prep(g[i], wi)
			if h.hasDecay {
				wi *= h.decay
			}
			bi := h.mom*b[i] + gi
			b[i] = bi
			if h.nesterov {
				gi += h.mom * bi
			} else {
				gi = bi
			}
			w[i] = wi - h.lr*gi
			if zero {
				g[i] = 0
			}
		}
		return
	}
	for i := range w {
		wi := w[i]
		gi := h.prep(g[i], wi)
		if h.hasDecay {
			wi *= h.decay
		}
		w[i] = wi - h.lr*gi
		if zero {
			g[i] = 0
		}
	}
}

// adamKernel is one fused pass of Adam/AdamW with first moment m and second
// moment v. It zeroes g if h.zeroG.
func adamKernel[T float](w, g, m, v []T, h *hyper[T]) {
	zero := h.zeroG
	g = g[:len(w)]
	m = m[:len(w)]
	v = v[:len(w)]
	if h.plain() || (!h.hasClipV && !h.hasScale && !h.hasL2) {
		// AdamW without gradient preprocessing: decay is 1 when hasDecay
		// is false, and w·1 is exact.
		b1, omb1, b2, omb2, eps, step, ibc2, decay := h.b1, h.omb1, h.b2, h.omb2, h.eps, h.stepSize, h.invSqrtBC2, h.decay
		if !h.hasDecay {
			decay = 1
		}
		for i, gi := range g {
			mi := b1*m[i] + omb1*gi
			vi := b2*v[i] + omb2*gi*gi
			m[i] = mi
			v[i] = vi
			w[i] = w[i]*decay - step*mi/(T(math.Sqrt(float64(vi)))*ibc2+eps)
			if zero {
				g[i] = 0
			}
		}
		return
	}
	for i := range w {
		wi := w[i]
		gi := h.prep(g[i], wi)
		if h.hasDecay {
			wi *= h.decay
		}
		mi := h.b1*m[i] + h.omb1*gi
		vi := h.b2*v[i] + h.omb2*gi*gi
		m[i] = mi
		v[i] = vi
		denom := T(math.Sqrt(float64(vi)))*h.invSqrtBC2 + h.eps
		w[i] = wi - h.stepSize*mi/denom
		if zero {
			g[i] = 0
		}
	}
}

// rmspropKernel is one fused pass of RMSProp with square average v and
// momentum buffer b (nil without momentum). It zeroes g if h.zeroG.
func rmspropKernel[T float](w, g, v, b []T, h *hyper[T]) {
	zero := h.zeroG
	g = g[:len(w)]
	v = v[:len(w)]
	if h.hasMom {
		b = b[:len(w)]
	}
	for i := range w {
		wi := w[i]
		gi := h.prep(g[i], wi)
		if h.hasDecay {
			wi *= h.decay
		}
		vi := h.rho*v[i] + h.omRho*gi*gi
		v[i] = vi
		d := gi / (T(math.Sqrt(float64(vi))) + h.eps)
		if h.hasMom {
			bi := h.mom*b[i] + d
			b[i] = bi
			d = bi
		}
		w[i] = wi - h.lr*d
		if zero {
			g[i] = 0
		}
	}
}

// sumSq returns Σ clamp(g)² in float64, clamping to [−c, c] when clip.
func sumSq[T float](g []T, c T, clip bool) float64 {
	var s0, s1 float64
	i := 0
	for ; i+1 < len(g); i += 2 {
		a, b := g[i], g[i+1]
		if clip {
			a = max(min(a, c), -c)
			b = max(min(b, c), -c)
		}
		s0 += float64(a) * float64(a)
		s1 += float64(b) * float64(b)
	}
	if i < len(g) {
		a := g[i]
		if clip {
			a = max(min(a, c), -c)
		}
		s0 += float64(a) * float64(a)
	}
	return s0 + s1
}
