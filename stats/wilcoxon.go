package stats

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Alternative is the alternative hypothesis of a test about the differences
// d = x − y.
type Alternative int

const (
	// TwoSided: d is not symmetric about 0.
	TwoSided Alternative = iota
	// Greater: d is shifted above 0 (x tends to be larger than y).
	Greater
	// Less: d is shifted below 0.
	Less
)

// ZeroMethod says how Wilcoxon treats zero differences.
type ZeroMethod int

const (
	// ZeroWilcox drops zero differences before ranking (R, SciPy default).
	ZeroWilcox ZeroMethod = iota
	// ZeroPratt ranks zero differences with the others, then drops their
	// ranks and corrects the null mean and variance (SciPy "pratt").
	ZeroPratt
)

// Method is how Wilcoxon computes the p-value.
type Method int

const (
	// Auto is Exact when fewer than 50 nonzero differences have neither ties
	// nor zeros among them, Normal otherwise (R's wilcox.test rule).
	Auto Method = iota
	// Exact enumerates the sign assignments of the observed ranks.
	Exact
	// Normal is the normal approximation with tie (and, unless
	// Options.NoContinuity, continuity) correction.
	Normal
)

// String returns "auto", "exact" or "normal".
func (m Method) String() string {
	return [...]string{"auto", "exact", "normal"}[m]
}

// MaxExact is the largest number of nonzero differences Exact accepts; its
// cost grows as n³.
const MaxExact = 400

// Options are the settings of Wilcoxon; the zero value is the two-sided test
// with zeros dropped, R's method choice and the continuity correction.
type Options struct {
	Alternative  Alternative
	Zeros        ZeroMethod
	Method       Method
	NoContinuity bool
}

// WilcoxonResult is the outcome of a Wilcoxon signed-rank test.
type WilcoxonResult struct {
	// N is the number of nonzero differences, Zeros the number of zero ones.
	N, Zeros int
	// V is W⁺, the sum of the ranks of the positive differences; VMinus is
	// W⁻, that of the negative ones.
	V, VMinus float64
	// Z is the normal approximation's statistic (NaN for Exact).
	Z float64
	// P is the p-value.
	P float64
	// Method is the method used (Exact or Normal, never Auto).
	Method Method
}

// Wilcoxon runs the Wilcoxon signed-rank test on the paired samples x and y
// (the differences x[i] − y[i]); see the package documentation for the
// statistic, the treatment of zeros and ties and the p-values.
//
// Wilcoxon panics if x and y differ in length. It returns an error if a
// value is NaN or infinite, if every difference is zero, or if Exact is
// asked for more than MaxExact nonzero differences.
func Wilcoxon(x, y []float64, o Options) (WilcoxonResult, error) {
	if len(x) != len(y) {
		panic("stats: Wilcoxon samples differ in length")
	}
	var d []float64
	zeros := 0
	for i := range x {
		di := x[i] - y[i]
		if math.IsNaN(di) || math.IsInf(di, 0) {
			return WilcoxonResult{}, fmt.Errorf("stats: Wilcoxon pair %d (%v, %v) is not finite", i, x[i], y[i])
		}
		if di == 0 {
			zeros++
			if o.Zeros == ZeroWilcox {
				continue
			}
		}
		d = append(d, di)
	}
	n := len(d)
	if o.Zeros == ZeroPratt {
		n -= zeros
	}
	if n == 0 {
		return WilcoxonResult{}, errors.New("stats: Wilcoxon needs at least one nonzero difference")
	}
	abs := make([]float64, len(d))
	for i, v := range d {
		abs[i] = math.Abs(v)
	}
	ranks, _ := ranksTies(abs)
	// The ranks of the nonzero differences and their tie groups.
	var nz []float64
	r := WilcoxonResult{N: n, Zeros: zeros}
	for i, v := range d {
		switch {
		case v > 0:
			r.V += ranks[i]
		case v < 0:
			r.VMinus += ranks[i]
		default:
			continue
		}
		nz = append(nz, ranks[i])
	}
	_, ties := ranksTies(nz)

	r.Method = o.Method
	if r.Method == Auto {
		r.Method = Normal
		if n < 50 && len(ties) == 0 && zeros == 0 {
			r.Method = Exact
		}
	}
	if r.Method == Exact {
		if n > MaxExact {
			return WilcoxonResult{}, fmt.Errorf("stats: Wilcoxon exact p-value for %d differences (at most %d); use Normal", n, MaxExact)
		}
		r.Z = math.NaN()
		r.P = exactP(nz, r.V, o.Alternative)
		return r, nil
	}

	all := float64(len(d)) // with Pratt, the zeros took the lowest ranks
	mean := all * (all + 1) / 4
	v24 := all * (all + 1) * (2*all + 1)
	if o.Zeros == ZeroPratt {
		z := float64(zeros)
		mean -= z * (z + 1) / 4
		v24 -= z * (z + 1) * (2*z + 1)
	}
	for _, t := range ties {
		tf := float64(t)
		v24 -= (tf*tf*tf - tf) / 2
	}
	sd := math.Sqrt(v24 / 24)
	c := 0.0
	if !o.NoContinuity {
		switch o.Alternative {
		case TwoSided:
			c = 0.5 * sign(r.V-mean)
		case Greater:
			c = 0.5
		case Less:
			c = -0.5
		}
	}
	if sd == 0 {
		return WilcoxonResult{}, errors.New("stats: Wilcoxon normal approximation has zero variance")
	}
	r.Z = (r.V - mean - c) / sd
	switch o.Alternative {
	case TwoSided:
		r.P = math.Min(1, 2*distuv.UnitNormal.Survival(math.Abs(r.Z)))
	case Greater:
		r.P = distuv.UnitNormal.Survival(r.Z)
	case Less:
		r.P = distuv.UnitNormal.CDF(r.Z)
	}
	return r, nil
}

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// exactP is the exact p-value of V = v given the ranks: every rank is
// positive or negative with probability 1/2, independently. Midranks are
// multiples of 1/2, so the distribution of 2V lives on the integers.
func exactP(ranks []float64, v float64, alt Alternative) float64 {
	total := 0
	r2 := make([]int, len(ranks))
	for i, r := range ranks {
		r2[i] = int(math.Round(2 * r))
		total += r2[i]
	}
	p := make([]float64, total+1) // p[s] = P(2V = s)
	p[0] = 1
	hi := 0
	for _, r := range r2 {
		for s := hi; s >= 0; s-- {
			p[s+r] += p[s] * 0.5
			p[s] *= 0.5
		}
		hi += r
	}
	v2 := int(math.Round(2 * v))
	le, ge := 0.0, 0.0
	for s, ps := range p {
		if s <= v2 {
			le += ps
		}
		if s >= v2 {
			ge += ps
		}
	}
	switch alt {
	case Greater:
		return math.Min(1, ge)
	case Less:
		return math.Min(1, le)
	}
	return math.Min(1, 2*math.Min(le, ge))
}
