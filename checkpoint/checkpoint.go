package checkpoint

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
	"sort"
)

// Version is the format version that Write produces and Read accepts.
const Version = 1

// magic opens every checkpoint file.
var magic = [8]byte{'S', 'E', 'L', 'U', 'C', 'K', 'P', 'T'}

const (
	prefixLen = 16          // magic + version + header length
	sumLen    = sha256.Size // trailing checksum
	maxHeader = 64 << 20    // sanity bound on the JSON header
	chunk     = 1 << 14     // elements converted per write
)

// ErrCorrupt is matched (errors.Is) by every error Read and Load return for
// a file that is truncated, corrupted or not a checkpoint.
var ErrCorrupt = errors.New("corrupted checkpoint")

// CorruptError describes why a file could not be read as a checkpoint.
// Path is the file name given to Read or Load.
type CorruptError struct {
	Path   string
	Reason string
}

// Error formats e as "checkpoint: <path>: corrupted checkpoint: <reason>".
func (e *CorruptError) Error() string {
	return fmt.Sprintf("checkpoint: %s: corrupted checkpoint: %s", e.Path, e.Reason)
}

// Is reports whether target is ErrCorrupt.
func (e *CorruptError) Is(target error) bool { return target == ErrCorrupt }

// Tensor is one named array. Data is a []float32 or []float64 holding the
// elements in row-major order; its length must equal the product of Shape
// (1 for an empty Shape, a scalar). Write copies Data; Read returns fresh
// slices.
type Tensor struct {
	Name  string
	Shape []int
	Data  any
}

// DType returns "float32" or "float64" for the supported Data types and ""
// otherwise.
func (t Tensor) DType() string {
	switch t.Data.(type) {
	case []float32:
		return "float32"
	case []float64:
		return "float64"
	}
	return ""
}

// Checkpoint is the content of one checkpoint file: tensors in order, plus
// named binary blobs (solver state, RNG states, loop state as JSON) and
// string metadata. Nil maps are written as empty; Read always returns
// non-nil maps.
type Checkpoint struct {
	Tensors []Tensor
	Blobs   map[string][]byte
	Meta    map[string]string
}

// Find returns the tensor called name and true, or a zero Tensor and false.
// c may be nil.
func (c *Checkpoint) Find(name string) (Tensor, bool) {
	if c == nil {
		return Tensor{}, false
	}
	for _, t := range c.Tensors {
		if t.Name == name {
			return t, true
		}
	}
	return Tensor{}, false
}

// SetJSON stores v, encoded with encoding/json, as the blob called name
// (allocating Blobs if needed).
func (c *Checkpoint) SetJSON(name string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("checkpoint: blob %q: %w", name, err)
	}
	if c.Blobs == nil {
		c.Blobs = map[string][]byte{}
	}
	c.Blobs[name] = b
	return nil
}

// JSON decodes the blob called name into v. It returns an error when the
// blob is missing or is not JSON for v.
func (c *Checkpoint) JSON(name string, v any) error {
	b, ok := c.Blobs[name]
	if !ok {
		return fmt.Errorf("checkpoint: no blob %q", name)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("checkpoint: blob %q: %w", name, err)
	}
	return nil
}

// header is the JSON that describes the payload.
type header struct {
	Meta    map[string]string `json:"meta"`
	Tensors []tensorEntry     `json:"tensors"`
	Blobs   []blobEntry       `json:"blobs"`
	Payload int64             `json:"payload"`
}

type tensorEntry struct {
	Name   string `json:"name"`
	DType  string `json:"dtype"`
	Shape  []int  `json:"shape"`
	Offset int64  `json:"offset"`
	Size   int64  `json:"size"`
}

type blobEntry struct {
	Name   string `json:"name"`
	Offset int64  `json:"offset"`
	Size   int64  `json:"size"`
}

// numElems returns the product of shape's dimensions, or an error for a
// negative dimension or a product above limit (checked without overflow;
// a zero dimension makes the product 0 whatever the others are).
func numElems(shape []int, limit int64) (int64, error) {
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("negative dimension in shape %v", shape)
		}
		if d == 0 {
			return 0, nil
		}
	}
	n := int64(1)
	for _, d := range shape {
		if int64(d) > limit/n {
			return 0, fmt.Errorf("shape %v has more than %d elements", shape, limit)
		}
		n *= int64(d)
	}
	return n, nil
}

// buildHeader checks c and lays out the payload.
func buildHeader(c *Checkpoint) (*header, error) {
	h := &header{Meta: c.Meta}
	if h.Meta == nil {
		h.Meta = map[string]string{}
	}
	var off int64
	seen := map[string]bool{}
	for i, t := range c.Tensors {
		if t.Name == "" {
			return nil, fmt.Errorf("tensor %d has no name", i)
		}
		if seen[t.Name] {
			return nil, fmt.Errorf("duplicate tensor name %q", t.Name)
		}
		seen[t.Name] = true
		n, err := numElems(t.Shape, math.MaxInt64/8)
		if err != nil {
			return nil, fmt.Errorf("tensor %q: %w", t.Name, err)
		}
		var size, length int64
		switch d := t.Data.(type) {
		case []float32:
			length, size = int64(len(d)), 4*int64(len(d))
		case []float64:
			length, size = int64(len(d)), 8*int64(len(d))
		default:
			return nil, fmt.Errorf("tensor %q: data must be []float32 or []float64, got %T", t.Name, t.Data)
		}
		if length != n {
			return nil, fmt.Errorf("tensor %q: shape %v needs %d elements, data has %d", t.Name, t.Shape, n, length)
		}
		h.Tensors = append(h.Tensors, tensorEntry{Name: t.Name, DType: t.DType(), Shape: t.Shape, Offset: off, Size: size})
		off += size
	}
	names := make([]string, 0, len(c.Blobs))
	for k := range c.Blobs {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		size := int64(len(c.Blobs[k]))
		h.Blobs = append(h.Blobs, blobEntry{Name: k, Offset: off, Size: size})
		off += size
	}
	h.Payload = off
	return h, nil
}

// Write encodes c to w in the checkpoint format (see the package
// documentation). The output depends only on c, so equal checkpoints give
// equal bytes. It returns an error for unnamed or duplicate tensors, a data
// type other than []float32/[]float64, or a length that does not match the
// shape, before writing anything.
func Write(w io.Writer, c *Checkpoint) error {
	h, err := buildHeader(c)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	hj, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if len(hj) > maxHeader {
		return fmt.Errorf("checkpoint: header too large (%d bytes)", len(hj))
	}
	sum := sha256.New()
	mw := io.MultiWriter(w, sum)
	var pre [prefixLen]byte
	copy(pre[:8], magic[:])
	binary.LittleEndian.PutUint32(pre[8:], Version)
	binary.LittleEndian.PutUint32(pre[12:], uint32(len(hj)))
	if _, err := mw.Write(pre[:]); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if _, err := mw.Write(hj); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	buf := make([]byte, 8*chunk)
	for _, t := range c.Tensors {
		if err := writeData(mw, t.Data, buf); err != nil {
			return fmt.Errorf("checkpoint: tensor %q: %w", t.Name, err)
		}
	}
	for _, b := range h.Blobs {
		if _, err := mw.Write(c.Blobs[b.Name]); err != nil {
			return fmt.Errorf("checkpoint: blob %q: %w", b.Name, err)
		}
	}
	if _, err := w.Write(sum.Sum(nil)); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}

// writeData writes float data little-endian, chunk elements at a time.
func writeData(w io.Writer, data any, buf []byte) error {
	switch d := data.(type) {
	case []float32:
		for len(d) > 0 {
			n := min(len(d), chunk)
			for i, x := range d[:n] {
				binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(x))
			}
			if _, err := w.Write(buf[:4*n]); err != nil {
				return err
			}
			d = d[n:]
		}
	case []float64:
		for len(d) > 0 {
			n := min(len(d), chunk)
			for i, x := range d[:n] {
				binary.LittleEndian.PutUint64(buf[8*i:], math.Float64bits(x))
			}
			if _, err := w.Write(buf[:8*n]); err != nil {
				return err
			}
			d = d[n:]
		}
	}
	return nil
}

// Read decodes a checkpoint from r, reading it to the end. name is used in
// errors (the file path). A short, altered or foreign input gives a
// *CorruptError (errors.Is(err, ErrCorrupt)) that says what is wrong:
// "not a selunet checkpoint", "unsupported format version", "truncated" or
// "checksum mismatch".
func Read(r io.Reader, name string) (*Checkpoint, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %s: %w", name, err)
	}
	return parse(b, name)
}

func parse(b []byte, name string) (*Checkpoint, error) {
	bad := func(format string, args ...any) error {
		return &CorruptError{Path: name, Reason: fmt.Sprintf(format, args...)}
	}
	if len(b) < 8 || !bytes.Equal(b[:8], magic[:]) {
		if len(b) < 8 && bytes.HasPrefix(magic[:], b) {
			return nil, bad("truncated: %d bytes", len(b))
		}
		return nil, bad("not a selunet checkpoint (bad magic bytes)")
	}
	if len(b) < prefixLen {
		return nil, bad("truncated: %d bytes", len(b))
	}
	if v := binary.LittleEndian.Uint32(b[8:]); v != Version {
		return nil, bad("unsupported format version %d (this build reads %d)", v, Version)
	}
	hl := int64(binary.LittleEndian.Uint32(b[12:]))
	if hl > maxHeader {
		return nil, bad("header length %d is implausible", hl)
	}
	if int64(len(b)) < prefixLen+hl+sumLen {
		return nil, bad("truncated: %d bytes, header alone needs %d", len(b), prefixLen+hl+sumLen)
	}
	var h header
	herr := json.Unmarshal(b[prefixLen:prefixLen+hl], &h)
	if herr == nil && h.Payload >= 0 {
		if want := prefixLen + hl + h.Payload + sumLen; int64(len(b)) < want {
			return nil, bad("truncated: %d of %d bytes", len(b), want)
		} else if int64(len(b)) > want {
			return nil, bad("%d unexpected trailing bytes", int64(len(b))-want)
		}
	}
	body, sum := b[:len(b)-sumLen], b[len(b)-sumLen:]
	var hs hash.Hash = sha256.New()
	hs.Write(body)
	if !bytes.Equal(hs.Sum(nil), sum) {
		return nil, bad("checksum mismatch (file altered or partly written)")
	}
	if herr != nil {
		return nil, bad("header: %v", herr)
	}
	payload := body[prefixLen+hl:]
	if h.Payload != int64(len(payload)) {
		return nil, bad("header says the payload has %d bytes, the file holds %d", h.Payload, len(payload))
	}
	if err := checkLayout(&h, int64(len(payload))); err != nil {
		return nil, bad("%v", err)
	}
	// The layout is valid: the entries tile the payload without overlap,
	// so the slices made below add up to the payload's size.
	c := &Checkpoint{Blobs: make(map[string][]byte, len(h.Blobs)), Meta: h.Meta}
	if c.Meta == nil {
		c.Meta = map[string]string{}
	}
	for _, e := range h.Tensors {
		p := payload[e.Offset : e.Offset+e.Size]
		switch e.DType {
		case "float32":
			d := make([]float32, e.Size/4)
			for i := range d {
				d[i] = math.Float32frombits(binary.LittleEndian.Uint32(p[4*i:]))
			}
			c.Tensors = append(c.Tensors, Tensor{Name: e.Name, Shape: e.Shape, Data: d})
		case "float64":
			d := make([]float64, e.Size/8)
			for i := range d {
				d[i] = math.Float64frombits(binary.LittleEndian.Uint64(p[8*i:]))
			}
			c.Tensors = append(c.Tensors, Tensor{Name: e.Name, Shape: e.Shape, Data: d})
		}
	}
	for _, e := range h.Blobs {
		c.Blobs[e.Name] = append([]byte{}, payload[e.Offset:e.Offset+e.Size]...)
	}
	return c, nil
}

// elemSize is the byte size of each dtype a file may hold.
var elemSize = map[string]int64{"float32": 4, "float64": 8}

// checkLayout checks, before anything is allocated, that the header's
// entries are what Write produces: named, unique, known dtypes, shapes whose
// element count matches the size, and extents that tile the payload of
// payload bytes in order (tensors, then blobs) with no gap, overlap or
// overrun. A file from an untrusted source that claims huge or negative
// sizes, overlapping offsets or an overflowing shape fails here, so reading
// it never allocates more than the file's own size.
func checkLayout(h *header, payload int64) error {
	var off int64
	extent := func(kind, name string, e, size int64) error {
		if e != off || size < 0 || size > payload-off {
			return fmt.Errorf("%s %q: offset %d and size %d, want offset %d and a size of at most %d (entries tile the %d-byte payload in order)", kind, name, e, size, off, payload-off, payload)
		}
		off += size
		return nil
	}
	seen := make(map[string]bool, len(h.Tensors))
	for i, e := range h.Tensors {
		if e.Name == "" || seen[e.Name] {
			return fmt.Errorf("tensor %d: empty or duplicate name %q", i, e.Name)
		}
		seen[e.Name] = true
		es, ok := elemSize[e.DType]
		if !ok {
			return fmt.Errorf("tensor %q: unknown dtype %q (want float32 or float64)", e.Name, e.DType)
		}
		n, err := numElems(e.Shape, payload/es)
		if err != nil {
			return fmt.Errorf("tensor %q: %w, more than the payload holds", e.Name, err)
		}
		if e.Size != n*es {
			return fmt.Errorf("tensor %q: %d bytes for %d %s elements", e.Name, e.Size, n, e.DType)
		}
		if err := extent("tensor", e.Name, e.Offset, e.Size); err != nil {
			return err
		}
	}
	seen = make(map[string]bool, len(h.Blobs))
	for _, e := range h.Blobs {
		if seen[e.Name] {
			return fmt.Errorf("duplicate blob name %q", e.Name)
		}
		seen[e.Name] = true
		if err := extent("blob", e.Name, e.Offset, e.Size); err != nil {
			return err
		}
	}
	if off != payload {
		return fmt.Errorf("entries cover %d of the %d payload bytes", off, payload)
	}
	return nil
}

// Save writes c to path atomically (see WriteFileAtomic) with permission
// 0644: after a crash path holds either the previous checkpoint or this one.
func Save(path string, c *Checkpoint) error {
	if _, err := buildHeader(c); err != nil {
		return fmt.Errorf("checkpoint: %s: %w", path, err)
	}
	return WriteFileAtomic(path, func(w io.Writer) error { return Write(w, c) }, 0o644)
}

// Load reads the checkpoint at path. Errors name path; a damaged file gives
// a *CorruptError.
func Load(path string) (*Checkpoint, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	return parse(b, path)
}
