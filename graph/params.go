package graph

import (
	"fmt"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Param is a named tensor that lives outside any graph, so one set of weights
// can be bound into several graphs (a train graph and an eval graph) that then
// share the same *tensor.Dense. Trainable is false for fixed tensors such as
// running statistics; Params.Nodes skips those.
type Param struct {
	Name      string
	Value     *tensor.Dense
	Trainable bool
}

// Node returns the input node of g bound to p.Value: the same backing array,
// not a copy, so in-place updates of p.Value (by a solver or CopyFrom) are seen
// by every machine on every graph that holds the node. Node is idempotent per
// graph: a second call for the same g returns the same node (it is found by
// name and by identity of the bound tensor, so p keeps no per-graph state).
// Node panics if p or g is nil, if p.Value is nil, or if g already holds a
// different value under p.Name.
func (p *Param) Node(g *gorgonia.ExprGraph) *gorgonia.Node {
	if p == nil || g == nil || p.Value == nil {
		panic("graph: Param.Node: nil param, value or graph")
	}
	if n := p.Lookup(g); n != nil {
		return n
	}
	if len(g.ByName(p.Name)) > 0 {
		panic(fmt.Sprintf("graph: Param.Node: graph already has a node named %q bound to another value", p.Name))
	}
	dt := p.Value.Dtype()
	s := p.Value.Shape()
	opts := []gorgonia.NodeConsOpt{gorgonia.WithName(p.Name), gorgonia.WithValue(p.Value)}
	var n *gorgonia.Node
	switch len(s) {
	case 0:
		n = gorgonia.NewScalar(g, dt, opts...)
	default:
		n = gorgonia.NewTensor(g, dt, len(s), append(opts, gorgonia.WithShape(s.Clone()...))...)
	}
	if v, ok := n.Value().(*tensor.Dense); !ok || v != p.Value {
		panic(fmt.Sprintf("graph: Param.Node: node %q was merged with another node of g", p.Name))
	}
	return n
}

// Lookup returns the node of g bound to p.Value, or nil if Node(g) has not
// been called yet (or p, g or p.Value is nil). It never adds nodes.
func (p *Param) Lookup(g *gorgonia.ExprGraph) *gorgonia.Node {
	if p == nil || g == nil || p.Value == nil {
		return nil
	}
	for _, n := range g.ByName(p.Name) {
		if v, ok := n.Value().(*tensor.Dense); ok && v == p.Value {
			return n
		}
	}
	return nil
}

// Params is an ordered, name-unique set of parameters of one dtype with its
// own seeded RNG (math/rand/v2 PCG) for initialization. The zero value is not
// usable; call NewParams. A Params is not safe for concurrent Add calls.
type Params struct {
	dt     tensor.Dtype
	pcg    *rand.PCG
	rng    *rand.Rand
	list   []*Param
	byName map[string]*Param
}

// NewParams returns an empty set whose tensors have dtype dt and whose
// initializers draw from a PCG seeded with seed. It panics if dt is not
// tensor.Float32 or tensor.Float64.
func NewParams(dt tensor.Dtype, seed uint64) *Params {
	if dt != tensor.Float32 && dt != tensor.Float64 {
		panic(fmt.Sprintf("graph: NewParams: dtype %v not supported (want Float32 or Float64)", dt))
	}
	pcg := rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)
	return &Params{dt: dt, pcg: pcg, rng: rand.New(pcg), byName: map[string]*Param{}}
}

// Dtype returns the dtype of every tensor in ps.
func (ps *Params) Dtype() tensor.Dtype { return ps.dt }

// Len returns the number of parameters.
func (ps *Params) Len() int { return len(ps.list) }

// Size returns the total number of scalar elements over all parameters.
func (ps *Params) Size() int {
	n := 0
	for _, p := range ps.list {
		n += p.Value.Shape().TotalSize()
	}
	return n
}

// Add creates a trainable parameter of the given shape filled by init (drawing
// from ps's RNG) and appends it. It panics if name is empty or already used,
// if shape has a non-positive dimension, if init is nil, or if init returns a
// tensor of another dtype or shape.
func (ps *Params) Add(name string, shape tensor.Shape, init Initializer) *Param {
	return ps.add(name, shape, init, true)
}

// AddFixed is Add with Trainable = false (e.g. running statistics); such
// parameters are bound by Param.Node but left out of Nodes.
func (ps *Params) AddFixed(name string, shape tensor.Shape, init Initializer) *Param {
	return ps.add(name, shape, init, false)
}

func (ps *Params) add(name string, shape tensor.Shape, init Initializer, trainable bool) *Param {
	if name == "" {
		panic("graph: Params.Add: empty name")
	}
	if _, dup := ps.byName[name]; dup {
		panic(fmt.Sprintf("graph: Params.Add: duplicate name %q", name))
	}
	if init == nil {
		panic(fmt.Sprintf("graph: Params.Add %q: nil initializer", name))
	}
	for _, d := range shape {
		if d <= 0 {
			panic(fmt.Sprintf("graph: Params.Add %q: bad shape %v", name, shape))
		}
	}
	v := init(ps.rng, ps.dt, shape)
	if v == nil || v.Dtype() != ps.dt || !v.Shape().Eq(shape) {
		panic(fmt.Sprintf("graph: Params.Add %q: initializer returned a wrong tensor", name))
	}
	p := &Param{Name: name, Value: v, Trainable: trainable}
	ps.list = append(ps.list, p)
	ps.byName[name] = p
	return p
}

// Get returns the parameter called name, or nil if there is none.
func (ps *Params) Get(name string) *Param { return ps.byName[name] }

// All returns every parameter in insertion order. The slice is a copy; the
// *Param values are shared.
func (ps *Params) All() []*Param { return append([]*Param(nil), ps.list...) }

// Nodes returns the nodes in g (created by Param.Node if absent) of the
// trainable parameters, in insertion order: the list to hand to gorgonia.Grad,
// BindDualValues and a solver.
func (ps *Params) Nodes(g *gorgonia.ExprGraph) gorgonia.Nodes {
	var ns gorgonia.Nodes
	for _, p := range ps.list {
		if p.Trainable {
			ns = append(ns, p.Node(g))
		}
	}
	return ns
}

// NodesIn is Nodes restricted to parameters that already have a node in g;
// it never adds nodes (useful when a graph uses only some of ps).
func (ps *Params) NodesIn(g *gorgonia.ExprGraph) gorgonia.Nodes {
	var ns gorgonia.Nodes
	for _, p := range ps.list {
		if p.Trainable {
			if n := p.Lookup(g); n != nil {
				ns = append(ns, n)
			}
		}
	}
	return ns
}

// Clone returns a deep copy: new tensors with the same values, names and
// trainable flags, and an RNG in the same state. Use it to keep the best
// weights seen so far.
func (ps *Params) Clone() *Params {
	state, err := ps.pcg.MarshalBinary()
	if err != nil {
		panic("graph: Params.Clone: " + err.Error()) // PCG.MarshalBinary never fails
	}
	pcg := new(rand.PCG)
	if err := pcg.UnmarshalBinary(state); err != nil {
		panic("graph: Params.Clone: " + err.Error())
	}
	c := &Params{dt: ps.dt, pcg: pcg, rng: rand.New(pcg), byName: map[string]*Param{}}
	for _, p := range ps.list {
		q := &Param{Name: p.Name, Value: p.Value.Clone().(*tensor.Dense), Trainable: p.Trainable}
		c.list = append(c.list, q)
		c.byName[q.Name] = q
	}
	return c
}

// CopyFrom copies every value of src into the tensor of the same name in ps,
// in place (graphs bound to ps see the new values). It returns an error,
// and copies nothing, if the dtypes, the sets of names or any shape differ.
func (ps *Params) CopyFrom(src *Params) error {
	if src == nil {
		return fmt.Errorf("graph: CopyFrom: nil source")
	}
	if src.dt != ps.dt {
		return fmt.Errorf("graph: CopyFrom: dtype %v, want %v", src.dt, ps.dt)
	}
	if len(src.list) != len(ps.list) {
		return fmt.Errorf("graph: CopyFrom: %d params, want %d", len(src.list), len(ps.list))
	}
	for _, p := range ps.list {
		q := src.byName[p.Name]
		if q == nil {
			return fmt.Errorf("graph: CopyFrom: source has no param %q", p.Name)
		}
		if !q.Value.Shape().Eq(p.Value.Shape()) {
			return fmt.Errorf("graph: CopyFrom: param %q has shape %v, want %v", p.Name, q.Value.Shape(), p.Value.Shape())
		}
	}
	for _, p := range ps.list {
		q := src.byName[p.Name]
		if p.Value == q.Value {
			continue
		}
		switch ps.dt {
		case tensor.Float32:
			copy(p.Value.Float32s(), q.Value.Float32s())
		default:
			copy(p.Value.Float64s(), q.Value.Float64s())
		}
	}
	return nil
}

// ZeroGrads sets to zero the gradients (dual values) of ps's trainable
// parameters bound in g. A TapeMachine built with BindDualValues ADDS each
// run's gradient into them (Gorgonia v0.9.18 behaviour; its solvers zero them
// in Step), so call ZeroGrads before a run whose gradients you read without
// a solver step. Parameters without a node or a gradient in g are skipped.
func (ps *Params) ZeroGrads(g *gorgonia.ExprGraph) {
	for _, n := range ps.NodesIn(g) {
		gv, err := n.Grad()
		if err != nil {
			continue
		}
		if t, ok := gv.(tensor.Tensor); ok {
			t.Zero()
		}
	}
}
