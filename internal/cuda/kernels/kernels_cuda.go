//go:build cuda

package kernels

import (
	"embed"
	"fmt"
	"math"
	"path"
	"regexp"
	"sort"
	"strings"
	"unsafe"

	"github.com/selunet/selunet/internal/cuda/probe"
	"gorgonia.org/cu"
	"gorgonia.org/gorgonia"
)

//go:embed ptx
var ptxFS embed.FS

// Module is the name under which selunet's kernels are registered.
const Module = "selunet"

// Arch is the PTX target registered for this process's device:
// "compute_90" or "compute_70".
var Arch = archFor(probe.Info().Major)

func archFor(major int) string {
	if major >= 9 {
		return "compute_90"
	}
	return "compute_70"
}

var entryRE = regexp.MustCompile(`(?m)^\.visible \.entry ([A-Za-z_][A-Za-z0-9_]*)\(`)

func init() {
	mods, err := Modules(Arch)
	if err != nil {
		panic(err) // the embedded files are part of the binary: cannot fail
	}
	for _, m := range mods {
		gorgonia.AddToStdLib(m.Name, m.PTX, m.Funcs)
	}
}

// PTXModule is one PTX module with its kernel names.
type PTXModule struct {
	Name  string
	PTX   string
	Funcs []string
}

// Modules returns the embedded modules for arch ("compute_70" or
// "compute_90"), sorted by name.
func Modules(arch string) ([]PTXModule, error) {
	dir := path.Join("ptx", arch)
	ents, err := ptxFS.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("kernels: no PTX for %s: %w", arch, err)
	}
	var mods []PTXModule
	for _, e := range ents {
		b, err := ptxFS.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		m := PTXModule{Name: strings.TrimSuffix(e.Name(), ".ptx"), PTX: string(b)}
		for _, sm := range entryRE.FindAllStringSubmatch(m.PTX, -1) {
			m.Funcs = append(m.Funcs, sm[1])
		}
		mods = append(mods, m)
	}
	sort.Slice(mods, func(i, j int) bool { return mods[i].Name < mods[j].Name })
	return mods, nil
}

// Ptr is a kernel argument holding a device address (or 0 for NULL).
type Ptr uintptr

// PtrOf returns the device address of v, or 0 for a nil value.
func PtrOf(v gorgonia.Value) Ptr {
	if v == nil {
		return 0
	}
	return Ptr(v.Uintptr())
}

const (
	threads   = 256
	maxBlocks = 8192
)

// Launch runs kernel fn of module "selunet" on dev of extern's machine with
// enough 256-thread blocks to cover n elements (the kernels loop with a
// grid stride), and waits for it. args are Ptr, int, int64, uint64 or
// float64, each passed in one 8-byte slot as gorgonia.org/cu requires.
func Launch(extern gorgonia.External, dev gorgonia.Device, fn string, n int, args ...any) error {
	blocks := min(max((n+threads-1)/threads, 1), maxBlocks)
	return launch(extern, dev, fn, blocks, threads, args)
}

// LaunchBlock runs fn as one block of 256 threads (the reduction kernels).
func LaunchBlock(extern gorgonia.External, dev gorgonia.Device, fn string, args ...any) error {
	return launch(extern, dev, fn, 1, threads, args)
}

// LaunchThreads runs fn with at least n threads in 256-thread blocks.
func LaunchThreads(extern gorgonia.External, dev gorgonia.Device, fn string, n int, args ...any) error {
	return launch(extern, dev, fn, max((n+threads-1)/threads, 1), threads, args)
}

func launch(extern gorgonia.External, dev gorgonia.Device, fn string, blocks, bs int, args []any) error {
	m, ok := extern.(gorgonia.CUDAMachine)
	if !ok {
		return fmt.Errorf("kernels: %s: %T is not a CUDA machine", fn, extern)
	}
	d := int(dev)
	if d < 0 || d >= len(m.Engines()) {
		return fmt.Errorf("kernels: %s: no CUDA engine for device %d", fn, d)
	}
	f, ok := m.Engines()[d].Functions()[Module+"."+fn]
	if !ok {
		return fmt.Errorf("kernels: function %s.%s is not loaded (was the machine built before kernels' init?)", Module, fn)
	}
	slots := make([]uint64, len(args))
	ptrs := make([]unsafe.Pointer, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case Ptr:
			slots[i] = uint64(v)
		case int:
			slots[i] = uint64(int64(v))
		case int64:
			slots[i] = uint64(v)
		case uint64:
			slots[i] = v
		case float64:
			slots[i] = math.Float64bits(v)
		default:
			return fmt.Errorf("kernels: %s: argument %d has type %T; want Ptr, int, int64, uint64 or float64", fn, i, a)
		}
		ptrs[i] = unsafe.Pointer(&slots[i])
	}
	// LaunchKernel copies the slots into C memory before it returns.
	m.Contexts()[d].LaunchAndSync(f, blocks, 1, 1, bs, 1, 1, 0, cu.NoStream, ptrs)
	return nil
}
