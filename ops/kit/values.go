// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

package kit

import (
	"fmt"
	"hash"
	"hash/fnv"
	"runtime"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selunet/selunet/internal/par"
)

// ParallelThreshold is the slice length from which the default kernels
// (F or DF run elementwise) split their loop across runtime.GOMAXPROCS(0)
// goroutines.
const ParallelThreshold = 1 << 15

// forward computes F on a scalar or dense tensor into out (reused if it
// fits, else a new value).
func (u *Unary) forward(out, x gorgonia.Value) (gorgonia.Value, error) {
	switch v := x.(type) {
	case *gorgonia.F32:
		y := []float32{float32(*v)}
		u.forward32(y, y)
		return gorgonia.NewF32(y[0]), nil
	case *gorgonia.F64:
		y := []float64{float64(*v)}
		u.forward64(y, y)
		return gorgonia.NewF64(y[0]), nil
	case *tensor.Dense:
		xv, o, err := Prepare(out, v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", u.Name, err)
		}
		switch v.Dtype() {
		case tensor.Float32:
			u.forward32(o.Float32s(), xv.Float32s())
		case tensor.Float64:
			u.forward64(o.Float64s(), xv.Float64s())
		default:
			return nil, fmt.Errorf("%s: unsupported dtype %v", u.Name, v.Dtype())
		}
		return o, nil
	}
	return nil, fmt.Errorf("%s: unsupported value %T", u.Name, x)
}

// backward computes dx = dy·DF(v) into out (reused if it fits).
func (u *Unary) backward(out, v, dy gorgonia.Value) (gorgonia.Value, error) {
	switch a := v.(type) {
	case *gorgonia.F32:
		g, ok := dy.(*gorgonia.F32)
		if !ok {
			return nil, fmt.Errorf("%sGrad: dy is %T, want *F32", u.Name, dy)
		}
		d := []float32{float32(*g)}
		u.backward32(d, d, []float32{float32(*a)})
		return gorgonia.NewF32(d[0]), nil
	case *gorgonia.F64:
		g, ok := dy.(*gorgonia.F64)
		if !ok {
			return nil, fmt.Errorf("%sGrad: dy is %T, want *F64", u.Name, dy)
		}
		d := []float64{float64(*g)}
		u.backward64(d, d, []float64{float64(*a)})
		return gorgonia.NewF64(d[0]), nil
	case *tensor.Dense:
		g, ok := dy.(*tensor.Dense)
		if !ok || g.Dtype() != a.Dtype() || g.Len() != a.Len() {
			return nil, fmt.Errorf("%sGrad: dy %v does not match %v", u.Name, dy, a.Shape())
		}
		if g.RequiresIterator() {
			g = g.Materialize().(*tensor.Dense)
		}
		av, o, err := Prepare(out, a)
		if err != nil {
			return nil, fmt.Errorf("%sGrad: %w", u.Name, err)
		}
		switch a.Dtype() {
		case tensor.Float32:
			u.backward32(o.Float32s(), g.Float32s(), av.Float32s())
		case tensor.Float64:
			u.backward64(o.Float64s(), g.Float64s(), av.Float64s())
		default:
			return nil, fmt.Errorf("%sGrad: unsupported dtype %v", u.Name, a.Dtype())
		}
		return o, nil
	}
	return nil, fmt.Errorf("%sGrad: unsupported value %T", u.Name, v)
}

func (u *Unary) forward32(y, x []float32) {
	if u.Forward32 != nil {
		u.Forward32(y, x)
		return
	}
	parallel(len(x), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			y[i] = float32(u.F(float64(x[i])))
		}
	})
}

func (u *Unary) forward64(y, x []float64) {
	if u.Forward64 != nil {
		u.Forward64(y, x)
		return
	}
	parallel(len(x), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			y[i] = u.F(x[i])
		}
	})
}

func (u *Unary) backward32(dx, dy, v []float32) {
	if u.Backward32 != nil {
		u.Backward32(dx, dy, v)
		return
	}
	parallel(len(dx), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			dx[i] = float32(float64(dy[i]) * u.DF(float64(v[i])))
		}
	})
}

func (u *Unary) backward64(dx, dy, v []float64) {
	if u.Backward64 != nil {
		u.Backward64(dx, dy, v)
		return
	}
	parallel(len(dx), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			dx[i] = dy[i] * u.DF(v[i])
		}
	})
}

// parallel runs f over [0, n) in chunks on the helper pool of internal/par.
func parallel(n int, f func(lo, hi int)) {
	if n < ParallelThreshold {
		f(0, n)
		return
	}
	const chunk = ParallelThreshold / 4
	par.For(runtime.GOMAXPROCS(0), (n+chunk-1)/chunk, func(_, t int) {
		f(t*chunk, min((t+1)*chunk, n))
	})
}

// Prepare returns a contiguous copy of x if x is a view (else x itself) and
// the output tensor of an op writing x's dtype and shape: out when it is a
// contiguous *tensor.Dense of that dtype and length (an op's prealloc), else
// a new tensor. It returns an error if out is not nil and not a
// *tensor.Dense.
func Prepare(out gorgonia.Value, x *tensor.Dense) (*tensor.Dense, *tensor.Dense, error) {
	if x.RequiresIterator() {
		x = x.Materialize().(*tensor.Dense)
	}
	if o, ok := out.(*tensor.Dense); ok && o != nil && o.Dtype() == x.Dtype() && o.Len() == x.Len() && !o.RequiresIterator() {
		return x, o, nil
	}
	if out != nil {
		if _, ok := out.(*tensor.Dense); !ok {
			return nil, nil, fmt.Errorf("prealloc is %T, want *tensor.Dense", out)
		}
	}
	return x, tensor.New(tensor.Of(x.Dtype()), tensor.WithShape(x.Shape().Clone()...)), nil
}

// AddInto adds src into dst in place, as an ADOp's DoDiff adds its
// gradient into an input's: dst and src are both *gorgonia.F32, both
// *gorgonia.F64, or *tensor.Dense of the same float dtype and length.
func AddInto(dst, src gorgonia.Value) error {
	switch a := dst.(type) {
	case *gorgonia.F32:
		s, ok := src.(*gorgonia.F32)
		if !ok {
			return fmt.Errorf("kit: cannot add %T into *F32", src)
		}
		*a += *s
	case *gorgonia.F64:
		s, ok := src.(*gorgonia.F64)
		if !ok {
			return fmt.Errorf("kit: cannot add %T into *F64", src)
		}
		*a += *s
	case *tensor.Dense:
		s, ok := src.(*tensor.Dense)
		if !ok || s.Dtype() != a.Dtype() || s.Len() != a.Len() {
			return fmt.Errorf("kit: cannot add %v into %v %v", src, a.Dtype(), a.Shape())
		}
		if s.RequiresIterator() {
			s = s.Materialize().(*tensor.Dense)
		}
		switch a.Dtype() {
		case tensor.Float32:
			ad, sd := a.Float32s(), s.Float32s()
			for i := range ad {
				ad[i] += sd[i]
			}
		case tensor.Float64:
			ad, sd := a.Float64s(), s.Float64s()
			for i := range ad {
				ad[i] += sd[i]
			}
		default:
			return fmt.Errorf("kit: cannot accumulate dtype %v", a.Dtype())
		}
	default:
		return fmt.Errorf("kit: cannot accumulate into %T", dst)
	}
	return nil
}

// Hashcode returns the FNV-1a hash of what op.WriteHash writes: the
// Hashcode method of every op in one line.
func Hashcode(op interface{ WriteHash(hash.Hash) }) uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}
