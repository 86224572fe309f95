package losses

import (
	"math/rand/v2"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// BenchmarkBCEWithLogits runs forward+backward of a masked float32 BCE on a
// 128×12 batch (Tox21 shape) through a TapeMachine.
func BenchmarkBCEWithLogits(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	const n, k = 128, 12
	z, y, m := make([]float32, n*k), make([]float32, n*k), make([]float32, n*k)
	for i := range z {
		z[i] = float32(rng.NormFloat64() * 3)
		y[i] = float32(rng.IntN(2))
		if rng.IntN(4) != 0 { // about 3/4 of the labels present
			m[i] = 1
		}
	}
	g := gorgonia.NewGraph()
	zn := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(n, k), tensor.WithBacking(z)), gorgonia.WithName("z"))
	yn := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(n, k), tensor.WithBacking(y)), gorgonia.WithName("y"))
	mn := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(n, k), tensor.WithBacking(m)), gorgonia.WithName("m"))
	loss, err := BCEWithLogits(zn, yn, mn)
	benchGrad(b, g, zn, loss, err)
}

// BenchmarkSoftmaxCrossEntropy runs forward+backward of float32 softmax
// cross-entropy on a 128×10 batch through a TapeMachine.
func BenchmarkSoftmaxCrossEntropy(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 9))
	const n, k = 128, 10
	z, y := make([]float32, n*k), make([]float32, n*k)
	for i := range n {
		for c := range k {
			z[i*k+c] = float32(rng.NormFloat64() * 3)
		}
		y[i*k+rng.IntN(k)] = 1
	}
	g := gorgonia.NewGraph()
	zn := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(n, k), tensor.WithBacking(z)), gorgonia.WithName("z"))
	yn := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(n, k), tensor.WithBacking(y)), gorgonia.WithName("y"))
	loss, err := SoftmaxCrossEntropy(zn, yn, nil)
	benchGrad(b, g, zn, loss, err)
}

// benchGrad times forward and backward of loss (built with error err)
// with respect to zn through a TapeMachine.
func benchGrad(b *testing.B, g *gorgonia.ExprGraph, zn, loss *gorgonia.Node, err error) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := gorgonia.Grad(loss, zn); err != nil {
		b.Fatal(err)
	}
	vm := gorgonia.NewTapeMachine(g, gorgonia.BindDualValues(zn))
	defer vm.Close()
	b.ReportAllocs()
	for b.Loop() {
		if err := vm.RunAll(); err != nil {
			b.Fatal(err)
		}
		vm.Reset()
	}
}
