package graph

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gorgonia.org/tensor"
)

// Initializer fills a fresh tensor of dtype dt (tensor.Float32 or
// tensor.Float64) and shape s, drawing all randomness from rng. Fan-in
// convention: for a weight of shape (in, out), fanIn = s[0] and fanOut = s[1];
// for a 1-D shape fanIn = fanOut = s[0]; for rank ≥ 3, both are multiplied by
// the product of s[2:]; a scalar has fanIn = fanOut = 1. Initializers panic on
// any other dtype or on a shape with a non-positive dimension.
type Initializer func(rng *rand.Rand, dt tensor.Dtype, s tensor.Shape) *tensor.Dense

// Fans returns (fanIn, fanOut) of shape s under the Initializer convention.
func Fans(s tensor.Shape) (fanIn, fanOut int) {
	switch len(s) {
	case 0:
		return 1, 1
	case 1:
		return s[0], s[0]
	}
	rec := 1
	for _, d := range s[2:] {
		rec *= d
	}
	return s[0] * rec, s[1] * rec
}

func checkInit(name string, dt tensor.Dtype, s tensor.Shape) {
	if dt != tensor.Float32 && dt != tensor.Float64 {
		panic(fmt.Sprintf("graph: %s: dtype %v not supported (want Float32 or Float64)", name, dt))
	}
	for _, d := range s {
		if d <= 0 {
			panic(fmt.Sprintf("graph: %s: bad shape %v", name, s))
		}
	}
}

// fill builds a tensor whose elements are draw() in row-major order.
func fill(dt tensor.Dtype, s tensor.Shape, draw func() float64) *tensor.Dense {
	n := s.TotalSize()
	var t *tensor.Dense
	if dt == tensor.Float32 {
		b := make([]float32, n)
		for i := range b {
			b[i] = float32(draw())
		}
		t = tensor.New(tensor.WithShape(s.Clone()...), tensor.WithBacking(b))
	} else {
		b := make([]float64, n)
		for i := range b {
			b[i] = draw()
		}
		t = tensor.New(tensor.WithShape(s.Clone()...), tensor.WithBacking(b))
	}
	return t
}

func normal(name string, variance func(fanIn, fanOut int) float64) Initializer {
	return func(rng *rand.Rand, dt tensor.Dtype, s tensor.Shape) *tensor.Dense {
		checkInit(name, dt, s)
		in, out := Fans(s)
		std := math.Sqrt(variance(in, out))
		return fill(dt, s, func() float64 { return std * rng.NormFloat64() })
	}
}

// LeCunNormal draws N(0, 1/fanIn), untruncated: the SNN initialization of
// Klambauer et al. (2017), equal to PyTorch's
// kaiming_normal_(mode="fan_in", nonlinearity="linear").
func LeCunNormal() Initializer {
	return normal("LeCunNormal", func(in, _ int) float64 { return 1 / float64(in) })
}

// HeNormal draws N(0, 2/fanIn) (He et al. 2015, "MSRA" init for ReLU nets).
func HeNormal() Initializer {
	return normal("HeNormal", func(in, _ int) float64 { return 2 / float64(in) })
}

// GlorotNormal draws N(0, 2/(fanIn+fanOut)) (Glorot & Bengio 2010).
func GlorotNormal() Initializer {
	return normal("GlorotNormal", func(in, out int) float64 { return 2 / float64(in+out) })
}

// GlorotUniform draws U(-l, l) with l = sqrt(6/(fanIn+fanOut)) (Glorot & Bengio 2010).
func GlorotUniform() Initializer {
	return func(rng *rand.Rand, dt tensor.Dtype, s tensor.Shape) *tensor.Dense {
		checkInit("GlorotUniform", dt, s)
		in, out := Fans(s)
		l := math.Sqrt(6 / float64(in+out))
		return fill(dt, s, func() float64 { return l * (2*rng.Float64() - 1) })
	}
}

// Zeros fills with 0 and draws nothing from rng.
func Zeros() Initializer { return Constant(0) }

// Constant fills with v and draws nothing from rng.
func Constant(v float64) Initializer {
	return func(_ *rand.Rand, dt tensor.Dtype, s tensor.Shape) *tensor.Dense {
		checkInit("Constant", dt, s)
		return fill(dt, s, func() float64 { return v })
	}
}
