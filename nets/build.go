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
	if _, err := n.Build(n.Input(gorgonia.NewGraph(), 1), graph.Eval, 0); err != nil {
		return nil, err
	}
	return n, nil
}

// Input returns a new (batch, Inputs) input node of the network's dtype in
// g, named "x" and holding zeros: the x to give Build. It panics if batch <
// 1.
func (n *Net) Input(g *gorgonia.ExprGraph, batch int) *gorgonia.Node {
	return gorgonia.NewMatrix(g, n.Params.Dtype(), gorgonia.WithShape(batch, n.Inputs), gorgonia.WithName("x"), gorgonia.WithInit(gorgonia.Zeroes()))
}

// Weights returns n.Params: with Build, it makes *Net a graph.Model.
func (n *Net) Weights() *graph.Params { return n.Params }

// state is what a built graph keeps between training steps: its
// standard-dropout masks, batch normalization updates and random streams.
type state struct {
	g       *gorgonia.ExprGraph
	mode    graph.Mode
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

// Build binds the network into x's graph (graph.Model): x is the (batch,
// Inputs) input, Out the (batch, Outputs) logits and Hidden the activation
// of every hidden layer (after the nonlinearity, before dropout). In
// graph.Train mode dropout is active and normalization layers use batch
// statistics (BeforeStep draws standard-dropout masks, AfterStep updates
// running statistics, Streams saves the random streams); in graph.Eval mode
// dropout is the identity and batch normalization uses running statistics.
// seed seeds every random stream of the training graph (one independent
// stream per dropout site); it is ignored in Eval mode. It returns an error
// if x is not a (batch, Inputs) matrix of the network's dtype.
func (n *Net) Build(x *gorgonia.Node, mode graph.Mode, seed uint64) (*graph.Built, error) {
	if x == nil || len(x.Shape()) != 2 || x.Shape()[1] != n.Inputs || x.Shape()[0] < 1 || x.Dtype() != n.Params.Dtype() {
		return nil, fmt.Errorf("nets: input must be a (batch, %d) %v matrix, got %v", n.Inputs, n.Params.Dtype(), x)
	}
	g := x.Graph()
	pcg := rand.NewPCG(seed, 0x5e1a_0001)
	st := &state{g: g, mode: mode, pcg: pcg, rng: rand.New(pcg)}
	out := &graph.Built{}
	b := &builder{net: n, g: g, st: st, built: out, batch: x.Shape()[0], seed: seed}
	h, err := b.body(x)
	if err != nil {
		return nil, err
	}
	last := n.Inputs
	if len(out.Hidden) > 0 {
		last = h.Shape()[1]
	}
	if out.Out, err = b.linear("out", h, last, n.Outputs, b.weightInit()); err != nil {
		return nil, err
	}
	if len(st.masks) > 0 {
		out.BeforeStep = st.refreshMasks
	}
	if len(st.updates) > 0 {
		out.AfterStep = st.afterStep
	}
	if mode == graph.Train {
		out.Streams = st
	}
	return out, nil
}

// refreshMasks draws new standard-dropout masks for the next training step.
func (st *state) refreshMasks() {
	for _, m := range st.masks {
		q := 1 - m.rate
		switch d := m.data.Data().(type) {
		case []float32:
			for i := range d {
				d[i] = 0
				if st.rng.Float64() < q {
					d[i] = float32(1 / q)
				}
			}
		case []float64:
			for i := range d {
				d[i] = 0
				if st.rng.Float64() < q {
					d[i] = 1 / q
				}
			}
		}
	}
}

// afterStep updates batch normalization running statistics.
func (st *state) afterStep() error {
	for _, u := range st.updates {
		if err := u(); err != nil {
			return err
		}
	}
	return nil
}

// MarshalBinary returns the state of every random stream of the graph: the
// standard-dropout mask stream and each alpha dropout op's stream, so that a
// resumed run draws the same masks as an uninterrupted one.
func (st *state) MarshalBinary() ([]byte, error) {
	var out []byte
	blobs := [][]byte{}
	b, err := st.pcg.MarshalBinary()
	if err != nil {
		return nil, err
	}
	blobs = append(blobs, b)
	for _, op := range alphadropout.Ops(st.g) {
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
func (st *state) UnmarshalBinary(data []byte) error {
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
	if err := st.pcg.UnmarshalBinary(b); err != nil {
		return fmt.Errorf("nets: dropout mask stream: %w", err)
	}
	for i, op := range alphadropout.Ops(st.g) {
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
	st    *state
	built *graph.Built
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
	p, err := b.register(name, shape, init, trainable)
	if err != nil {
		return nil, err
	}
	return p.Node(b.g), nil
}

// register is param without a node on the graph: for parameters a graph
// does not read (batch normalization's running statistics in training).
func (b *builder) register(name string, shape tensor.Shape, init graph.Initializer, trainable bool) (*graph.Param, error) {
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
	return p, nil
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
	if rate == 0 || b.st.mode != graph.Train {
		return h, nil
	}
	b.sites++
	if b.net.Spec.Arch == SNN {
		return alphadropout.Apply(h, rate, graph.Train, splitmix(b.seed+uint64(b.sites)))
	}
	m := gorgonia.NewMatrix(b.g, h.Dtype(), gorgonia.WithShape(b.batch, width), gorgonia.WithName(fmt.Sprintf("dropmask%02d", b.sites)), gorgonia.WithInit(gorgonia.Ones()))
	b.st.masks = append(b.st.masks, mask{node: m, rate: rate, data: m.Value().(tensor.Tensor)})
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
				h, err = graph.Rectify(h)
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
		b.built.Hidden = append(b.built.Hidden, h)
		if h, err = b.dropout(h, w); err != nil {
			return nil, fmt.Errorf("nets: %s dropout: %w", name, err)
		}
		in = w
	}
	return h, nil
}
