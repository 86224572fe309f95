// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

package kit

import (
	"fmt"
	"math"
)

// CheckKernels compares u's slice kernels with its math at the points x:
// Forward32 and Forward64 against F, Backward32 and Backward64 (with
// dy = 1) against DF at x or F(x) as Deriv says. A kernel value passes when
// it is within tol32 (float32 kernels) or tol64 (float64 kernels) of the
// math, relative to max(1, |math|); NaN matches NaN. Kernels that are nil
// are skipped (the kit derives them from F and DF), and so is everything
// when F or DF is nil. It returns nil or an error naming the first
// mismatch: the check of hand-written kernels that goes with the gradient
// check of the op (graph/gradcheck, which runs in float64).
func (u *Unary) CheckKernels(x []float64, tol32, tol64 float64) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.F == nil || u.DF == nil {
		return nil
	}
	n := len(x)
	wantY, wantD := make([]float64, n), make([]float64, n)
	x32, ones32, ones64 := make([]float32, n), make([]float32, n), make([]float64, n)
	for i, v := range x {
		wantY[i] = u.F(v)
		at := v
		if u.Deriv == FromOutput {
			at = wantY[i]
		}
		wantD[i] = u.DF(at)
		x32[i], ones32[i], ones64[i] = float32(v), 1, 1
	}
	check := func(kernel string, got []float64, want []float64, tol float64) error {
		for i, w := range want {
			g := got[i]
			if math.IsNaN(w) && math.IsNaN(g) {
				continue
			}
			if !(math.Abs(g-w) <= tol*math.Max(1, math.Abs(w))) {
				return fmt.Errorf("kit: %s: %s(%v) = %v, the math gives %v", u.Name, kernel, x[i], g, w)
			}
		}
		return nil
	}
	widen := func(s []float32) []float64 {
		out := make([]float64, len(s))
		for i, v := range s {
			out[i] = float64(v)
		}
		return out
	}
	if u.Forward32 != nil {
		y := make([]float32, n)
		u.Forward32(y, x32)
		if err := check("Forward32", widen(y), wantY, tol32); err != nil {
			return err
		}
	}
	if u.Forward64 != nil {
		y := make([]float64, n)
		u.Forward64(y, x)
		if err := check("Forward64", y, wantY, tol64); err != nil {
			return err
		}
	}
	v32, v64 := x32, x
	if u.Deriv == FromOutput {
		v32, v64 = make([]float32, n), wantY
		for i, y := range wantY {
			v32[i] = float32(y)
		}
	}
	if u.Backward32 != nil {
		d := make([]float32, n)
		u.Backward32(d, ones32, v32)
		if err := check("Backward32", widen(d), wantD, tol32); err != nil {
			return err
		}
	}
	if u.Backward64 != nil {
		d := make([]float64, n)
		u.Backward64(d, ones64, v64)
		if err := check("Backward64", d, wantD, tol64); err != nil {
			return err
		}
	}
	return nil
}
