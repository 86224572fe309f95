package solvers

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"gorgonia.org/tensor"
)

// stateMagic starts every serialized solver state (format version 1).
const stateMagic = "selunet-solver-v1"

// ErrState is wrapped by every error UnmarshalBinary returns.
var ErrState = errors.New("solvers: bad solver state")

// MarshalBinary encodes the solver's name, step counter, learning rate,
// whether SetLR detached the schedule, and every buffer bit for bit
// (little-endian). A solver that has not stepped yet has no buffers.
func (s *solver) MarshalBinary() ([]byte, error) {
	var b bytes.Buffer
	size := 64 + len(s.name)
	for _, st := range s.state {
		size += 10 + 16*st.n
	}
	b.Grow(size)
	b.WriteString(stateMagic)
	writeU64(&b, uint64(len(s.name)))
	b.WriteString(s.name)
	writeU64(&b, uint64(s.steps))
	writeU64(&b, math.Float64bits(s.lr))
	if s.detached {
		b.WriteByte(1)
	} else {
		b.WriteByte(0)
	}
	if s.state == nil {
		writeU64(&b, math.MaxUint64) // no state yet
		return b.Bytes(), nil
	}
	writeU64(&b, uint64(len(s.state)))
	var raw []byte // reused encoding buffer
	for _, st := range s.state {
		size := byte(8)
		if st.dt == tensor.Float32 {
			size = 4
		}
		b.WriteByte(size)
		writeU64(&b, uint64(st.n))
		var mask byte
		if s.needA {
			mask |= 1
		}
		if s.needB {
			mask |= 2
		}
		b.WriteByte(mask)
		if size == 4 {
			for _, buf := range [][]float32{st.a32, st.b32} {
				raw = raw[:0]
				for _, v := range buf {
					raw = binary.LittleEndian.AppendUint32(raw, math.Float32bits(v))
				}
				b.Write(raw)
			}
		} else {
			for _, buf := range [][]float64{st.a64, st.b64} {
				raw = raw[:0]
				for _, v := range buf {
					raw = binary.LittleEndian.AppendUint64(raw, math.Float64bits(v))
				}
				b.Write(raw)
			}
		}
	}
	return b.Bytes(), nil
}

// UnmarshalBinary restores a state written by MarshalBinary of a solver with
// the same name and buffer layout (same rule, momentum on or off). On error
// the solver is left unchanged; errors wrap ErrState.
func (s *solver) UnmarshalBinary(data []byte) error {
	r := bytes.NewReader(data)
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s (at byte %d of %d)", ErrState, fmt.Sprintf(format, args...), len(data)-r.Len(), len(data))
	}
	magic := make([]byte, len(stateMagic))
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != stateMagic {
		return fail("missing header %q", stateMagic)
	}
	nameLen, err := readU64(r)
	if err != nil || nameLen > 64 {
		return fail("bad name length")
	}
	name := make([]byte, nameLen)
	if _, err := io.ReadFull(r, name); err != nil {
		return fail("truncated name")
	}
	if string(name) != s.name {
		return fail("state is for solver %q, this solver is %q", name, s.name)
	}
	steps, err1 := readU64(r)
	lrBits, err2 := readU64(r)
	det, err3 := r.ReadByte()
	count, err4 := readU64(r)
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return fail("truncated header")
	}
	if steps > math.MaxInt64 || det > 1 {
		return fail("corrupt header")
	}
	var state []paramState
	if count != math.MaxUint64 {
		if count > uint64(len(data)) {
			return fail("parameter count %d larger than the data", count)
		}
		state = make([]paramState, count)
		wantMask := byte(0)
		if s.needA {
			wantMask |= 1
		}
		if s.needB {
			wantMask |= 2
		}
		for i := range state {
			size, err1 := r.ReadByte()
			n, err2 := readU64(r)
			mask, err3 := r.ReadByte()
			if err := errors.Join(err1, err2, err3); err != nil {
				return fail("parameter %d: truncated", i)
			}
			if size != 4 && size != 8 {
				return fail("parameter %d: element size %d, want 4 or 8", i, size)
			}
			if mask != wantMask {
				return fail("parameter %d: buffer set %d, this solver uses %d (momentum setting differs?)", i, mask, wantMask)
			}
			nb := uint64(0)
			if mask&1 != 0 {
				nb++
			}
			if mask&2 != 0 {
				nb++
			}
			if n > 1<<48 || (nb > 0 && (n > uint64(r.Len()) || nb*n*uint64(size) > uint64(r.Len()))) {
				return fail("parameter %d: %d elements do not fit in the remaining %d bytes", i, n, r.Len())
			}
			st := &state[i]
			st.n = int(n)
			if size == 4 {
				st.dt = tensor.Float32
			} else {
				st.dt = tensor.Float64
			}
			s.alloc(st)
			raw := data[len(data)-r.Len():]
			if size == 4 {
				for _, buf := range [][]float32{st.a32, st.b32} {
					for j := range buf {
						buf[j] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*j:]))
					}
					raw = raw[4*len(buf):]
				}
			} else {
				for _, buf := range [][]float64{st.a64, st.b64} {
					for j := range buf {
						buf[j] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*j:]))
					}
					raw = raw[8*len(buf):]
				}
			}
			if _, err := r.Seek(int64(len(data)-len(raw)), io.SeekStart); err != nil {
				return fail("parameter %d: %v", i, err)
			}
		}
	}
	if r.Len() != 0 {
		return fail("%d trailing bytes", r.Len())
	}
	s.steps = int(steps)
	s.lr = math.Float64frombits(lrBits)
	if det == 1 {
		s.sched = nil
		s.detached = true
	}
	s.state = state
	return nil
}

func writeU64(b *bytes.Buffer, v uint64) {
	var buf [8]byte
	binary.LittleEndian.PutUint64(buf[:], v)
	b.Write(buf[:])
}

func readU64(r *bytes.Reader) (uint64, error) {
	var buf [8]byte
	if _, err := io.ReadFull(r, buf[:]); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(buf[:]), nil
}
