package nets

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selunet/selunet/graph"
	"github.com/selunet/selunet/ops/alphadropout"
	"github.com/selunet/selunet/ops/bias"
	"github.com/selunet/selunet/ops/selu"
)

// Net is a network's architecture and weights. Its parameters live outside any
// graph; Build binds them into as many graphs as needed.
type Net struct {
	// Spec is the validated architecture.
	Spec Spec
	// Inputs and Outputs are the input width and number of output logits.
	Inputs, Outputs int
	// Head is the output head.
	Head Head
	// Params holds every weight, in creation order (deterministic).
	Params *graph.Params
}

// New validates spec and creates the weights of a network with the given
// input width and number of outputs (tasks for Binary, classes for
// MultiClass), initialized from seed. The same arguments always give the
// same weights.
func New(spec Spec, inputs, outputs int, head Head, seed uint64) (*Net, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	if inputs < 1 || outputs < 1 {
		return nil, fmt.Errorf("nets: need at least one input and one output, got %d inputs and %d outputs", inputs, outputs)
	}
	n := &Net{Spec: spec, Inputs: inputs, Outputs: outputs, Head: head, Params: graph.NewParams(spec.TensorDtype(), seed)}
	// Building once creates every parameter in a fixed order.
	if _, err := n.Build(gorgonia.NewGraph(), 1, graph.Eval, 0); err != nil {
		return nil, err
	}
	return n, nil
}

// Graph is one network bound into one *gorgonia.ExprGraph for one mode.
type Graph struct {
	// G is the graph that holds every node below.
	G *gorgonia.ExprGraph
	// Mode is the mode the graph was built for.
	Mode graph.Mode
	// X is the (batch, inputs) input node, holding zeros until the caller
	// writes into its value or binds another with gorgonia.Let.
	X *gorgonia.Node
	// Logits is the (batch, outputs) output node.
	Logits *gorgonia.Node
	// Hidden holds the activation of every hidden layer (after the
	// nonlinearity, before dropout), in depth order.
	Hidden []*gorgonia.Node
	// Learnables are the trainable parameters' nodes in this graph, in the
	// order of Net.Params.All.
	Learnables gorgonia.Nodes

	masks   []mask
	updates []func() error
	rng     *rand.Rand
	pcg     *rand.PCG
}

// mask is the input node of one standard-dropout site: (batch, width) values
// that are 0 or 1/q, refreshed before every training step.
type mask struct {
	node *gorgonia.Node
	rate float64
	data tensor.Tensor
}

// Build binds the network into g for a batch of the given size. In graph.Train
// mode dropout is active and normalization layers use batch statistics; in
// graph.Eval mode dropout is the identity and batch normalization uses running
// statistics. seed seeds every random stream of the training graph (one
// independent stream per dropout site); it is ignored in Eval mode.
func (n *Net) Build(g *gorgonia.ExprGraph, batch int, mode graph.Mode, seed uint64) (*Graph, error) {
	if batch < 1 {
		return nil, fmt.Errorf("nets: batch size must be ≥ 1, got %d", batch)
	}
	dt := n.Spec.TensorDtype()
	pcg := rand.NewPCG(seed, 0x5e1a_0001)
	out := &Graph{G: g, Mode: mode, pcg: pcg, rng: rand.New(pcg)}
	out.X = gorgonia.NewMatrix(g, dt, gorgonia.WithShape(batch, n.Inputs), gorgonia.WithName("x"), gorgonia.WithInit(gorgonia.Zeroes()))
	b := &builder{net: n, g: g, out: out, batch: batch, seed: seed}
	h, err := b.body(out.X)
	if err != nil {
		return nil, err
	}
	last := n.Inputs
	if len(out.Hidden) > 0 {
		last = h.Shape()[1]
	}
	if out.Logits, err = b.linear("out", h, last, n.Outputs, b.weightInit()); err != nil {
		return nil, err
	}
	for _, p := range n.Params.All() {
		if p.Trainable {
			out.Learnables = append(out.Learnables, p.Node(g))
		}
	}
	return out, nil
}

// RefreshMasks draws new standard-dropout masks for the next training step.
// It does nothing for graphs without standard dropout (SNNs draw their alpha
// dropout masks inside the op).
func (gr *Graph) RefreshMasks() {
	for _, m := range gr.masks {
		q := 1 - m.rate
		switch d := m.data.Data().(type) {
		case []float32:
			for i := range d {
				d[i] = 0
				if gr.rng.Float64() < q {
					d[i] = float32(1 / q)
				}
			}
		case []float64:
			for i := range d {
				d[i] = 0
				if gr.rng.Float64() < q {
					d[i] = 1 / q
				}
			}
		}
	}
}

// AfterStep runs the graph's bookkeeping after a training step: it updates
// batch normalization running statistics. Call it once after each step of a
// training graph.
func (gr *Graph) AfterStep() error {
	for _, u := range gr.updates {
		if err := u(); err != nil {
			return err
		}
	}
	return nil
}

// MarshalBinary returns the state of every random stream of the graph: the
// standard-dropout mask stream and each alpha dropout op's stream, so that a
// resumed run draws the same masks as an uninterrupted one.
func (gr *Graph) MarshalBinary() ([]byte, error) {
	var out []byte
	blobs := [][]byte{}
	b, err := gr.pcg.MarshalBinary()
	if err != nil {
		return nil, err
	}
	blobs = append(blobs, b)
	for _, op := range alphadropout.Ops(gr.G) {
		b, err := op.MarshalBinary()
		if err != nil {
			return nil, err
		}
		blobs = append(blobs, b)
	}
	for _, b := range blobs {
		out = binary.AppendUvarint(out, uint64(len(b)))
		out = append(out, b...)
	}
	return out, nil
}

// UnmarshalBinary restores random streams saved by MarshalBinary from a graph
// built the same way.
func (gr *Graph) UnmarshalBinary(data []byte) error {
	next := func() ([]byte, error) {
		l, k := binary.Uvarint(data)
		if k <= 0 || uint64(len(data)-k) < l {
			return nil, fmt.Errorf("nets: truncated random-stream state")
		}
		b := data[k : k+int(l)]
		data = data[k+int(l):]
		return b, nil
	}
	b, err := next()
	if err != nil {
		return err
	}
	if err := gr.pcg.UnmarshalBinary(b); err != nil {
		return fmt.Errorf("nets: dropout mask stream: %w", err)
	}
	for i, op := range alphadropout.Ops(gr.G) {
		b, err := next()
		if err != nil {
			return err
		}
		if err := op.UnmarshalBinary(b); err != nil {
			return fmt.Errorf("nets: alpha dropout site %d: %w", i, err)
		}
	}
	if len(data) != 0 {
		return fmt.Errorf("nets: random-stream state has %d unexpected trailing bytes (graph built differently?)", len(data))
	}
	return nil
}

// builder carries the state of one Build call.
type builder struct {
	net   *Net
	g     *gorgonia.ExprGraph
	out   *Graph
	batch int
	seed  uint64
	sites int
}

func (b *builder) weightInit() graph.Initializer {
	if b.net.Spec.Arch == SNN {
		return graph.LeCunNormal()
	}
	return graph.HeNormal()
}

// param returns the node of the named parameter in this graph, creating the
// parameter on first use.
func (b *builder) param(name string, shape tensor.Shape, init graph.Initializer, trainable bool) (*gorgonia.Node, error) {
	p := b.net.Params.Get(name)
	if p == nil {
		if trainable {
			p = b.net.Params.Add(name, shape, init)
		} else {
			p = b.net.Params.AddFixed(name, shape, init)
		}
	} else if !p.Value.Shape().Eq(shape) {
		return nil, fmt.Errorf("nets: parameter %s has shape %v, want %v", name, p.Value.Shape(), shape)
	}
	return p.Node(b.g), nil
}

// linear returns x·W + b with W of shape (in, out) and a zero-initialized bias
// (one fused bias.Add: no broadcast copy of b, column sums for its gradient).
func (b *builder) linear(name string, x *gorgonia.Node, in, out int, init graph.Initializer) (*gorgonia.Node, error) {
	w, err := b.param(name+"/W", tensor.Shape{in, out}, init, true)
	if err != nil {
		return nil, err
	}
	bv, err := b.param(name+"/b", tensor.Shape{out}, graph.Zeros(), true)
	if err != nil {
		return nil, err
	}
	xw, err := gorgonia.Mul(x, w)
	if err != nil {
		return nil, fmt.Errorf("nets: %s: %w", name, err)
	}
	z, err := bias.Add(xw, bv)
	if err != nil {
		return nil, fmt.Errorf("nets: %s: %w", name, err)
	}
	return z, nil
}

// dropout applies the architecture's dropout after a hidden layer.
func (b *builder) dropout(h *gorgonia.Node, width int) (*gorgonia.Node, error) {
	rate := b.net.Spec.Dropout
	if rate == 0 || b.out.Mode != graph.Train {
		return h, nil
	}
	b.sites++
	if b.net.Spec.Arch == SNN {
		return alphadropout.Apply(h, rate, graph.Train, splitmix(b.seed+uint64(b.sites)))
	}
	m := gorgonia.NewMatrix(b.g, h.Dtype(), gorgonia.WithShape(b.batch, width), gorgonia.WithName(fmt.Sprintf("dropmask%02d", b.sites)), gorgonia.WithInit(gorgonia.Ones()))
	b.out.masks = append(b.out.masks, mask{node: m, rate: rate, data: m.Value().(tensor.Tensor)})
	return gorgonia.HadamardProd(h, m)
}

// splitmix is the SplitMix64 finalizer; it turns consecutive seeds into
// unrelated ones.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// body builds the hidden layers and returns the last hidden activation (x
// itself when there are none).
func (b *builder) body(x *gorgonia.Node) (*gorgonia.Node, error) {
	s := b.net.Spec
	widths := s.Widths(b.net.Outputs)
	h, in := x, b.net.Inputs
	var err error
	for i, w := range widths {
		name := fmt.Sprintf("layer%02d", i+1)
		switch s.Arch {
		case SNN:
			if h, err = b.linear(name, h, in, w, graph.LeCunNormal()); err == nil {
				h, err = selu.Apply(h)
			}
		case MSRA:
			if h, err = b.linear(name, h, in, w, graph.HeNormal()); err == nil {
				h, err = gorgonia.Rectify(h)
			}
		case BatchNorm:
			h, err = b.batchNormLayer(name, h, in, w)
		case LayerNorm:
			h, err = b.layerNormLayer(name, h, in, w)
		case WeightNorm:
			h, err = b.weightNormLayer(name, h, in, w)
		case ResNet:
			h, err = b.residualBlock(name, h, in, w)
		case Highway:
			h, err = b.highwayLayer(name, h, in, w)
		default:
			err = fmt.Errorf("nets: unknown architecture %q", s.Arch)
		}
		if err != nil {
			return nil, fmt.Errorf("nets: %s: %w", name, err)
		}
		b.out.Hidden = append(b.out.Hidden, h)
		if h, err = b.dropout(h, w); err != nil {
			return nil, fmt.Errorf("nets: %s dropout: %w", name, err)
		}
		in = w
	}
	return h, nil
}
