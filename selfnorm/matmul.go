package selfnorm

import (
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	"github.com/selunet/selunet/internal/sgemm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// mulOp is a forward-only float32 matrix product (m×k)·(k×n) → (m×n) backed
// by the AVX2 kernel of internal/sgemm; selfnorm never differentiates, so it
// implements only gorgonia.Op.
type mulOp struct{}

var _ gorgonia.Op = mulOp{}

func (mulOp) Arity() int { return 2 }
func (mulOp) Type() hm.Type {
	m := gorgonia.TensorType{Dims: 2, Of: tensor.Float32}
	return hm.NewFnType(m, m, m)
}
func (mulOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	if len(ds) != 2 {
		return nil, fmt.Errorf("selfnorm: matmul wants 2 inputs, got %d", len(ds))
	}
	a, ok1 := ds[0].(tensor.Shape)
	b, ok2 := ds[1].(tensor.Shape)
	if !ok1 || !ok2 || len(a) != 2 || len(b) != 2 || a[1] != b[0] {
		return nil, fmt.Errorf("selfnorm: matmul shapes %v × %v", ds[0], ds[1])
	}
	return tensor.Shape{a[0], b[1]}, nil
}
func (mulOp) ReturnsPtr() bool         { return false }
func (mulOp) CallsExtern() bool        { return false }
func (mulOp) OverwritesInput() int     { return -1 }
func (mulOp) String() string           { return "sgemm" }
func (op mulOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op mulOp) Hashcode() uint32      { h := fnv.New32a(); op.WriteHash(h); return h.Sum32() }

func (mulOp) Do(vs ...gorgonia.Value) (gorgonia.Value, error) {
	if len(vs) != 2 {
		return nil, fmt.Errorf("selfnorm: matmul wants 2 values, got %d", len(vs))
	}
	a, ok1 := vs[0].(*tensor.Dense)
	b, ok2 := vs[1].(*tensor.Dense)
	if !ok1 || !ok2 || a.Dtype() != tensor.Float32 || b.Dtype() != tensor.Float32 || a.RequiresIterator() || b.RequiresIterator() {
		return nil, fmt.Errorf("selfnorm: matmul wants contiguous float32 dense matrices")
	}
	m, k, n := a.Shape()[0], a.Shape()[1], b.Shape()[1]
	c := tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(m, n))
	sgemm.Mul(c.Float32s(), a.Float32s(), b.Float32s(), m, k, n)
	return c, nil
}

// matMul is h·w: the sgemm op for float32, gorgonia.Mul otherwise.
func matMul(h, w *gorgonia.Node) (*gorgonia.Node, error) {
	if h.Dtype() == tensor.Float32 {
		return gorgonia.ApplyOp(mulOp{}, h, w)
	}
	return gorgonia.Mul(h, w)
}
