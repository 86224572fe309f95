//go:build cuda

package kernels

import (
	"fmt"
	"runtime"
	"unsafe"

	"gorgonia.org/cu"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Suffix returns the kernel name suffix for v's dtype ("f32" or "f64").
func Suffix(v gorgonia.Value) (string, error) {
	switch v.Dtype() {
	case tensor.Float32:
		return "f32", nil
	case tensor.Float64:
		return "f64", nil
	}
	return "", fmt.Errorf("kernels: dtype %v has no GPU kernel (want Float32 or Float64)", v.Dtype())
}

// Len returns the number of elements of a scalar or a contiguous tensor,
// and an error for a view that needs an iterator.
func Len(v gorgonia.Value) (int, error) {
	switch t := v.(type) {
	case *gorgonia.F32, *gorgonia.F64:
		return 1, nil
	case *tensor.Dense:
		if t.RequiresIterator() {
			return 0, fmt.Errorf("kernels: a strided view cannot be passed to a GPU kernel")
		}
		return t.Len(), nil
	case nil:
		return 0, fmt.Errorf("kernels: nil value")
	}
	return 0, fmt.Errorf("kernels: unsupported value %T", v)
}

// Output checks that out (the preallocated output of a CUDADo) holds n
// elements of dtype like's and returns it.
func Output(out, like gorgonia.Value, n int) (gorgonia.Value, error) {
	if out == nil {
		return nil, fmt.Errorf("kernels: no preallocated output (the op must report CallsExtern() = true)")
	}
	m, err := Len(out)
	if err != nil {
		return nil, err
	}
	if m != n || out.Dtype() != like.Dtype() {
		return nil, fmt.Errorf("kernels: output has %d %v, want %d %v", m, out.Dtype(), n, like.Dtype())
	}
	return out, nil
}

// Map runs the elementwise kernel name_<dtype> as
// name(out, ins..., n, consts...) over the n elements of ins[0] and
// returns out. All values must have ins[0]'s dtype and length.
func Map(extern gorgonia.External, dev gorgonia.Device, name string, out gorgonia.Value, ins []gorgonia.Value, consts ...float64) (gorgonia.Value, error) {
	sfx, err := Suffix(ins[0])
	if err != nil {
		return nil, err
	}
	n, err := Len(ins[0])
	if err != nil {
		return nil, err
	}
	for _, v := range ins[1:] {
		if m, err := Len(v); err != nil || m != n || v.Dtype() != ins[0].Dtype() {
			return nil, fmt.Errorf("kernels: %s: inputs differ in length or dtype", name)
		}
	}
	if out, err = Output(out, ins[0], n); err != nil {
		return nil, fmt.Errorf("kernels: %s: %w", name, err)
	}
	args := []any{PtrOf(out)}
	for _, v := range ins {
		args = append(args, PtrOf(v))
	}
	args = append(args, n)
	for _, c := range consts {
		args = append(args, c)
	}
	return out, Launch(extern, dev, name+"_"+sfx, n, args...)
}

// Sync waits until the work queued on extern's devices has run, after
// which the host may read and write their (managed) memory.
func Sync(extern gorgonia.External) { extern.Signal() }

// Upload copies src to device memory at dst on dev and waits for the copy.
func Upload(extern gorgonia.External, dev gorgonia.Device, dst Ptr, src []byte) error {
	m, ok := extern.(gorgonia.CUDAMachine)
	if !ok || int(dev) < 0 || int(dev) >= len(m.Contexts()) {
		return fmt.Errorf("kernels: upload: no CUDA context for device %d", dev)
	}
	if len(src) == 0 {
		return nil
	}
	m.Contexts()[int(dev)].MemcpyHtoD(cu.DevicePtr(dst), unsafe.Pointer(&src[0]), int64(len(src)))
	extern.Signal() // runs the queued copy while src is alive
	runtime.KeepAlive(src)
	return nil
}

// Buffer is device memory owned by an op (for example alpha dropout's
// mask), allocated in the machine's CUDA context but outside its memory
// pool: Gorgonia's Reset returns the whole pool (ResetAllocator) after every
// run, which would hand the op's memory to other tensors. The memory lives
// until it grows or the machine's context is destroyed (Close); a Buffer
// used by another machine allocates anew in that machine's context.
type Buffer struct {
	ptr   Ptr
	size  int64
	owner cu.CUContext
}

// Ensure makes b hold at least size bytes in dev's context of extern and
// returns its address. A buffer that grows frees its old memory; the
// contents are not kept.
func (b *Buffer) Ensure(extern gorgonia.External, dev gorgonia.Device, size int64) (Ptr, error) {
	m, ok := extern.(gorgonia.CUDAMachine)
	if !ok || int(dev) < 0 || int(dev) >= len(m.Contexts()) {
		return 0, fmt.Errorf("kernels: buffer: no CUDA context for device %d", dev)
	}
	ctx := m.Contexts()[int(dev)]
	owner := ctx.CUDAContext()
	if b.ptr != 0 && b.owner == owner && b.size >= size {
		return b.ptr, nil
	}
	if b.ptr != 0 && b.owner == owner {
		ctx.MemFree(cu.DevicePtr(b.ptr)) // queued after the kernels that use it
	}
	p, err := ctx.MemAllocManaged(size, cu.AttachGlobal)
	if err != nil {
		return 0, fmt.Errorf("kernels: allocating %d bytes on device %d: %w", size, dev, err)
	}
	b.ptr, b.size, b.owner = Ptr(p), size, owner
	return b.ptr, nil
}

// Existing returns the address of b when it holds at least size bytes in
// dev's context of extern, and an error otherwise.
func (b *Buffer) Existing(extern gorgonia.External, dev gorgonia.Device, size int64) (Ptr, error) {
	m, ok := extern.(gorgonia.CUDAMachine)
	if !ok || int(dev) < 0 || int(dev) >= len(m.Contexts()) {
		return 0, fmt.Errorf("kernels: buffer: no CUDA context for device %d", dev)
	}
	if b.ptr == 0 || b.owner != m.Contexts()[int(dev)].CUDAContext() || b.size < size {
		return 0, fmt.Errorf("kernels: no %d-byte buffer in this machine's context", size)
	}
	return b.ptr, nil
}
