package selu

import (
	"github.com/selunet/selunet/ops/kit"
	"gorgonia.org/gorgonia"
)

// Apply returns selu(x) with the paper's constants (Alpha, Lambda); see
// ApplyParams.
func Apply(x *gorgonia.Node) (*gorgonia.Node, error) { return ApplyParams(x, Default()) }

// ApplyParams returns a node computing p's SELU elementwise on x, a float32 or
// float64 scalar or tensor of any shape; the output has x's type and shape.
// It returns an error if x is nil, x's dtype is not Float32/Float64, or p is
// invalid (see Params.Validate). Two ApplyParams calls with equal p on the
// same x yield the same node (SELU is a pure function).
func ApplyParams(x *gorgonia.Node, p Params) (*gorgonia.Node, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p.Unary().Apply(x)
}

// gpu holds SELU's GPU kernels: empty here, filled in by files built with
// the cuda tag (see package ops/kit, "GPU kernels").
var gpu kit.GPU

// Unary returns SELU with p's constants as a kit op: the forward and
// backward kernels of this package, the derivative read from the output
// (selu'(x) = λ for y > 0, y + λα for y ≤ 0), named "selu" for the
// paper's constants and p.String() otherwise. p must be valid.
func (p Params) Unary() *kit.Unary {
	name := "selu"
	if p != Default() {
		name = p.String()
	}
	l, la := p.Lambda, p.Lambda*p.Alpha
	return &kit.Unary{
		Name:   name,
		Consts: []float64{p.Lambda, p.Alpha},
		F:      p.scalar,
		DF: func(y float64) float64 {
			if y > 0 {
				return l
			}
			return y + la
		},
		Deriv:      kit.FromOutput,
		Forward32:  p.Forward32,
		Forward64:  p.Forward64,
		Backward32: p.Backward32,
		Backward64: p.Backward64,
		GPU:        gpu,
	}
}

// scalar is the float64 reference SELU of one value.
func (p Params) scalar(x float64) float64 {
	y := []float64{0}
	p.Forward64(y, []float64{x})
	return y[0]
}
