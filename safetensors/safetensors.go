package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"os"
	"slices"
	"sort"
	"strconv"
	"unicode/utf8"
)

// MaxHeader is the largest header Parse accepts (bytes), the bound of the
// reference implementation.
const MaxHeader = 100_000_000

// metadataKey is the header key of the string metadata.
const metadataKey = "__metadata__"

// dtypeSizes maps every dtype name of the format to its element size.
var dtypeSizes = map[string]int{
	"BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1,
	"I16": 2, "U16": 2, "F16": 2, "BF16": 2,
	"I32": 4, "U32": 4, "F32": 4,
	"I64": 8, "U64": 8, "F64": 8,
}

// DTypeSize returns the size in bytes of one element of dtype, and false for
// a name the format does not define.
func DTypeSize(dtype string) (int, bool) {
	n, ok := dtypeSizes[dtype]
	return n, ok
}

// Tensor is one named array: Data holds its elements row-major in
// little-endian byte order (len(Data) = elements × DTypeSize(DType)). An
// empty Shape is a scalar (one element).
type Tensor struct {
	Name  string
	DType string
	Shape []int
	Data  []byte
}

// File is the content of a safetensors file: string metadata (nil when the
// file has none) and the tensors, in the order of their data.
type File struct {
	Metadata map[string]string
	Tensors  []Tensor
}

// Find returns the tensor called name.
func (f *File) Find(name string) (Tensor, bool) {
	for _, t := range f.Tensors {
		if t.Name == name {
			return t, true
		}
	}
	return Tensor{}, false
}

// F32 returns a float32 tensor holding a little-endian copy of v.
func F32(name string, shape []int, v []float32) Tensor {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return Tensor{Name: name, DType: "F32", Shape: slices.Clone(shape), Data: b}
}

// F64 returns a float64 tensor holding a little-endian copy of v.
func F64(name string, shape []int, v []float64) Tensor {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
	}
	return Tensor{Name: name, DType: "F64", Shape: slices.Clone(shape), Data: b}
}

// Float32s decodes an F32 tensor.
func (t Tensor) Float32s() ([]float32, error) {
	if t.DType != "F32" || len(t.Data)%4 != 0 {
		return nil, fmt.Errorf("safetensors: tensor %q is %s, want F32", t.Name, t.DType)
	}
	out := make([]float32, len(t.Data)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(t.Data[4*i:]))
	}
	return out, nil
}

// Float64s decodes an F64 tensor.
func (t Tensor) Float64s() ([]float64, error) {
	if t.DType != "F64" || len(t.Data)%8 != 0 {
		return nil, fmt.Errorf("safetensors: tensor %q is %s, want F64", t.Name, t.DType)
	}
	out := make([]float64, len(t.Data)/8)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(t.Data[8*i:]))
	}
	return out, nil
}

// byteSize returns elements(shape) × size, or an error on a negative
// dimension or an overflow of int64.
func byteSize(shape []int, size int) (int64, error) {
	n := uint64(size)
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("negative dimension %d", d)
		}
		hi, lo := bits.Mul64(n, uint64(d))
		if hi != 0 || lo > math.MaxInt64 {
			return 0, fmt.Errorf("shape %v overflows", shape)
		}
		n = lo
	}
	return int64(n), nil
}

// Write writes f in the safetensors layout: metadata first, then the
// tensors in order with consecutive data offsets. It checks every tensor
// (known dtype, non-empty unique name, data length matching the shape) and
// that no tensor is called "__metadata__".
func Write(w io.Writer, f *File) error {
	var hdr bytes.Buffer
	hdr.WriteByte('{')
	sep := func() {
		if hdr.Len() > 1 {
			hdr.WriteByte(',')
		}
	}
	if len(f.Metadata) > 0 {
		b, err := json.Marshal(f.Metadata) // keys sorted
		if err != nil {
			return fmt.Errorf("safetensors: metadata: %w", err)
		}
		hdr.WriteString(`"` + metadataKey + `":`)
		hdr.Write(b)
	}
	seen := map[string]bool{}
	var off int64
	for _, t := range f.Tensors {
		size, ok := dtypeSizes[t.DType]
		switch {
		case !ok:
			return fmt.Errorf("safetensors: tensor %q: unknown dtype %q", t.Name, t.DType)
		case t.Name == "" || t.Name == metadataKey || !utf8.ValidString(t.Name):
			return fmt.Errorf("safetensors: invalid tensor name %q", t.Name)
		case seen[t.Name]:
			return fmt.Errorf("safetensors: tensor %q written twice", t.Name)
		}
		seen[t.Name] = true
		n, err := byteSize(t.Shape, size)
		if err != nil {
			return fmt.Errorf("safetensors: tensor %q: %w", t.Name, err)
		}
		if n != int64(len(t.Data)) {
			return fmt.Errorf("safetensors: tensor %q: %d data bytes, shape %v of %s needs %d", t.Name, len(t.Data), t.Shape, t.DType, n)
		}
		name, _ := json.Marshal(t.Name)
		shape := t.Shape
		if shape == nil {
			shape = []int{}
		}
		entry, _ := json.Marshal(struct {
			DType   string  `json:"dtype"`
			Shape   []int   `json:"shape"`
			Offsets []int64 `json:"data_offsets"`
		}{t.DType, shape, []int64{off, off + n}})
		sep()
		hdr.Write(name)
		hdr.WriteByte(':')
		hdr.Write(entry)
		off += n
	}
	hdr.WriteByte('}')
	for (8+hdr.Len())%8 != 0 {
		hdr.WriteByte(' ')
	}
	var lenBuf [8]byte
	binary.LittleEndian.PutUint64(lenBuf[:], uint64(hdr.Len()))
	if _, err := w.Write(lenBuf[:]); err != nil {
		return err
	}
	if _, err := w.Write(hdr.Bytes()); err != nil {
		return err
	}
	for _, t := range f.Tensors {
		if _, err := w.Write(t.Data); err != nil {
			return err
		}
	}
	return nil
}

// FormatError describes why bytes are not a valid safetensors file.
type FormatError struct {
	// Name is the file name given to ReadFile ("" for Parse).
	Name string
	// Reason says what is wrong, and where.
	Reason string
}

// Error formats e as "safetensors: <name>: <reason>".
func (e *FormatError) Error() string {
	if e.Name == "" {
		return "safetensors: " + e.Reason
	}
	return "safetensors: " + e.Name + ": " + e.Reason
}

// ErrFormat is matched (errors.Is) by every error Parse returns.
var ErrFormat = errors.New("safetensors: invalid file")

// Is reports whether target is ErrFormat.
func (e *FormatError) Is(target error) bool { return target == ErrFormat }

func bad(format string, args ...any) error {
	return &FormatError{Reason: fmt.Sprintf(format, args...)}
}

// ReadFile reads and parses the file at path (see Parse); errors name path.
func ReadFile(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	f, err := Parse(b)
	if fe, ok := err.(*FormatError); ok {
		fe.Name = path
	}
	return f, err
}

// Parse decodes a whole safetensors file held in b, checking everything the
// package comment lists. The tensors' Data alias b.
func Parse(b []byte) (*File, error) {
	if len(b) < 8 {
		return nil, bad("%d bytes, shorter than the 8-byte header length", len(b))
	}
	n := binary.LittleEndian.Uint64(b)
	if n > MaxHeader {
		return nil, bad("header length %d exceeds %d", n, MaxHeader)
	}
	if n > uint64(len(b)-8) {
		return nil, bad("header length %d exceeds the %d bytes after it", n, len(b)-8)
	}
	hdr, data := b[8:8+n], b[8+n:]
	if len(hdr) == 0 || hdr[0] != '{' {
		return nil, bad("header does not start with '{'")
	}
	if !utf8.Valid(hdr) {
		return nil, bad("header is not UTF-8")
	}
	meta, entries, err := parseHeader(hdr)
	if err != nil {
		return nil, err
	}
	// The tensors must tile the data buffer: sorted by offsets, each begins
	// where the previous one ended and the last ends at the buffer's end.
	sort.SliceStable(entries, func(i, j int) bool {
		if entries[i].begin != entries[j].begin {
			return entries[i].begin < entries[j].begin
		}
		return entries[i].end < entries[j].end
	})
	f := &File{Metadata: meta, Tensors: make([]Tensor, len(entries))}
	var at int64
	for i, e := range entries {
		if e.begin != at {
			if e.begin < at {
				return nil, bad("tensor %q at bytes [%d, %d) overlaps the data before it (ending at %d)", e.name, e.begin, e.end, at)
			}
			return nil, bad("gap in the data buffer: bytes [%d, %d) belong to no tensor", at, e.begin)
		}
		if e.end > int64(len(data)) {
			return nil, bad("tensor %q ends at byte %d, the data buffer has %d", e.name, e.end, len(data))
		}
		f.Tensors[i] = Tensor{Name: e.name, DType: e.dtype, Shape: e.shape, Data: data[e.begin:e.end:e.end]}
		at = e.end
	}
	if at != int64(len(data)) {
		return nil, bad("%d trailing bytes after the last tensor", int64(len(data))-at)
	}
	return f, nil
}

// entry is one tensor of the header.
type entry struct {
	name, dtype string
	shape       []int
	begin, end  int64
}

// parseHeader decodes the header object strictly: no duplicate keys, no
// unknown fields, non-negative integer shapes and offsets, begin ≤ end, and
// end − begin equal to the tensor's byte size.
func parseHeader(hdr []byte) (map[string]string, []entry, error) {
	// Trailing spaces are padding; anything else after the object is not.
	end := len(hdr)
	for end > 0 && hdr[end-1] == ' ' {
		end--
	}
	dec := json.NewDecoder(bytes.NewReader(hdr[:end]))
	dec.UseNumber()
	var meta map[string]string
	var entries []entry
	seen := map[string]bool{}
	err := object(dec, "header", func(key string) error {
		if seen[key] {
			return bad("header key %q repeated", key)
		}
		seen[key] = true
		if key == metadataKey {
			meta = map[string]string{}
			return object(dec, metadataKey, func(k string) error {
				if _, dup := meta[k]; dup {
					return bad("metadata key %q repeated", k)
				}
				v, err := str(dec, metadataKey+"."+k)
				meta[k] = v
				return err
			})
		}
		if key == "" {
			return bad("empty tensor name")
		}
		e, err := tensorEntry(dec, key)
		entries = append(entries, e)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if dec.More() {
		return nil, nil, bad("header has data after its JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, nil, bad("header has data after its JSON object")
	}
	return meta, entries, nil
}

// tensorEntry decodes {"dtype", "shape", "data_offsets"} of tensor name.
func tensorEntry(dec *json.Decoder, name string) (entry, error) {
	e := entry{name: name}
	var haveD, haveS, haveO bool
	err := object(dec, name, func(k string) error {
		switch k {
		case "dtype":
			if haveD {
				return bad("tensor %q: key dtype repeated", name)
			}
			haveD = true
			var err error
			e.dtype, err = str(dec, name+".dtype")
			return err
		case "shape":
			if haveS {
				return bad("tensor %q: key shape repeated", name)
			}
			haveS = true
			e.shape = []int{}
			return array(dec, name+".shape", func() error {
				v, err := integer(dec, name+".shape", math.MaxInt)
				e.shape = append(e.shape, int(v))
				return err
			})
		case "data_offsets":
			if haveO {
				return bad("tensor %q: key data_offsets repeated", name)
			}
			haveO = true
			var off []int64
			err := array(dec, name+".data_offsets", func() error {
				if len(off) == 2 {
					return bad("tensor %q: data_offsets has more than 2 values", name)
				}
				v, err := integer(dec, name+".data_offsets", math.MaxInt64)
				off = append(off, v)
				return err
			})
			if err != nil {
				return err
			}
			if len(off) != 2 {
				return bad("tensor %q: data_offsets has %d values, want 2", name, len(off))
			}
			e.begin, e.end = off[0], off[1]
			return nil
		}
		return bad("tensor %q: unknown key %q (want dtype, shape, data_offsets)", name, k)
	})
	if err != nil {
		return e, err
	}
	if !haveD || !haveS || !haveO {
		return e, bad("tensor %q lacks dtype, shape or data_offsets", name)
	}
	size, ok := dtypeSizes[e.dtype]
	if !ok {
		return e, bad("tensor %q: unknown dtype %q", name, e.dtype)
	}
	n, err := byteSize(e.shape, size)
	if err != nil {
		return e, bad("tensor %q: %v", name, err)
	}
	if e.begin > e.end {
		return e, bad("tensor %q: data_offsets [%d, %d) end before they begin", name, e.begin, e.end)
	}
	if e.end-e.begin != n {
		return e, bad("tensor %q: data_offsets [%d, %d) hold %d bytes, shape %v of %s needs %d", name, e.begin, e.end, e.end-e.begin, e.shape, e.dtype, n)
	}
	return e, nil
}

// object reads a JSON object, calling fn for each key with the decoder
// positioned at its value.
func object(dec *json.Decoder, what string, fn func(key string) error) error {
	if err := delim(dec, '{', what, "an object"); err != nil {
		return err
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return bad("%s: %v", what, err)
		}
		k, ok := t.(string)
		if !ok {
			return bad("%s: bad key", what)
		}
		if err := fn(k); err != nil {
			return err
		}
	}
	return delim(dec, '}', what, "the end of the object")
}

// array reads a JSON array, calling fn for each element.
func array(dec *json.Decoder, what string, fn func() error) error {
	if err := delim(dec, '[', what, "an array"); err != nil {
		return err
	}
	for dec.More() {
		if err := fn(); err != nil {
			return err
		}
	}
	return delim(dec, ']', what, "the end of the array")
}

func delim(dec *json.Decoder, d json.Delim, what, want string) error {
	t, err := dec.Token()
	if err != nil {
		return bad("%s: %v", what, err)
	}
	if t != d {
		return bad("%s: got %v, want %s", what, t, want)
	}
	return nil
}

func str(dec *json.Decoder, what string) (string, error) {
	t, err := dec.Token()
	if err != nil {
		return "", bad("%s: %v", what, err)
	}
	s, ok := t.(string)
	if !ok {
		return "", bad("%s: got %v, want a string", what, t)
	}
	return s, nil
}

// integer reads a non-negative integer no larger than limit.
func integer(dec *json.Decoder, what string, limit int64) (int64, error) {
	t, err := dec.Token()
	if err != nil {
		return 0, bad("%s: %v", what, err)
	}
	num, ok := t.(json.Number)
	if !ok {
		return 0, bad("%s: got %v, want a non-negative integer", what, t)
	}
	v, err := strconv.ParseInt(string(num), 10, 64)
	if err != nil || v < 0 || v > limit {
		return 0, bad("%s: %s is not a non-negative integer in range", what, num)
	}
	return v, nil
}
