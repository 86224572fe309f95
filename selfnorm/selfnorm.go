package selfnorm

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/selunet/selunet/graph"
	"github.com/selunet/selunet/ops/alphadropout"
	"github.com/selunet/selunet/ops/selu"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// ChunkRows is the most samples pushed through the network in one pass.
const ChunkRows = 1024

// Config describes one run. Zero Dtype means "float32".
type Config struct {
	Depth   int     `json:"depth" yaml:"depth"`     // number of SELU layers, ≥ 1
	Width   int     `json:"width" yaml:"width"`     // units per layer (and input width), ≥ 1
	Samples int     `json:"samples" yaml:"samples"` // N(0,1) input rows, ≥ 1
	Dropout float64 `json:"dropout" yaml:"dropout"` // alpha dropout rate after each layer, in [0, 1)
	Seed    uint64  `json:"seed" yaml:"seed"`       // seeds weights, inputs and masks
	Dtype   string  `json:"dtype" yaml:"dtype"`     // "float32" (default) or "float64"
}

// Validate returns an error naming the first invalid field.
func (c Config) Validate() error {
	switch {
	case c.Depth < 1:
		return fmt.Errorf("selfnorm: depth %d, want >= 1", c.Depth)
	case c.Width < 1:
		return fmt.Errorf("selfnorm: width %d, want >= 1", c.Width)
	case c.Samples < 1:
		return fmt.Errorf("selfnorm: samples %d, want >= 1", c.Samples)
	case !(c.Dropout >= 0 && c.Dropout < 1):
		return fmt.Errorf("selfnorm: dropout %v, want in [0, 1)", c.Dropout)
	}
	if _, err := c.dtype(); err != nil {
		return err
	}
	return nil
}

func (c Config) dtype() (tensor.Dtype, error) {
	switch c.Dtype {
	case "", "float32":
		return tensor.Float32, nil
	case "float64":
		return tensor.Float64, nil
	}
	return tensor.Dtype{}, fmt.Errorf("selfnorm: dtype %q, want \"float32\" or \"float64\"", c.Dtype)
}

// LayerStat is the mean and variance over all Samples×Width activations of
// one layer's output (Layer counts from 1; Layer 0 is the input).
type LayerStat struct {
	Layer    int     `json:"layer"`
	Mean     float64 `json:"mean"`
	Variance float64 `json:"variance"`
}

// Run pushes cfg.Samples rows of N(0,1) inputs through cfg.Depth bias-free
// SELU layers and returns Depth+1 statistics: the input (Layer 0), then each
// layer's output. It returns an error for an invalid cfg or a failed graph
// run.
func Run(cfg Config) ([]LayerStat, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	dt, _ := cfg.dtype()
	ps := graph.NewParams(dt, cfg.Seed)
	for l := 1; l <= cfg.Depth; l++ {
		ps.Add(fmt.Sprintf("layer%d/w", l), tensor.Shape{cfg.Width, cfg.Width}, graph.LeCunNormal())
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x1a9f7))
	sum := make([]float64, cfg.Depth+1)
	sq := make([]float64, cfg.Depth+1)
	nets := map[int]*net{}
	defer func() {
		for _, n := range nets {
			n.m.Close()
		}
	}()
	for done := 0; done < cfg.Samples; {
		rows := min(ChunkRows, cfg.Samples-done)
		n, ok := nets[rows]
		if !ok {
			var err error
			if n, err = build(cfg, ps, dt, rows); err != nil {
				return nil, err
			}
			nets[rows] = n
		}
		n.fill(rng)
		n.m.Reset()
		if err := n.m.RunAll(); err != nil {
			return nil, fmt.Errorf("selfnorm: forward pass: %w", err)
		}
		for l, v := range n.vals {
			s, q := moments(*v)
			sum[l] += s
			sq[l] += q
		}
		done += rows
	}
	total := float64(cfg.Samples) * float64(cfg.Width)
	out := make([]LayerStat, cfg.Depth+1)
	for l := range out {
		m := sum[l] / total
		out[l] = LayerStat{Layer: l, Mean: m, Variance: math.Max(0, sq[l]/total-m*m)}
	}
	return out, nil
}

type net struct {
	x    *tensor.Dense
	vals []*gorgonia.Value // layer outputs, index 0 = input
	m    gorgonia.VM
}

func build(cfg Config, ps *graph.Params, dt tensor.Dtype, rows int) (*net, error) {
	g := gorgonia.NewGraph()
	xv := tensor.New(tensor.Of(dt), tensor.WithShape(rows, cfg.Width))
	h := gorgonia.NewMatrix(g, dt, gorgonia.WithShape(rows, cfg.Width), gorgonia.WithName("x"), gorgonia.WithValue(xv))
	n := &net{x: xv}
	in := new(gorgonia.Value)
	gorgonia.Read(h, in)
	n.vals = append(n.vals, in)
	for l, p := range ps.All() {
		z, err := matMul(h, p.Node(g))
		if err != nil {
			return nil, fmt.Errorf("selfnorm: layer %d: %w", l+1, err)
		}
		if h, err = selu.Apply(z); err != nil {
			return nil, fmt.Errorf("selfnorm: layer %d: %w", l+1, err)
		}
		if h, err = alphadropout.Apply(h, cfg.Dropout, graph.Train, cfg.Seed); err != nil {
			return nil, fmt.Errorf("selfnorm: layer %d: %w", l+1, err)
		}
		v := new(gorgonia.Value)
		gorgonia.Read(h, v)
		n.vals = append(n.vals, v)
	}
	n.m = graph.NewTapeMachine(g, nil, false)
	return n, nil
}

// fill draws fresh N(0,1) inputs.
func (n *net) fill(rng *rand.Rand) {
	switch n.x.Dtype() {
	case tensor.Float32:
		for i := range n.x.Float32s() {
			n.x.Float32s()[i] = float32(rng.NormFloat64())
		}
	default:
		for i := range n.x.Float64s() {
			n.x.Float64s()[i] = rng.NormFloat64()
		}
	}
}

// moments returns the sum and the sum of squares of v's elements in float64.
func moments(v gorgonia.Value) (s, q float64) {
	switch d := v.Data().(type) {
	case []float32:
		for _, x := range d {
			f := float64(x)
			s += f
			q += f * f
		}
	case []float64:
		for _, x := range d {
			s += x
			q += x * x
		}
	}
	return s, q
}
