//go:build cuda

package check

import (
	"fmt"
	"time"
	"unsafe"

	"gorgonia.org/cu"
)

// Copies times repeats host→device and device→host copies of bytes bytes
// between pageable Go memory and managed device memory (what Gorgonia's
// engine allocates), each copy synchronous, on a context of its own on
// device 0, and returns the median of each direction.
func Copies(bytes int64, repeats int) (CopyResult, error) {
	r := CopyResult{Bytes: bytes, Repeats: repeats}
	if repeats < 1 || bytes < 1 {
		return r, fmt.Errorf("check: copies: want bytes and repeats ≥ 1")
	}
	dev, err := cu.GetDevice(0)
	if err != nil {
		return r, err
	}
	ctx := cu.NewContext(dev, cu.SchedAuto)
	defer ctx.Close()
	mem, err := ctx.MemAllocManaged(bytes, cu.AttachGlobal)
	if err != nil {
		return r, fmt.Errorf("check: copies: %w", err)
	}
	defer ctx.MemFree(mem)
	host := make([]byte, bytes)
	for i := range host {
		host[i] = byte(i)
	}
	src := unsafe.Pointer(&host[0])
	var up, down []time.Duration
	for range repeats + 1 { // the first round warms up
		t0 := time.Now()
		ctx.MemcpyHtoD(mem, src, bytes)
		ctx.Synchronize()
		t1 := time.Now()
		ctx.MemcpyDtoH(src, mem, bytes)
		ctx.Synchronize()
		up, down = append(up, t1.Sub(t0)), append(down, time.Since(t1))
		if err := ctx.Error(); err != nil {
			return r, fmt.Errorf("check: copies: %w", err)
		}
	}
	r.HtoDMs, r.DtoHMs = ms(median(up[1:])), ms(median(down[1:]))
	return r, nil
}
