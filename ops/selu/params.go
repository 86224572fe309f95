package selu

import (
	"fmt"
	"math"
)

// Alpha and Lambda are α01 and λ01, the SELU constants for the fixed point
// (mean, variance) = (0, 1), Klambauer et al. (2017) Eq. 14, at full float64
// precision (nearest float64 of the 40-digit values).
const (
	Alpha  = 1.6732632423543772
	Lambda = 1.0507009873554805
	// Scale is Lambda under PyTorch's and Keras' name.
	Scale = Lambda
)

// AlphaPrime is α' = −λ01·α01 ≈ −1.7580993408473768, the limit of selu(x) for
// x → −∞ and the value alpha dropout assigns to dropped units.
var AlphaPrime = -Lambda * Alpha

// Params holds the two SELU constants: selu(x) = Lambda·x for x > 0 and
// Lambda·Alpha·(eˣ − 1) for x ≤ 0. The zero value is invalid; use Default or
// Solve. Valid parameters have finite Lambda > 0 and finite Alpha ≥ 0.
type Params struct {
	Lambda float64 `json:"lambda" yaml:"lambda"`
	Alpha  float64 `json:"alpha" yaml:"alpha"`
}

// Default returns the paper's constants {Lambda, Alpha} (fixed point (0, 1)).
func Default() Params { return Params{Lambda: Lambda, Alpha: Alpha} }

// Validate returns an error unless Lambda is finite and positive and Alpha is
// finite and non-negative.
func (p Params) Validate() error {
	if !(p.Lambda > 0) || math.IsInf(p.Lambda, 0) {
		return fmt.Errorf("selu: lambda %v must be finite and > 0", p.Lambda)
	}
	if !(p.Alpha >= 0) || math.IsInf(p.Alpha, 0) {
		return fmt.Errorf("selu: alpha %v must be finite and >= 0", p.Alpha)
	}
	return nil
}

// String formats p as "selu(λ=…, α=…)" with full precision.
func (p Params) String() string {
	return fmt.Sprintf("selu(λ=%v, α=%v)", p.Lambda, p.Alpha)
}

// moments returns A, B, C, D with E[selu(z)] = λ(A + αB) and
// E[selu(z)²] = λ²(C + α²D) for z ~ N(mu, tau); closed forms from the
// reference notebook getSELUparameters.ipynb (bioinf-jku/SNNs).
func moments(mu, tau float64) (a, b, c, d float64) {
	s := math.Sqrt(2 * tau)
	erf := math.Erf(mu / s)
	erfc := math.Erfc(mu / s)
	g := math.Exp(-mu*mu/(2*tau)) * math.Sqrt(2/math.Pi) * math.Sqrt(tau)
	e1 := math.Exp(mu+tau/2) * math.Erfc((mu+tau)/s)
	e2 := math.Exp(2*(mu+tau)) * math.Erfc((mu+2*tau)/s)
	a = 0.5 * (mu + g + mu*erf)
	b = 0.5 * (-erfc + e1)
	c = 0.5 * (g*mu + (mu*mu+tau)*(1+erf))
	d = 0.5 * (erfc - 2*e1 + e2)
	return
}

// Solve returns the SELU parameters for which (mean, variance) is a fixed
// point: for z ~ N(mean, variance), E[selu(z)] = mean and Var[selu(z)] =
// variance (the equations of the reference notebook getSELUparameters.ipynb,
// paper Appendix A5). Solve(0, 1) gives Default() to within 1 ulp, Solve(0, 2)
// gives α02 ≈ 1.97126, λ02 ≈ 1.06071.
//
// For mean = 0 the solution is closed form (α = −A/B); otherwise the two
// equations reduce to a quadratic in α whose root nearest the mean = 0
// solution is taken, followed by Newton polishing. It returns an error if
// variance is not finite and positive, mean is not finite, or no solution
// with Lambda > 0 and Alpha ≥ 0 exists.
func Solve(mean, variance float64) (Params, error) {
	if !(variance > 0) || math.IsInf(variance, 0) || math.IsNaN(mean) || math.IsInf(mean, 0) {
		return Params{}, fmt.Errorf("selu: Solve(%v, %v): need finite mean and finite variance > 0", mean, variance)
	}
	a, b, c, d := moments(mean, variance)
	var p Params
	if mean == 0 {
		p.Alpha = -a / b
		p.Lambda = math.Sqrt(variance / (c + p.Alpha*p.Alpha*d))
	} else {
		// ν²(C + α²D) = (τ + ν²)(A + αB)²
		m2 := mean * mean
		k := variance + m2
		qa := d*m2 - k*b*b
		qb := -2 * k * a * b
		qc := c*m2 - k*a*a
		disc := qb*qb - 4*qa*qc
		if disc < 0 {
			return Params{}, fmt.Errorf("selu: Solve(%v, %v): no real solution", mean, variance)
		}
		a0, _, _, _ := moments(0, variance)
		_, b0, _, _ := moments(0, variance)
		ref := -a0 / b0
		sq := math.Sqrt(disc)
		best := math.NaN()
		for _, r := range []float64{(-qb + sq) / (2 * qa), (-qb - sq) / (2 * qa)} {
			lam := mean / (a + r*b)
			if r >= 0 && lam > 0 && (math.IsNaN(best) || math.Abs(r-ref) < math.Abs(best-ref)) {
				best = r
			}
		}
		if math.IsNaN(best) {
			return Params{}, fmt.Errorf("selu: Solve(%v, %v): no solution with lambda > 0 and alpha >= 0", mean, variance)
		}
		p.Alpha = best
		p.Lambda = mean / (a + best*b)
		p = polish(p, a, b, c, d, mean, variance)
	}
	if err := p.Validate(); err != nil {
		return Params{}, fmt.Errorf("selu: Solve(%v, %v): %w", mean, variance, err)
	}
	return p, nil
}

// polish applies Newton steps to F(λ, α) = (λ(A+αB) − ν, λ²(C+α²D) − λ²(A+αB)² − τ).
func polish(p Params, a, b, c, d, mu, tau float64) Params {
	for it := 0; it < 4; it++ {
		l, al := p.Lambda, p.Alpha
		m := a + al*b
		s := c + al*al*d - m*m
		f1 := l*m - mu
		f2 := l*l*s - tau
		// Jacobian
		j11, j12 := m, l*b
		j21, j22 := 2*l*s, l*l*(2*al*d-2*m*b)
		det := j11*j22 - j12*j21
		if det == 0 {
			break
		}
		dl := (f1*j22 - f2*j12) / det
		da := (j11*f2 - j21*f1) / det
		p.Lambda -= dl
		p.Alpha -= da
	}
	return p
}
