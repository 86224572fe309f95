package losses

import "math"

type float interface{ ~float32 | ~float64 }

// softplusTerm returns max(z,0) − z·y + log1p(exp(−|z|)), the binary cross
// entropy of logit z against target y, without overflow for any finite z.
func softplusTerm(z, y float64) float64 {
	return math.Max(z, 0) - z*y + math.Log1p(math.Exp(-math.Abs(z)))
}

// sigmoid is the logistic function, computed without overflow.
func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// bceForward returns Σ m·ℓ(z, y) and the denominator max(Σm, 1) (N when m
// is nil). Entries with m == 0 are skipped entirely.
func bceForward[T float](z, y, m []T) (sum, den float64) {
	y = y[:len(z)]
	if m == nil {
		for i := range z {
			sum += softplusTerm(float64(z[i]), float64(y[i]))
		}
		return sum, math.Max(float64(len(z)), 1)
	}
	m = m[:len(z)]
	for i := range z {
		if m[i] == 0 {
			continue
		}
		mi := float64(m[i])
		sum += mi * softplusTerm(float64(z[i]), float64(y[i]))
		den += mi
	}
	return sum, math.Max(den, 1)
}

// bceDen returns max(Σm, 1), or max(n, 1) when m is nil.
func bceDen[T float](m []T, n int) float64 {
	if m == nil {
		return math.Max(float64(n), 1)
	}
	var den float64
	for _, v := range m {
		den += float64(v)
	}
	return math.Max(den, 1)
}

// bceBackward writes (or adds, if add) m·(σ(z) − y)·scale into out. It is
// safe when out aliases z, y or m: each element reads its inputs before it
// writes.
func bceBackward[T float](out, z, y, m []T, scale float64, add bool) {
	y = y[:len(z)]
	out = out[:len(z)]
	if m != nil {
		m = m[:len(z)]
	}
	for i := range z {
		var d float64
		if m == nil {
			d = (sigmoid(float64(z[i])) - float64(y[i])) * scale
		} else if m[i] != 0 {
			d = float64(m[i]) * (sigmoid(float64(z[i])) - float64(y[i])) * scale
		}
		if add {
			out[i] += T(d)
		} else {
			out[i] = T(d)
		}
	}
}

// rowLSE returns max(z) + log Σ exp(z − max(z)).
func rowLSE[T float](z []T) float64 {
	mx := math.Inf(-1)
	for _, v := range z {
		mx = math.Max(mx, float64(v))
	}
	if math.IsInf(mx, 0) {
		return mx
	}
	var s float64
	for _, v := range z {
		s += math.Exp(float64(v) - mx)
	}
	return mx + math.Log(s)
}

// sceForward returns Σ_i w_i·(lse(z_i)·Σ_c y_ic − Σ_c y_ic·z_ic) over the
// rows of the n×c matrices z and y, and the denominator max(Σw, 1) (n when
// w is nil). Rows with w_i == 0 are skipped.
func sceForward[T float](z, y, w []T, n, c int) (sum, den float64) {
	for i := range n {
		wi := 1.0
		if w != nil {
			if w[i] == 0 {
				continue
			}
			wi = float64(w[i])
			den += wi
		}
		zr, yr := z[i*c:(i+1)*c], y[i*c:(i+1)*c]
		lse := rowLSE(zr)
		var l float64
		for k := range zr {
			if yr[k] != 0 {
				l += float64(yr[k]) * (lse - float64(zr[k]))
			}
		}
		sum += wi * l
	}
	if w == nil {
		den = float64(n)
	}
	return sum, math.Max(den, 1)
}

// sceBackward writes (or adds) w_i·(softmax(z_i)·Σ_c y_ic − y_i)·scale into
// out. Safe when out aliases z or y.
func sceBackward[T float](out, z, y, w []T, n, c int, scale float64, add bool) {
	for i := range n {
		zr, yr, or := z[i*c:(i+1)*c], y[i*c:(i+1)*c], out[i*c:(i+1)*c]
		wi := 1.0
		if w != nil {
			wi = float64(w[i])
		}
		if wi == 0 {
			if !add {
				for k := range or {
					or[k] = 0
				}
			}
			continue
		}
		lse := rowLSE(zr)
		var sy float64
		for _, v := range yr {
			sy += float64(v)
		}
		f := wi * scale
		for k := range zr {
			d := (math.Exp(float64(zr[k])-lse)*sy - float64(yr[k])) * f
			if add {
				or[k] += T(d)
			} else {
				or[k] = T(d)
			}
		}
	}
}
