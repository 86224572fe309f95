// Package optest holds what the tests and benchmarks of the ops packages
// share: seeded N(0,1) float32 inputs, the benchmark shapes and the
// graph forward+backward benchmark of an op, as refbench times it.
package optest

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selunet/selunet/internal/cputime"
)

// Randn32 returns n values drawn from N(0,1) by a PCG generator seeded
// (seed, 1): the same values for the same seed on every machine.
func Randn32(seed uint64, n int) []float32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	return x
}

// Shapes are the float32 matrix shapes the ops benchmarks time: a batch
// of 128 and one of 1024 rows of 1024 units.
var Shapes = [][2]int{{128, 1024}, {1024, 1024}}

// EachShape runs fn as one sub-benchmark of b per shape of Shapes, named
// "<rows>x<cols>".
func EachShape(b *testing.B, fn func(b *testing.B, rows, cols int)) {
	for _, s := range Shapes {
		b.Run(fmt.Sprintf("%dx%d", s[0], s[1]), func(b *testing.B) { fn(b, s[0], s[1]) })
	}
}

// GraphFwdBwd32 times, for each shape of Shapes, one TapeMachine run of
// y = apply(x) and dx = gorgonia.Backpropagate(y, dy) on float32 x (seed 1)
// with a fixed random upstream gradient dy (seed 2) bound to an input node,
// as refbench's torch.autograd.grad. It reports bytes of x per op and the
// CPU time (cputime).
func GraphFwdBwd32(b *testing.B, apply func(x *gorgonia.Node) (*gorgonia.Node, error)) {
	EachShape(b, func(b *testing.B, rows, cols int) {
		n := rows * cols
		g := gorgonia.NewGraph()
		x := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(rows, cols), gorgonia.WithName("x"),
			gorgonia.WithValue(tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(Randn32(1, n)))))
		dy := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(rows, cols), gorgonia.WithName("dy"),
			gorgonia.WithValue(tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(Randn32(2, n)))))
		y, err := apply(x)
		if err != nil {
			b.Fatal(err)
		}
		dx, err := gorgonia.Backpropagate(gorgonia.Nodes{y}, gorgonia.Nodes{dy}, gorgonia.Nodes{x})
		if err != nil {
			b.Fatal(err)
		}
		var dxv gorgonia.Value
		gorgonia.Read(dx[0], &dxv)
		m := gorgonia.NewTapeMachine(g)
		defer m.Close()
		b.SetBytes(int64(n) * 4)
		ct := cputime.Start()
		for b.Loop() {
			if err := m.RunAll(); err != nil {
				b.Fatal(err)
			}
			m.Reset()
		}
		ct.Report(b)
	})
}
