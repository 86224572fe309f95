package selu

import "math"

const (
	log2e = 1.4426950408889634 // 1/ln 2
	ln2   = 0.6931471805599453
	round = 0x1.8p52 // adding and subtracting it rounds a float64 to an integer
)

// Expm1f returns eˣ − 1 for float32 x, faster than math.Expm1 and accurate to
// within 1 ulp of the correctly rounded result (the package tests sweep
// [−20, 10] against math.Expm1). It computes in float64: x = k·ln2 + r with
// |r| ≤ ln2/2, expm1(r) by a degree-9 Taylor polynomial (truncation error
// below 2e-11 relative), and eˣ − 1 = 2ᵏ·expm1(r) + (2ᵏ − 1). It returns −1
// for x < −17.5 (where the float32 result is −1), +Inf for x > 88.8, and NaN
// for NaN.
func Expm1f(x float32) float32 {
	xd := float64(x)
	if xd < -17.5 {
		return -1
	}
	if xd > 88.8 {
		return float32(math.Inf(1))
	}
	return float32(expm1Red(xd))
}

// expm1Red is expm1 for xd in [−17.5, 88.8] (or NaN).
func expm1Red(xd float64) float64 {
	kf := (xd*log2e + round) - round
	r := xd - kf*ln2
	p := r * (1 + r*(1.0/2+r*(1.0/6+r*(1.0/24+r*(1.0/120+r*(1.0/720+r*(1.0/5040+r*(1.0/40320+r*(1.0/362880)))))))))
	if kf == 0 {
		return p
	}
	s := math.Float64frombits(uint64(int64(kf)+1023) << 52)
	return s*p + (s - 1)
}
