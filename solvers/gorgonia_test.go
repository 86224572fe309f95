package solvers

import (
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// linreg builds mean((x·w − y)²) for a fixed 4×2 x and y = x·[1, −2].
func linreg(dt tensor.Dtype) (*gorgonia.ExprGraph, *gorgonia.Node, *gorgonia.Node) {
	g := gorgonia.NewGraph()
	xs := []float64{1, 0, 0, 1, 1, 1, 2, -1}
	ys := []float64{1, -2, -1, 4}
	var xb, yb interface{} = xs, ys
	if dt == tensor.Float32 {
		x32, y32 := make([]float32, len(xs)), make([]float32, len(ys))
		for i := range xs {
			x32[i] = float32(xs[i])
		}
		for i := range ys {
			y32[i] = float32(ys[i])
		}
		xb, yb = x32, y32
	}
	x := gorgonia.NewMatrix(g, dt, gorgonia.WithShape(4, 2), gorgonia.WithName("x"),
		gorgonia.WithValue(tensor.New(tensor.WithShape(4, 2), tensor.WithBacking(xb))))
	y := gorgonia.NewMatrix(g, dt, gorgonia.WithShape(4, 1), gorgonia.WithName("y"),
		gorgonia.WithValue(tensor.New(tensor.WithShape(4, 1), tensor.WithBacking(yb))))
	w := gorgonia.NewMatrix(g, dt, gorgonia.WithShape(2, 1), gorgonia.WithName("w"), gorgonia.WithInit(gorgonia.Zeroes()))
	pred := gorgonia.Must(gorgonia.Mul(x, w))
	diff := gorgonia.Must(gorgonia.Sub(pred, y))
	loss := gorgonia.Must(gorgonia.Mean(gorgonia.Must(gorgonia.Square(diff))))
	return g, w, loss
}

// TestGorgoniaTraining plugs every solver into a TapeMachine with symbolic
// gradients and checks that the loss decreases over 30 steps.
func TestGorgoniaTraining(t *testing.T) {
	cases := []func() Solver{
		func() Solver { return NewSGD(WithLR(0.05)) },                      // 0
		func() Solver { return NewSGD(WithLR(0.02), WithMomentum(0.9)) },   // 1
		func() Solver { return NewAdam(WithLR(0.05)) },                     // 2
		func() Solver { return NewAdamW(WithLR(0.05)) },                    // 3
		func() Solver { return NewRMSProp(WithLR(0.01), WithClipNorm(5)) }, // 4
	}
	for i, mk := range cases {
		for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
			s := mk()
			g, w, loss := linreg(dt)
			if _, err := gorgonia.Grad(loss, w); err != nil {
				t.Fatal(err)
			}
			var lossVal gorgonia.Value
			gorgonia.Read(loss, &lossVal)
			vm := gorgonia.NewTapeMachine(g, gorgonia.BindDualValues(w))
			var first, last float64
			for k := 0; k < 30; k++ {
				if err := vm.RunAll(); err != nil {
					t.Fatal(err)
				}
				var l float64
				switch v := lossVal.Data().(type) {
				case float32:
					l = float64(v)
				case float64:
					l = v
				}
				if k == 0 {
					first = l
				}
				last = l
				if err := s.Step(gorgonia.NodesToValueGrads(gorgonia.Nodes{w})); err != nil {
					t.Fatal(err)
				}
				vm.Reset()
			}
			if !(last < 0.5*first) {
				t.Errorf("case %d %v: loss got:%v want:< %v", i, dt, last, 0.5*first)
			}
			vm.Close()
		}
	}
}
