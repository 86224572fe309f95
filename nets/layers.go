package nets

import (
	"fmt"
	"math"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selunet/selunet/graph"
	"github.com/selunet/selunet/ops/bias"
)

// normEps is the ε added to variances by batch and layer normalization.
const normEps = 1e-5

// bnMomentum is the weight of the newest batch in the running statistics of
// batch normalization (PyTorch's default momentum).
const bnMomentum = 0.1

// scalar returns a constant of the graph's dtype.
func scalar(dt tensor.Dtype, v float64) *gorgonia.Node {
	if dt == tensor.Float64 {
		return gorgonia.NewConstant(v)
	}
	return gorgonia.NewConstant(float32(v))
}

// affine returns γ⊙x + β per unit, with γ initialized to 1 and β to 0.
func (b *builder) affine(name string, x *gorgonia.Node, w int) (*gorgonia.Node, error) {
	gamma, err := b.param(name+"/gamma", tensor.Shape{w}, graph.Constant(1), true)
	if err != nil {
		return nil, err
	}
	beta, err := b.param(name+"/beta", tensor.Shape{w}, graph.Zeros(), true)
	if err != nil {
		return nil, err
	}
	y, err := gorgonia.BroadcastHadamardProd(x, gamma, nil, []byte{0})
	if err != nil {
		return nil, err
	}
	return bias.Add(y, beta)
}

// standardize returns (z − mean)/sqrt(var + ε) where mean and variance are
// taken along axis (0: over the batch, 1: over the units of a row) and
// broadcast back. It also returns the mean and variance nodes.
func standardize(z *gorgonia.Node, axis int) (out, mean, variance *gorgonia.Node, err error) {
	pattern := []byte{byte(axis)}
	if mean, err = gorgonia.Mean(z, axis); err != nil {
		return
	}
	c, err := gorgonia.BroadcastSub(z, mean, nil, pattern)
	if err != nil {
		return
	}
	sq, err := gorgonia.Square(c)
	if err != nil {
		return
	}
	if variance, err = gorgonia.Mean(sq, axis); err != nil {
		return
	}
	ve, err := gorgonia.Add(variance, scalar(z.Dtype(), normEps))
	if err != nil {
		return
	}
	inv, err := invSqrt(ve)
	if err != nil {
		return
	}
	out, err = gorgonia.BroadcastHadamardProd(c, inv, nil, pattern)
	return
}

// invSqrt is 1/√x as Inverse(Sqrt(x)). Not gorgonia.InverseSqrt: its
// gradient in Gorgonia v0.9.18 is −g/(2y³) instead of −g·y³/2 (y = 1/√x),
// which made batch-normalized networks diverge and trained layer-normalized
// ones on a wrong gradient (TestGradients checks every architecture).
func invSqrt(x *gorgonia.Node) (*gorgonia.Node, error) {
	s, err := gorgonia.Sqrt(x)
	if err != nil {
		return nil, err
	}
	return gorgonia.Inverse(s)
}

// batchNormLayer is Linear → BatchNorm → ReLU.
func (b *builder) batchNormLayer(name string, h *gorgonia.Node, in, w int) (*gorgonia.Node, error) {
	z, err := b.linear(name, h, in, w, graph.HeNormal())
	if err != nil {
		return nil, err
	}
	// The running statistics are read only by the eval graph; the training
	// graph updates their values after each step.
	pm, err := b.register(name+"/running_mean", tensor.Shape{w}, graph.Zeros(), false)
	if err != nil {
		return nil, err
	}
	pv, err := b.register(name+"/running_var", tensor.Shape{w}, graph.Constant(1), false)
	if err != nil {
		return nil, err
	}
	var n *gorgonia.Node
	if b.st.mode == graph.Train {
		var mean, variance *gorgonia.Node
		if n, mean, variance, err = standardize(z, 0); err != nil {
			return nil, err
		}
		var mv, vv gorgonia.Value
		gorgonia.Read(mean, &mv)
		gorgonia.Read(variance, &vv)
		unbias := float64(b.batch) / math.Max(1, float64(b.batch-1))
		b.st.updates = append(b.st.updates, func() error {
			if mv == nil || vv == nil {
				return fmt.Errorf("nets: %s: batch statistics not computed (run the training graph first)", name)
			}
			ema(pm.Value, mv.(tensor.Tensor), 1)
			ema(pv.Value, vv.(tensor.Tensor), unbias)
			return nil
		})
	} else {
		c, err := gorgonia.BroadcastSub(z, pm.Node(b.g), nil, []byte{0})
		if err != nil {
			return nil, err
		}
		ve, err := gorgonia.Add(pv.Node(b.g), scalar(z.Dtype(), normEps))
		if err != nil {
			return nil, err
		}
		inv, err := invSqrt(ve)
		if err != nil {
			return nil, err
		}
		if n, err = gorgonia.BroadcastHadamardProd(c, inv, nil, []byte{0}); err != nil {
			return nil, err
		}
	}
	y, err := b.affine(name+"/bn", n, w)
	if err != nil {
		return nil, err
	}
	return graph.Rectify(y)
}

// ema sets run ← (1−m)·run + m·scale·batch in place.
func ema(run, batch tensor.Tensor, scale float64) {
	switch r := run.Data().(type) {
	case []float32:
		bd := batch.Data().([]float32)
		for i := range r {
			r[i] = float32((1-bnMomentum)*float64(r[i]) + bnMomentum*scale*float64(bd[i]))
		}
	case []float64:
		bd := batch.Data().([]float64)
		for i := range r {
			r[i] = (1-bnMomentum)*r[i] + bnMomentum*scale*bd[i]
		}
	}
}

// layerNormLayer is Linear → LayerNorm → ReLU.
func (b *builder) layerNormLayer(name string, h *gorgonia.Node, in, w int) (*gorgonia.Node, error) {
	z, err := b.linear(name, h, in, w, graph.HeNormal())
	if err != nil {
		return nil, err
	}
	n, _, _, err := standardize(z, 1)
	if err != nil {
		return nil, err
	}
	y, err := b.affine(name+"/ln", n, w)
	if err != nil {
		return nil, err
	}
	return graph.Rectify(y)
}

// weightNormLayer is a ReLU layer with weights w = g·v/‖v‖ per output unit
// (Salimans & Kingma 2016). g starts at √2 so that the initial weights have
// the He/MSRA scale.
func (b *builder) weightNormLayer(name string, h *gorgonia.Node, in, w int) (*gorgonia.Node, error) {
	v, err := b.param(name+"/V", tensor.Shape{in, w}, graph.HeNormal(), true)
	if err != nil {
		return nil, err
	}
	g, err := b.param(name+"/g", tensor.Shape{w}, graph.Constant(math.Sqrt2), true)
	if err != nil {
		return nil, err
	}
	bv, err := b.param(name+"/b", tensor.Shape{w}, graph.Zeros(), true)
	if err != nil {
		return nil, err
	}
	sq, err := gorgonia.Square(v)
	if err != nil {
		return nil, err
	}
	ss, err := gorgonia.Sum(sq, 0)
	if err != nil {
		return nil, err
	}
	norm, err := gorgonia.Sqrt(ss)
	if err != nil {
		return nil, err
	}
	scale, err := gorgonia.HadamardDiv(g, norm)
	if err != nil {
		return nil, err
	}
	wt, err := gorgonia.BroadcastHadamardProd(v, scale, nil, []byte{0})
	if err != nil {
		return nil, err
	}
	xw, err := gorgonia.Mul(h, wt)
	if err != nil {
		return nil, err
	}
	z, err := bias.Add(xw, bv)
	if err != nil {
		return nil, err
	}
	return graph.Rectify(z)
}

// project maps h to width w with a ReLU layer when the widths differ.
func (b *builder) project(name string, h *gorgonia.Node, in, w int) (*gorgonia.Node, error) {
	if in == w {
		return h, nil
	}
	z, err := b.linear(name+"/proj", h, in, w, graph.HeNormal())
	if err != nil {
		return nil, err
	}
	return graph.Rectify(z)
}

// residualBlock is relu(h + W2·relu(W1·h)), with the inner layer narrowed to
// Bottleneck·w for the diavolo shape.
func (b *builder) residualBlock(name string, h *gorgonia.Node, in, w int) (*gorgonia.Node, error) {
	h, err := b.project(name, h, in, w)
	if err != nil {
		return nil, err
	}
	inner := b.net.Spec.inner(w)
	r, err := b.linear(name+"/a", h, w, inner, graph.HeNormal())
	if err != nil {
		return nil, err
	}
	if r, err = graph.Rectify(r); err != nil {
		return nil, err
	}
	// The block's last layer starts at zero, so that every block begins as
	// the identity (relu(h + 0) = h for h ≥ 0) and a deep stack neither
	// grows its activations nor its gradients at initialization.
	if r, err = b.linear(name+"/b", r, inner, w, graph.Zeros()); err != nil {
		return nil, err
	}
	s, err := gorgonia.Add(h, r)
	if err != nil {
		return nil, err
	}
	return graph.Rectify(s)
}

// highwayLayer is y = h + T⊙(H − h) with H = relu(W_H·h + b_H) and
// T = sigmoid(W_T·h + b_T), b_T starting at −1 so that the gates begin mostly
// closed (Srivastava et al. 2015).
func (b *builder) highwayLayer(name string, h *gorgonia.Node, in, w int) (*gorgonia.Node, error) {
	h, err := b.project(name, h, in, w)
	if err != nil {
		return nil, err
	}
	hh, err := b.linear(name+"/H", h, w, w, graph.HeNormal())
	if err != nil {
		return nil, err
	}
	if hh, err = graph.Rectify(hh); err != nil {
		return nil, err
	}
	wt, err := b.param(name+"/T/W", tensor.Shape{w, w}, graph.LeCunNormal(), true)
	if err != nil {
		return nil, err
	}
	bt, err := b.param(name+"/T/b", tensor.Shape{w}, graph.Constant(-1), true)
	if err != nil {
		return nil, err
	}
	tz, err := gorgonia.Mul(h, wt)
	if err != nil {
		return nil, err
	}
	if tz, err = bias.Add(tz, bt); err != nil {
		return nil, err
	}
	t, err := gorgonia.Sigmoid(tz)
	if err != nil {
		return nil, err
	}
	d, err := gorgonia.Sub(hh, h)
	if err != nil {
		return nil, err
	}
	td, err := gorgonia.HadamardProd(t, d)
	if err != nil {
		return nil, err
	}
	return gorgonia.Add(h, td)
}
