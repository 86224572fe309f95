// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

package backend

import (
	"fmt"
	"reflect"
	"slices"
	"unsafe"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Keeper resets a Gorgonia tape machine between runs like its Reset method
// but keeps the intermediate tensors it allocated, so that the next run
// writes into them (through the ops' UsePreallocDo) instead of allocating
// every intermediate again. See the package documentation for the rules
// that make this safe.
//
// A Keeper is not safe for concurrent use; use it from the goroutine that
// runs the machine. The zero value is not usable; call NewKeeper.
type Keeper struct {
	vm     gorgonia.VM
	cpumem *[]gorgonia.Value
	g      *gorgonia.ExprGraph
	off    uintptr // offset of gorgonia.Node.boundTo
	dvOff  uintptr // offset of gorgonia.dualValue.d (0 until seen)
	dvType reflect.Type

	first  []firstWriter // per register: the first instruction that writes it
	byOp   map[int64]bool
	inputs gorgonia.Nodes // nodes whose values are not written by execOp
	all    gorgonia.Nodes

	saved []gorgonia.Value
	spans []span
	kept  int
}

// firstWriter is the first instruction of the program that writes a
// register: only registers first written by an op (execOp or alloc) of a
// known node can be kept, and only with that node's dtype and shape.
type firstWriter struct {
	ok    bool
	dtype tensor.Dtype
	shape tensor.Shape
}

// span is a byte range of memory: a candidate register (reg ≥ 0) or memory
// that must not be written by the next run (reg = -1).
type span struct {
	lo, hi uintptr
	reg    int
}

var (
	valueType = reflect.TypeOf((*gorgonia.Value)(nil)).Elem()
	valuesTyp = reflect.TypeOf([]gorgonia.Value(nil))
)

// NewKeeper prepares a Keeper for vm. It panics if vm is not a tape machine
// made by gorgonia.NewTapeMachine, or if the Gorgonia version has a
// different internal layout than gorgonia.org/gorgonia v0.9.18 (the fields
// and instruction types it reads are checked by name and type).
func NewKeeper(vm gorgonia.VM) *Keeper {
	rv := reflect.ValueOf(vm)
	if rv.Kind() != reflect.Pointer || rv.Type().String() != "*gorgonia.tapeMachine" {
		panic(fmt.Sprintf("backend: NewKeeper needs a *gorgonia.tapeMachine, got %T", vm))
	}
	st := rv.Elem()
	f := st.FieldByName("cpumem")
	if !f.IsValid() || f.Type() != valuesTyp {
		panic("backend: NewKeeper: tapeMachine.cpumem not found; unsupported Gorgonia version")
	}
	k := &Keeper{vm: vm, cpumem: (*[]gorgonia.Value)(unsafe.Pointer(f.UnsafeAddr()))}

	pm := rv.MethodByName("Prog")
	if !pm.IsValid() {
		panic("backend: NewKeeper: tapeMachine.Prog not found; unsupported Gorgonia version")
	}
	prog := pm.Call(nil)[0]
	k.g = prog.MethodByName("Graph").Call(nil)[0].Interface().(*gorgonia.ExprGraph)

	bf, ok := reflect.TypeOf((*gorgonia.Node)(nil)).Elem().FieldByName("boundTo")
	if !ok || bf.Type != valueType {
		panic("backend: NewKeeper: Node.boundTo not found; unsupported Gorgonia version")
	}
	k.off = bf.Offset

	n := len(*k.cpumem)
	k.first = make([]firstWriter, n)
	k.saved = make([]gorgonia.Value, n)
	seen := make([]bool, n)
	k.byOp = map[int64]bool{}
	instrs := prog.Elem().FieldByName("instructions")
	if !instrs.IsValid() || instrs.Kind() != reflect.Slice {
		panic("backend: NewKeeper: program.instructions not found; unsupported Gorgonia version")
	}
	usable := true
	for i := 0; i < instrs.Len(); i++ {
		in := instrs.Index(i).Elem()
		if in.Kind() == reflect.Pointer {
			in = in.Elem()
		}
		name := in.Type().Name()
		var withNode bool
		switch name {
		case "execOp", "alloc":
			withNode = true
		case "loadArg", "letInstr":
		case "free", "readInstr", "flushInstr":
			continue
		default:
			usable = false // an instruction we do not understand: keep nothing
			continue
		}
		w := in.FieldByName("writeTo")
		if !w.IsValid() || w.NumField() != 2 {
			panic("backend: NewKeeper: instruction " + name + " has no writeTo register; unsupported Gorgonia version")
		}
		reg, dev := int(w.Field(0).Int()), w.Field(1).Int()
		var id int64 = -1
		if withNode {
			id = in.FieldByName("id").Int()
			if name == "execOp" {
				k.byOp[id] = true
			}
		}
		if dev != int64(gorgonia.CPU) || reg < 0 || reg >= n || seen[reg] {
			continue
		}
		seen[reg] = true
		if !withNode {
			continue
		}
		node, ok := k.g.Node(id).(*gorgonia.Node)
		if !ok || node == nil {
			continue
		}
		k.first[reg] = firstWriter{ok: true, dtype: node.Dtype(), shape: node.Shape().Clone()}
	}
	if !usable {
		clear(k.first)
	}
	k.all = k.g.AllNodes()
	for _, nd := range k.all {
		if !k.byOp[nd.ID()] {
			k.inputs = append(k.inputs, nd)
		}
	}
	k.spans = make([]span, 0, n+2*len(k.all))
	return k
}

// Reset prepares the machine for the next run like vm.Reset() (program
// counter to 0, every register cleared) and then puts back the tensors that
// the next run may safely overwrite. Values bound to op nodes by the last run
// (node.Value()) are therefore overwritten by the next run; copy any you
// need before calling Reset, as gorgonia.Read does.
func (k *Keeper) Reset() {
	mem := *k.cpumem
	copy(k.saved, mem)
	k.vm.Reset()

	// memory that the next run must not write: the values of every node that
	// no op writes (weights, inputs, constants) and every gradient kept in a
	// dual value (what solvers read)
	k.spans = k.spans[:0]
	for _, nd := range k.inputs {
		k.addForbidden(nd.Value())
	}
	for _, nd := range k.all {
		k.addForbidden(k.deriv(nd))
	}
	for r, v := range k.saved {
		fw := k.first[r]
		d, ok := v.(*tensor.Dense)
		if !fw.ok || !ok || d.IsView() || d.IsMasked() || !d.IsNativelyAccessible() ||
			d.Dtype() != fw.dtype || !d.Shape().Eq(fw.shape) {
			continue
		}
		lo := d.Uintptr()
		k.spans = append(k.spans, span{lo: lo, hi: lo + max(d.MemSize(), 1), reg: r})
	}
	slices.SortFunc(k.spans, func(a, b span) int {
		switch {
		case a.lo < b.lo:
			return -1
		case a.lo > b.lo:
			return 1
		}
		return 0
	})
	// keep a candidate only if its memory overlaps nothing else
	k.kept = 0
	for i := 0; i < len(k.spans); {
		j, hi := i+1, k.spans[i].hi
		for j < len(k.spans) && k.spans[j].lo < hi {
			hi = max(hi, k.spans[j].hi)
			j++
		}
		if j == i+1 && k.spans[i].reg >= 0 {
			r := k.spans[i].reg
			mem[r] = k.saved[r]
			k.kept++
		}
		i = j
	}
	clear(k.saved)
}

// Kept returns how many registers the last Reset kept.
func (k *Keeper) Kept() int { return k.kept }

// Registers returns the number of CPU registers of the machine.
func (k *Keeper) Registers() int { return len(k.saved) }

func (k *Keeper) addForbidden(v gorgonia.Value) {
	if v == nil {
		return
	}
	lo := v.Uintptr()
	if lo == 0 {
		return
	}
	k.spans = append(k.spans, span{lo: lo, hi: lo + max(v.MemSize(), 1), reg: -1})
}

// deriv returns the derivative held in nd's dual value, or nil.
func (k *Keeper) deriv(nd *gorgonia.Node) gorgonia.Value {
	bt := *(*gorgonia.Value)(unsafe.Add(unsafe.Pointer(nd), k.off))
	if bt == nil {
		return nil
	}
	t := reflect.TypeOf(bt)
	if k.dvType == nil {
		if t.String() != "*gorgonia.dualValue" {
			return nil
		}
		f, ok := t.Elem().FieldByName("d")
		if !ok || f.Type != valueType {
			panic("backend: Keeper: dualValue.d not found; unsupported Gorgonia version")
		}
		k.dvType, k.dvOff = t, f.Offset
	}
	if t != k.dvType {
		return nil
	}
	return *(*gorgonia.Value)(unsafe.Add(reflect.ValueOf(bt).UnsafePointer(), k.dvOff))
}
