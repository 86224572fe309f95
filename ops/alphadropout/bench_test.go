package alphadropout

import (
	"testing"

	"github.com/selunet/selunet/graph"
	"github.com/selunet/selunet/internal/cputime"
	"github.com/selunet/selunet/ops/internal/optest"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// BenchmarkKernelFwdBwd32 times the op's forward (mask draw + transform) and
// backward on float32 N(0,1) input at rate 0.05 (refbench uses p = 0.05),
// without a graph.
func BenchmarkKernelFwdBwd32(b *testing.B) {
	optest.EachShape(b, func(b *testing.B, rows, cols int) {
		n := rows * cols
		x := tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(optest.Randn32(1, n)))
		dy := tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(optest.Randn32(2, n)))
		y := tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(rows, cols))
		dx := tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(rows, cols))
		op, _ := New(0.05, 1, 0)
		b.SetBytes(int64(n) * 4)
		ct := cputime.Start()
		for b.Loop() {
			if _, err := op.forward(y, x); err != nil {
				b.Fatal(err)
			}
			if _, err := op.backward(dx, dy, false); err != nil {
				b.Fatal(err)
			}
		}
		ct.Report(b)
	})
}

// BenchmarkGraphFwdBwd32 times one TapeMachine run of y = dropout(x) and
// dx = gorgonia.Backpropagate(y, dy) with a fixed random upstream gradient dy
// bound to an input node (as refbench's torch.autograd.grad), float32, rate
// 0.05.
func BenchmarkGraphFwdBwd32(b *testing.B) {
	optest.GraphFwdBwd32(b, func(x *gorgonia.Node) (*gorgonia.Node, error) { return Apply(x, 0.05, graph.Train, 1) })
}
