package graph

import (
	"fmt"
	"sync"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Gorgonia v0.9.18 keeps package-level constant nodes (1, 0, 2, 3 and ln 2
// in float32 and float64) that Grad, the symbolic derivatives of Square,
// Sqrt, InverseSqrt, Cube, Tanh, Sigmoid, Log2, Log1p and Pow, and Rectify,
// LeakyRelu and BinaryXent add to the caller's graph. Adding one calls its
// Hashcode, which computes the hash on first use and caches it in the
// shared node: two goroutines building graphs at once (a local sweep's
// in-process workers) race on that write. init makes those first calls
// here, before any goroutine of the program exists, so later ones only
// read.
func init() {
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		if err := hashSharedConstants(dt); err != nil {
			panic(fmt.Sprintf("graph: building the %v warm-up graph for Gorgonia's shared constants: %v", dt, err))
		}
	}
}

// hashSharedConstants builds and differentiates a throwaway scalar graph of
// dtype dt that uses every Gorgonia function that adds a shared constant.
func hashSharedConstants(dt tensor.Dtype) error {
	g := gorgonia.NewGraph()
	x := gorgonia.NewScalar(g, dt, gorgonia.WithName("x"))
	unary := []func(*gorgonia.Node) (*gorgonia.Node, error){
		gorgonia.Square, gorgonia.Sqrt, gorgonia.InverseSqrt, gorgonia.Cube,
		gorgonia.Tanh, gorgonia.Sigmoid, gorgonia.Log2, gorgonia.Log1p, Rectify,
		func(x *gorgonia.Node) (*gorgonia.Node, error) { return gorgonia.LeakyRelu(x, 0.1) },
		func(x *gorgonia.Node) (*gorgonia.Node, error) { return gorgonia.Pow(x, x) },
		func(x *gorgonia.Node) (*gorgonia.Node, error) {
			p, err := gorgonia.Sigmoid(x)
			if err != nil {
				return nil, err
			}
			return gorgonia.BinaryXent(p, x)
		},
	}
	cost := x
	for _, f := range unary {
		y, err := f(x)
		if err != nil {
			return err
		}
		if cost, err = gorgonia.Add(cost, y); err != nil {
			return err
		}
	}
	_, err := gorgonia.Grad(cost, x)
	return err
}

// rectifyMu serializes gorgonia.Rectify (see Rectify).
var rectifyMu sync.Mutex

// Rectify is gorgonia.Rectify, max(x, 0), safe to call from several
// goroutines at once. Gorgonia v0.9.18's Rectify numbers the node group it
// makes with an unsynchronized package counter (internal/encoding.NewGroup),
// so concurrent calls race; the calls through this function are
// serialized. The graph it builds is gorgonia.Rectify's.
func Rectify(x *gorgonia.Node) (*gorgonia.Node, error) {
	rectifyMu.Lock()
	defer rectifyMu.Unlock()
	return gorgonia.Rectify(x)
}
