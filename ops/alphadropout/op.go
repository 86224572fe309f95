package alphadropout

import (
	"bytes"
	"fmt"
	"hash"
	"math/rand/v2"

	"github.com/chewxy/hm"
	"github.com/selunet/selunet/graph"
	"github.com/selunet/selunet/ops/kit"
	"github.com/selunet/selunet/ops/selu"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

type config struct {
	mean, variance, alphaPrime float64
	keep                       []bool
}

// Option changes an alpha dropout op.
type Option func(*config)

// WithFixedPoint sets the fixed point (mean, variance) the op preserves
// (default (0, 1)), using the reference code's general a and b.
func WithFixedPoint(mean, variance float64) Option {
	return func(c *config) { c.mean, c.variance = mean, variance }
}

// WithAlphaPrime sets the value of dropped units before the affine
// correction (default selu.AlphaPrime = −λα); use −λα of selu.Solve's
// parameters for another SELU fixed point.
func WithAlphaPrime(v float64) Option { return func(c *config) { c.alphaPrime = v } }

// WithMask freezes the mask (true = kept): every forward pass uses it instead
// of drawing one, so the op is deterministic (for gradient checks). The
// input must then have exactly len(keep) elements, else Do returns an
// error. The slice is copied.
func WithMask(keep []bool) Option {
	keep = append([]bool(nil), keep...)
	return func(c *config) { c.keep = keep }
}

// Apply returns alpha dropout of x with the given rate (= 1 − q) in training
// mode, drawing masks from a PCG seeded with seed (see Op for the stream of
// each call site). In graph.Eval mode, or when rate is 0, it returns x itself
// and adds no node. It returns an error if x is nil or not float32/float64,
// if rate is not in [0, 1), if mode is neither Train nor Eval, or if an
// option is invalid.
func Apply(x *gorgonia.Node, rate float64, mode graph.Mode, seed uint64, opts ...Option) (*gorgonia.Node, error) {
	if x == nil {
		return nil, fmt.Errorf("alphadropout: nil input node")
	}
	if err := checkRate(rate); err != nil {
		return nil, err
	}
	if mode != graph.Train && mode != graph.Eval {
		return nil, fmt.Errorf("alphadropout: invalid mode %v", mode)
	}
	if mode == graph.Eval || rate == 0 {
		return x, nil
	}
	if dt := x.Dtype(); dt != tensor.Float32 && dt != tensor.Float64 {
		return nil, fmt.Errorf("alphadropout: input %v has dtype %v, want Float32 or Float64", x, dt)
	}
	op, err := New(rate, seed, len(Ops(x.Graph())), opts...)
	if err != nil {
		return nil, err
	}
	return gorgonia.ApplyOp(op, x)
}

// Op is one alpha dropout call site in training mode:
//
//	y = a·(x·d + α'·(1 − d)) + b,  d ~ Bernoulli(q) per element, q = 1 − rate
//
// A fresh mask is drawn on every forward execution; the backward pass
// (dx = a·d·dy) reuses the mask of the latest forward pass. The mask comes
// from the op's own PCG, seeded by (seed, stream): Apply uses as stream the
// number of alpha dropout ops already in the graph, so call sites with the
// same seed still get independent masks, and rebuilding a graph the same way
// reproduces them. Each Op hashes uniquely, so two dropouts of one input are
// two nodes. An Op is not safe for concurrent forward passes.
//
// Op implements gorgonia.Op, SDOp and ADOp, and encoding.BinaryMarshaler /
// BinaryUnmarshaler for its RNG state (checkpoints).
type Op struct {
	rate, a, b, drop float64 // drop = a·α' + b, the output of dropped units
	thr              uint64
	pcg              *rand.PCG
	mask             []uint64 // latest (or frozen) mask, bit set = kept
	n                int      // elements covered by mask; -1 if none yet
	frozen           bool
	//lint:ignore U1000 read by the cuda build's kernels only
	gpu gpuState // the device mask (cuda build only)
}

// New returns an op for the given rate with its PCG seeded by (seed, stream).
// It returns an error if rate is not in [0, 1) or the fixed point or α' is
// invalid. A rate of 0 gives an op that keeps everything (a = 1, b = 0).
func New(rate float64, seed uint64, stream int, opts ...Option) (op *Op, err error) {
	if err := checkRate(rate); err != nil {
		return nil, err
	}
	c := config{mean: 0, variance: 1, alphaPrime: selu.AlphaPrime}
	for _, o := range opts {
		o(&c)
	}
	defer func() {
		if r := recover(); r != nil {
			op, err = nil, fmt.Errorf("%v", r)
		}
	}()
	a, b := CoefficientsAt(rate, c.mean, c.variance, c.alphaPrime)
	op = &Op{
		rate: rate, a: a, b: b, drop: a*c.alphaPrime + b,
		thr: threshold(1 - rate),
		pcg: rand.NewPCG(seed, 0xa1fad20f^(uint64(stream)*0x9e3779b97f4a7c15+1)),
		n:   -1,
	}
	if c.keep != nil {
		op.frozen = true
		op.n = len(c.keep)
		op.mask = make([]uint64, (len(c.keep)+63)/64)
		for i, k := range c.keep {
			if k {
				op.mask[i/64] |= 1 << (i % 64)
			}
		}
	}
	return op, nil
}

// Ops returns the alpha dropout ops of g in node order (nil for a nil g).
func Ops(g *gorgonia.ExprGraph) []*Op {
	if g == nil {
		return nil
	}
	var ops []*Op
	for _, n := range g.AllNodes() {
		if op, ok := n.Op().(*Op); ok {
			ops = append(ops, op)
		}
	}
	return ops
}

// Rate returns the dropout rate 1 − q.
func (op *Op) Rate() float64 { return op.rate }

// Coefficients returns the op's affine correction (a, b).
func (op *Op) Coefficients() (a, b float64) { return op.a, op.b }

// Mask returns a copy of the latest (or frozen) mask, true = kept, or nil
// before the first forward pass.
func (op *Op) Mask() []bool {
	if op.n < 0 {
		return nil
	}
	out := make([]bool, op.n)
	for i := range out {
		out[i] = op.mask[i/64]>>(i%64)&1 == 1
	}
	return out
}

// Kept returns the number of kept elements in the latest mask (0 before the
// first forward pass).
func (op *Op) Kept() int {
	if op.n < 0 {
		return 0
	}
	return popcount(op.mask)
}

const stateMagic = "alphadropout/pcg/v1:"

// MarshalBinary returns the op's RNG state (not its rate or mask).
func (op *Op) MarshalBinary() ([]byte, error) {
	b, err := op.pcg.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return append([]byte(stateMagic), b...), nil
}

// UnmarshalBinary restores an RNG state saved by MarshalBinary; it returns an
// error if data was not produced by MarshalBinary.
func (op *Op) UnmarshalBinary(data []byte) error {
	if !bytes.HasPrefix(data, []byte(stateMagic)) {
		return fmt.Errorf("alphadropout: UnmarshalBinary: not an alpha dropout RNG state")
	}
	if op.pcg == nil {
		op.pcg = new(rand.PCG)
	}
	if err := op.pcg.UnmarshalBinary(data[len(stateMagic):]); err != nil {
		return fmt.Errorf("alphadropout: UnmarshalBinary: %w", err)
	}
	return nil
}

// Arity returns 1.
func (op *Op) Arity() int { return 1 }

// Type returns a → a.
func (op *Op) Type() hm.Type { a := hm.TypeVariable('a'); return hm.NewFnType(a, a) }

// InferShape returns the input's shape.
func (op *Op) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	if len(ds) != 1 {
		return nil, fmt.Errorf("alphadropout: want 1 input, got %d", len(ds))
	}
	s, ok := ds[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("alphadropout: input shape is %T", ds[0])
	}
	return s.Clone(), nil
}

// ReturnsPtr returns false.
func (op *Op) ReturnsPtr() bool { return false }

// OverwritesInput returns -1.
func (op *Op) OverwritesInput() int { return -1 }

// WriteHash writes a hash unique to this op (its address).
func (op *Op) WriteHash(h hash.Hash) { fmt.Fprintf(h, "alphadropout(%v,%p)", op.rate, op) }

// Hashcode returns the FNV-1a hash of WriteHash.
func (op *Op) Hashcode() uint32 { return kit.Hashcode(op) }

// String returns "alphadropout(rate)".
func (op *Op) String() string { return fmt.Sprintf("alphadropout(%v)", op.rate) }

// Do draws a new mask (unless frozen) and returns the dropped-out copy of x.
func (op *Op) Do(vs ...gorgonia.Value) (gorgonia.Value, error) {
	if len(vs) != 1 {
		return nil, fmt.Errorf("alphadropout: Do: want 1 value, got %d", len(vs))
	}
	return op.forward(nil, vs[0])
}

// UsePreallocDo is Do into prealloc, which may be the input itself.
func (op *Op) UsePreallocDo(prealloc gorgonia.Value, vs ...gorgonia.Value) (gorgonia.Value, error) {
	if len(vs) != 1 {
		return nil, fmt.Errorf("alphadropout: UsePreallocDo: want 1 value, got %d", len(vs))
	}
	return op.forward(prealloc, vs[0])
}

// prepareMask draws the seeds of every block and sizes the mask for n
// elements; it returns the per-block seeds (nil when frozen).
func (op *Op) prepareMask(n int) ([]uint64, error) {
	if op.frozen {
		if n != op.n {
			return nil, fmt.Errorf("alphadropout: frozen mask has %d elements, input has %d", op.n, n)
		}
		return nil, nil
	}
	words := (n + 63) / 64
	if cap(op.mask) < words {
		op.mask = make([]uint64, words)
	}
	op.mask = op.mask[:words]
	op.n = n
	nb := (n + BlockSize - 1) / BlockSize
	seeds := make([]uint64, nb)
	for i := range seeds {
		seeds[i] = op.pcg.Uint64()
	}
	return seeds, nil
}

func (op *Op) forward(out, x gorgonia.Value) (gorgonia.Value, error) {
	switch v := x.(type) {
	case *gorgonia.F32, *gorgonia.F64:
		seeds, err := op.prepareMask(1)
		if err != nil {
			return nil, err
		}
		if seeds != nil {
			drawMask(op.mask, 1, op.thr, seeds[0])
		}
		kept := op.mask[0]&1 == 1
		if f, ok := v.(*gorgonia.F32); ok {
			r := float32(op.drop)
			if kept {
				r = float32(op.a)*float32(*f) + float32(op.b)
			}
			return gorgonia.NewF32(r), nil
		}
		r := op.drop
		if kept {
			r = op.a*float64(*v.(*gorgonia.F64)) + op.b
		}
		return gorgonia.NewF64(r), nil
	case *tensor.Dense:
		xv, o, err := kit.Prepare(out, v)
		if err != nil {
			return nil, fmt.Errorf("alphadropout: %w", err)
		}
		n := xv.Len()
		seeds, err := op.prepareMask(n)
		if err != nil {
			return nil, err
		}
		nb := (n + BlockSize - 1) / BlockSize
		const wpb = BlockSize / 64
		switch v.Dtype() {
		case tensor.Float32:
			xs, ys := xv.Float32s(), o.Float32s()
			a, b, d := float32(op.a), float32(op.b), float32(op.drop)
			parallelBlocks(nb, 8, func(blk int) {
				lo, hi := blk*BlockSize, min((blk+1)*BlockSize, n)
				m := op.mask[blk*wpb : (hi+63)/64]
				if seeds != nil {
					drawMask(m, hi-lo, op.thr, seeds[blk])
				}
				forward32(ys[lo:hi], xs[lo:hi], m, a, b, d)
			})
		case tensor.Float64:
			xs, ys := xv.Float64s(), o.Float64s()
			parallelBlocks(nb, 8, func(blk int) {
				lo, hi := blk*BlockSize, min((blk+1)*BlockSize, n)
				m := op.mask[blk*wpb : (hi+63)/64]
				if seeds != nil {
					drawMask(m, hi-lo, op.thr, seeds[blk])
				}
				forward64(ys[lo:hi], xs[lo:hi], m, op.a, op.b, op.drop)
			})
		default:
			return nil, fmt.Errorf("alphadropout: unsupported dtype %v", v.Dtype())
		}
		return o, nil
	}
	return nil, fmt.Errorf("alphadropout: unsupported value %T", x)
}

// backward writes (or adds, if accumulate) a·d·dy into dst.
func (op *Op) backward(dst, dy gorgonia.Value, accumulate bool) (gorgonia.Value, error) {
	if op.n < 0 {
		return nil, fmt.Errorf("alphadropout: backward before any forward pass")
	}
	switch g := dy.(type) {
	case *gorgonia.F32:
		r := float32(0)
		if op.mask[0]&1 == 1 {
			r = float32(op.a) * float32(*g)
		}
		if accumulate {
			*dst.(*gorgonia.F32) += gorgonia.F32(r)
			return dst, nil
		}
		return gorgonia.NewF32(r), nil
	case *gorgonia.F64:
		r := 0.0
		if op.mask[0]&1 == 1 {
			r = op.a * float64(*g)
		}
		if accumulate {
			*dst.(*gorgonia.F64) += gorgonia.F64(r)
			return dst, nil
		}
		return gorgonia.NewF64(r), nil
	case *tensor.Dense:
		gv, o, err := kit.Prepare(dst, g)
		if err != nil {
			return nil, fmt.Errorf("alphadropout: %w", err)
		}
		n := gv.Len()
		if n != op.n {
			return nil, fmt.Errorf("alphadropout: gradient has %d elements, mask %d", n, op.n)
		}
		if accumulate && o != dst {
			return nil, fmt.Errorf("alphadropout: cannot accumulate into %T", dst)
		}
		nb := (n + BlockSize - 1) / BlockSize
		const wpb = BlockSize / 64
		switch g.Dtype() {
		case tensor.Float32:
			gs, ds := gv.Float32s(), o.Float32s()
			a := float32(op.a)
			parallelBlocks(nb, 8, func(blk int) {
				lo, hi := blk*BlockSize, min((blk+1)*BlockSize, n)
				m := op.mask[blk*wpb : (hi+63)/64]
				if accumulate {
					tmp := make([]float32, hi-lo)
					backward32(tmp, gs[lo:hi], m, a)
					for i, v := range tmp {
						ds[lo+i] += v
					}
					return
				}
				backward32(ds[lo:hi], gs[lo:hi], m, a)
			})
		case tensor.Float64:
			gs, ds := gv.Float64s(), o.Float64s()
			parallelBlocks(nb, 8, func(blk int) {
				lo, hi := blk*BlockSize, min((blk+1)*BlockSize, n)
				backward64(ds[lo:hi], gs[lo:hi], op.mask[blk*wpb:(hi+63)/64], op.a, accumulate)
			})
		default:
			return nil, fmt.Errorf("alphadropout: unsupported dtype %v", g.Dtype())
		}
		return o, nil
	}
	return nil, fmt.Errorf("alphadropout: unsupported gradient %T", dy)
}

// DiffWRT returns [true].
func (op *Op) DiffWRT(int) []bool { return []bool{true} }

// SymDiff returns dx = GradOp(y, dy) = a·d·dy with the latest forward mask;
// y is an input only so that the gradient runs after the forward pass.
func (op *Op) SymDiff(in gorgonia.Nodes, out, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("alphadropout: SymDiff: want 1 input, got %d", len(in))
	}
	dx, err := gorgonia.ApplyOp(&GradOp{fwd: op}, out, grad)
	if err != nil {
		return nil, err
	}
	return gorgonia.Nodes{dx}, nil
}

// DoDiff adds a·d·dy into x's gradient (LispMachine).
func (op *Op) DoDiff(_ gorgonia.ExecutionContext, in gorgonia.Nodes, out *gorgonia.Node) error {
	if len(in) != 1 {
		return fmt.Errorf("alphadropout: DoDiff: want 1 input, got %d", len(in))
	}
	xg, err := in[0].Grad()
	if err != nil {
		return fmt.Errorf("alphadropout: DoDiff: input grad: %w", err)
	}
	dy, err := out.Grad()
	if err != nil {
		return fmt.Errorf("alphadropout: DoDiff: output grad: %w", err)
	}
	_, err = op.backward(xg, dy, true)
	return err
}

// GradOp computes dx = a·d·dy from (y, dy) with the mask of its forward Op.
// It is created by Op.SymDiff and is not differentiable.
type GradOp struct{ fwd *Op }

var (
	_ gorgonia.Op              = (*Op)(nil)
	_ gorgonia.SDOp            = (*Op)(nil)
	_ gorgonia.ADOp            = (*Op)(nil)
	_ gorgonia.UsePreallocDoer = (*Op)(nil)
	_ gorgonia.Op              = (*GradOp)(nil)
	_ gorgonia.UsePreallocDoer = (*GradOp)(nil)
)

// Arity returns 2.
func (op *GradOp) Arity() int { return 2 }

// Type returns a → a → a.
func (op *GradOp) Type() hm.Type { a := hm.TypeVariable('a'); return hm.NewFnType(a, a, a) }

// InferShape returns the first input's shape.
func (op *GradOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	if len(ds) != 2 {
		return nil, fmt.Errorf("alphadropout: grad: want 2 inputs, got %d", len(ds))
	}
	s, ok := ds[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("alphadropout: grad: input shape is %T", ds[0])
	}
	return s.Clone(), nil
}

// ReturnsPtr returns false.
func (op *GradOp) ReturnsPtr() bool { return false }

// OverwritesInput returns -1.
func (op *GradOp) OverwritesInput() int { return -1 }

// WriteHash writes a hash unique to the forward op.
func (op *GradOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "alphadropoutGrad(%p)", op.fwd) }

// Hashcode returns the FNV-1a hash of WriteHash.
func (op *GradOp) Hashcode() uint32 { return kit.Hashcode(op) }

// String returns "alphadropoutGrad".
func (op *GradOp) String() string { return "alphadropoutGrad" }

// Do computes dx from (y, dy) into a new value.
func (op *GradOp) Do(vs ...gorgonia.Value) (gorgonia.Value, error) {
	if len(vs) != 2 {
		return nil, fmt.Errorf("alphadropout: grad: want 2 values, got %d", len(vs))
	}
	return op.fwd.backward(nil, vs[1], false)
}

// UsePreallocDo computes dx into prealloc, which may alias y or dy.
func (op *GradOp) UsePreallocDo(prealloc gorgonia.Value, vs ...gorgonia.Value) (gorgonia.Value, error) {
	if len(vs) != 2 {
		return nil, fmt.Errorf("alphadropout: grad: want 2 values, got %d", len(vs))
	}
	if _, ok := prealloc.(*tensor.Dense); !ok {
		prealloc = nil
	}
	return op.fwd.backward(prealloc, vs[1], false)
}
