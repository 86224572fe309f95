//go:build !cuda

package check

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/selunet/selunet/ops/alphadropout"
	"github.com/selunet/selunet/ops/selu"
	"gorgonia.org/tensor"
)

// emulator runs internal/cuda/kernels/emu (the CUDA kernels compiled for the
// host, one std::thread per CUDA thread) as a subprocess.
type emulator struct {
	in io.WriteCloser
	sc *bufio.Scanner
	w  *bufio.Writer
}

func startEmulator(t *testing.T) *emulator {
	t.Helper()
	if _, err := exec.LookPath("g++"); err != nil {
		t.Skip("needs g++ to build the kernel emulator")
	}
	bin := filepath.Join(t.TempDir(), "emu")
	if out, err := exec.Command("g++", "-std=c++20", "-O1", "-pthread", "-w", "-o", bin, "../kernels/emu/emu.cc").CombinedOutput(); err != nil {
		t.Fatalf("building the emulator: %v\n%s", err, out)
	}
	cmd := exec.Command(bin)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(); cmd.Wait() })
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	return &emulator{in: in, sc: sc, w: bufio.NewWriterSize(in, 1<<20)}
}

// call launches kernel on blocks × threads emulated threads. Arguments:
// []float32 (a buffer), []byte (a byte buffer), nil (NULL), int, uint64,
// float64. out(i) returns buffer argument i afterwards.
func (e *emulator) call(kernel string, blocks, threads int, args ...any) {
	fmt.Fprintf(e.w, "%s %d %d %d\n", kernel, blocks, threads, len(args))
	for _, a := range args {
		switch v := a.(type) {
		case []float32:
			fmt.Fprintf(e.w, "buf %d\n", len(v))
			for _, x := range v {
				e.w.WriteString(strconv.FormatFloat(float64(x), 'g', -1, 32))
				e.w.WriteByte('\n')
			}
		case []byte:
			fmt.Fprintf(e.w, "bytes %d\n", len(v))
			for _, x := range v {
				fmt.Fprintf(e.w, "%d\n", x)
			}
		case nil:
			e.w.WriteString("null\n")
		case int:
			fmt.Fprintf(e.w, "i %d\n", v)
		case uint64:
			fmt.Fprintf(e.w, "u %d\n", v)
		case float64:
			fmt.Fprintf(e.w, "d %s\n", strconv.FormatFloat(v, 'g', -1, 64))
		default:
			panic(fmt.Sprintf("emulator: argument %T", a))
		}
	}
}

func (e *emulator) out(t *testing.T, i int) []float64 {
	t.Helper()
	fmt.Fprintf(e.w, "OUT %d\n", i)
	if err := e.w.Flush(); err != nil {
		t.Fatal(err)
	}
	var vs []float64
	for e.sc.Scan() {
		line := strings.TrimSpace(e.sc.Text())
		if line == "END" {
			return vs
		}
		v, err := strconv.ParseFloat(line, 64)
		if err != nil {
			t.Fatalf("emulator output %q: %v", line, err)
		}
		vs = append(vs, v)
	}
	t.Fatalf("emulator stopped: %v", e.sc.Err())
	return nil
}

func f32s(t *tensor.Dense) []float32 { return t.Float32s() }

// TestKernelsEmulated runs selunet's CUDA kernels on the host emulator on the
// inputs of the GPU check and compares them with the CPU ops (cpuTwin):
// the kernels' logic (indexing, reductions, the alpha dropout mask
// generator) without a GPU. The device's math library is not emulated.
func TestKernelsEmulated(t *testing.T) {
	e := startEmulator(t)
	cases := map[string]OpCase{}
	for _, c := range Cases() {
		cases[c.Name] = c
	}
	const seed = 20250601 // Cases' alpha dropout seed
	p := selu.Default()
	l, la := p.Lambda, p.Lambda*p.Alpha
	run := map[string]func(in []*tensor.Dense, dy []float32) ([]float64, [][]float64){
		"selu": func(in []*tensor.Dense, dy []float32) ([]float64, [][]float64) {
			x := f32s(in[0])
			n := len(x)
			e.call("selu_fwd_f32", 1, 1, make([]float32, n), x, n, l, la)
			y := e.out(t, 0)
			e.call("selu_bwd_f32", 1, 1, make([]float32, n), dy, to32(y), n, l, la)
			return y, [][]float64{e.out(t, 0)}
		},
		"alphadropout": func(in []*tensor.Dense, dy []float32) ([]float64, [][]float64) {
			x := f32s(in[0])
			n := len(x)
			a, b := alphadropout.Coefficients(0.05)
			d := a*selu.AlphaPrime + b
			thr := uint64(math.Round(0.95 * (1 << 32)))
			// the op's block seeds: its PCG stream for call site 0 (alphadropout.New)
			pcg := rand.NewPCG(seed, 0xa1fad20f^1)
			nb := (n + alphadropout.BlockSize - 1) / alphadropout.BlockSize
			args := []any{make([]byte, n), n, alphadropout.BlockSize, 0, nb, int(thr - 1), 0}
			for i := range 8 {
				s := uint64(0)
				if i < nb {
					s = pcg.Uint64()
				}
				args = append(args, s)
			}
			e.call("adrop_mask", 1, 8*nb, args...)
			m := e.out(t, 0)
			mask := make([]byte, n)
			for i, v := range m {
				mask[i] = byte(v)
			}
			e.call("adrop_fwd_f32", 1, 1, make([]float32, n), x, mask, n, a, b, d)
			y := e.out(t, 0)
			e.call("adrop_bwd_f32", 1, 1, make([]float32, n), dy, mask, n, a)
			return y, [][]float64{e.out(t, 0)}
		},
		"bias": func(in []*tensor.Dense, dy []float32) ([]float64, [][]float64) {
			rows, cols := in[0].Shape()[0], in[0].Shape()[1]
			e.call("bias_add_f32", 1, 1, make([]float32, rows*cols), f32s(in[0]), f32s(in[1]), rows, cols)
			y := e.out(t, 0)
			e.call("bias_colsum_f32", 4, 256, make([]float32, cols), dy, rows, cols)
			return y, [][]float64{to64s(dy), e.out(t, 0)}
		},
		"bce_masked": func(in []*tensor.Dense, _ []float32) ([]float64, [][]float64) {
			n := in[0].Len()
			z, y, m := f32s(in[0]), f32s(in[1]), f32s(in[2])
			e.call("bce_fwd_f32", 1, 256, make([]float32, 1), z, y, m, n)
			loss := e.out(t, 0)
			e.call("bce_bwd_f32", 1, 256, make([]float32, n), z, y, m, n, []float32{0.75})
			return loss, [][]float64{e.out(t, 0)}
		},
		"softmax_ce": func(in []*tensor.Dense, _ []float32) ([]float64, [][]float64) {
			rows, c := in[0].Shape()[0], in[0].Shape()[1]
			z, y, w := f32s(in[0]), f32s(in[1]), f32s(in[2])
			e.call("sce_fwd_f32", 1, 256, make([]float32, 1), z, y, w, rows, c)
			loss := e.out(t, 0)
			e.call("sce_bwd_f32", 1, 256, make([]float32, rows*c), z, y, w, rows, c, []float32{0.75})
			return loss, [][]float64{e.out(t, 0)}
		},
	}
	for name, f := range run {
		t.Run(name, func(t *testing.T) {
			c := cases[name]
			in := c.In32()
			wantOut, wantGrads, err := cpuTwin(c, in)
			if err != nil {
				t.Fatal(err)
			}
			var dy []float32
			if len(wantOut) > 1 {
				dy = f32s(randn32(99, in[0].Shape()...)) // upstream() of the check
			}
			out, grads := f(in, dy)
			if d := relDiff(out, wantOut); d > 1e-6 {
				t.Errorf("forward: relative difference %.3g", d)
			}
			for i := range wantGrads {
				if d := relDiff(grads[i], wantGrads[i]); d > 1e-6 {
					t.Errorf("gradient %d: relative difference %.3g", i, d)
				}
			}
		})
	}
}

func to32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

func to64s(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}
