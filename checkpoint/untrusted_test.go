package checkpoint_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/selunet/selunet/checkpoint"
	"github.com/selunet/selunet/internal/memtest"
)

// craft builds a checkpoint file around a hand-written JSON header and
// payload, with a valid prefix and checksum, as an attacker (or a buggy
// writer) could.
func craft(header string, payload []byte) []byte {
	var b bytes.Buffer
	b.WriteString("SELUCKPT")
	binary.Write(&b, binary.LittleEndian, uint32(checkpoint.Version))
	binary.Write(&b, binary.LittleEndian, uint32(len(header)))
	b.WriteString(header)
	b.Write(payload)
	sum := sha256.Sum256(b.Bytes())
	b.Write(sum[:])
	return b.Bytes()
}

// TestUntrustedHeader feeds files whose checksum is valid but whose header
// lies: each is rejected with a CorruptError saying what is wrong, and the
// memory read allocates stays within a small multiple of the file's size
// (no allocation sized by a claim in the header).
func TestUntrustedHeader(t *testing.T) {
	p16 := make([]byte, 16)
	cases := []struct {
		header  string
		payload []byte
		want    string
	}{
		// 0: the payload size claims an exabyte
		{`{"payload":1152921504606846976}`, p16, "truncated: "},
		// 1: one tensor claims 2^62 bytes
		{`{"tensors":[{"name":"w","dtype":"float32","shape":[1152921504606846976],"offset":0,"size":4611686018427387904}],"payload":16}`, p16, `tensor "w": shape [1152921504606846976] has more than 4 elements`},
		// 2: a huge size with a shape that fits
		{`{"tensors":[{"name":"w","dtype":"float32","shape":[4],"offset":0,"size":4611686018427387904}],"payload":16}`, p16, `tensor "w": 4611686018427387904 bytes for 4 float32 elements`},
		// 3: a negative offset
		{`{"tensors":[{"name":"w","dtype":"float32","shape":[4],"offset":-16,"size":16}],"payload":16}`, p16, `tensor "w": offset -16 and size 16, want offset 0`},
		// 4: two tensors on the same bytes
		{`{"tensors":[{"name":"a","dtype":"float32","shape":[2],"offset":0,"size":8},{"name":"b","dtype":"float32","shape":[2],"offset":0,"size":8}],"payload":16}`, p16, `tensor "b": offset 0 and size 8, want offset 8`},
		// 5: many entries on one region (memory amplification)
		{`{"blobs":[{"name":"a","offset":0,"size":16},{"name":"b","offset":0,"size":16},{"name":"c","offset":0,"size":16}],"payload":16}`, p16, `blob "b": offset 0 and size 16, want offset 16`},
		// 6: a dtype this build does not read
		{`{"tensors":[{"name":"w","dtype":"int64","shape":[2],"offset":0,"size":16}],"payload":16}`, p16, `tensor "w": unknown dtype "int64" (want float32 or float64)`},
		// 7: a shape whose product overflows int64 to 0
		{`{"tensors":[{"name":"w","dtype":"float64","shape":[4294967296,4294967296],"offset":0,"size":0}],"payload":16}`, p16, `tensor "w": shape [4294967296 4294967296] has more than 2 elements`},
		// 8: a shape whose product overflows to a negative number
		{`{"tensors":[{"name":"w","dtype":"float32","shape":[3037000500,3037000500],"offset":0,"size":16}],"payload":16}`, p16, "has more than 4 elements"},
		// 9: a negative dimension
		{`{"tensors":[{"name":"w","dtype":"float32","shape":[-4,-1],"offset":0,"size":16}],"payload":16}`, p16, "negative dimension in shape [-4 -1]"},
		// 10: a negative blob size
		{`{"blobs":[{"name":"a","offset":0,"size":-8}],"payload":16}`, p16, `blob "a": offset 0 and size -8`},
		// 11: a blob running past the payload
		{`{"blobs":[{"name":"a","offset":8,"size":9223372036854775807}],"payload":16}`, p16, `blob "a": offset 8 and size 9223372036854775807, want offset 0`},
		// 12: payload bytes no entry covers
		{`{"blobs":[{"name":"a","offset":0,"size":8}],"payload":16}`, p16, "entries cover 8 of the 16 payload bytes"},
		// 13: a duplicate tensor name
		{`{"tensors":[{"name":"a","dtype":"float32","shape":[2],"offset":0,"size":8},{"name":"a","dtype":"float32","shape":[2],"offset":8,"size":8}],"payload":16}`, p16, `tensor 1: empty or duplicate name "a"`},
		// 14: a duplicate blob name
		{`{"blobs":[{"name":"a","offset":0,"size":8},{"name":"a","offset":8,"size":8}],"payload":16}`, p16, `duplicate blob name "a"`},
		// 15: a negative payload size
		{`{"payload":-16}`, p16, "header says the payload has -16 bytes, the file holds 16"},
		// 16: a header that is not JSON
		{`{"tensors":[`, nil, "header: unexpected end of JSON input"},
		// 17: a dimension too large for JSON's int
		{`{"tensors":[{"name":"w","dtype":"float32","shape":[1e300],"offset":0,"size":16}],"payload":16}`, p16, "header: json: cannot unmarshal number 1e300"},
		// 18: an unnamed tensor
		{`{"tensors":[{"dtype":"float32","shape":[4],"offset":0,"size":16}],"payload":16}`, p16, `tensor 0: empty or duplicate name ""`},
	}
	for i, c := range cases {
		file := craft(c.header, c.payload)
		var err error
		n := memtest.Allocated(func() { _, err = checkpoint.Read(bytes.NewReader(file), "evil.ckpt") })
		if !errors.Is(err, checkpoint.ErrCorrupt) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("case %d: got:%v want:%q", i, err, c.want)
		}
		if !strings.HasPrefix(err.Error(), "checkpoint: evil.ckpt: corrupted checkpoint: ") {
			t.Errorf("case %d: got:%v, not naming the file", i, err)
		}
		// io.ReadAll grows its buffer by doubling; the rest is the header's
		// own decoding. 64 KiB covers the fixed costs.
		if limit := uint64(8*len(file) + 64<<10); n > limit {
			t.Errorf("case %d: allocated %d bytes for a %d-byte file, want at most %d", i, n, len(file), limit)
		}
	}
}

// TestUntrustedPrefix: the fixed-size prefix lies about the header length.
func TestUntrustedPrefix(t *testing.T) {
	good := craft(`{"payload":0}`, nil)
	withLen := func(hl uint32) []byte {
		b := append([]byte{}, good...)
		binary.LittleEndian.PutUint32(b[12:], hl)
		return b
	}
	cases := []struct {
		data []byte
		want string
	}{
		{withLen(0xFFFFFFFF), "header length 4294967295 is implausible"}, // 0: 4 GiB header
		{withLen(60 << 20), "truncated: 61 bytes, header alone needs"},   // 1: 60 MiB header in a small file
		{withLen(0), "checksum mismatch"},                                // 2: header length changed (the sum no longer matches)
		{good[:40], "truncated: 40 bytes, header alone needs 61"},        // 3: cut inside the header
	}
	for i, c := range cases {
		var err error
		n := memtest.Allocated(func() { _, err = checkpoint.Read(bytes.NewReader(c.data), "evil.ckpt") })
		if !errors.Is(err, checkpoint.ErrCorrupt) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("case %d: got:%v want:%q", i, err, c.want)
		}
		if limit := uint64(8*len(c.data) + 64<<10); n > limit {
			t.Errorf("case %d: allocated %d bytes for a %d-byte file, want at most %d", i, n, len(c.data), limit)
		}
	}
}

// TestLoadAllocationBounded: loading a valid 4 MiB checkpoint allocates
// about twice its size (the file's bytes and the decoded floats), and a
// truncated copy fails before allocating the floats.
func TestLoadAllocationBounded(t *testing.T) {
	data := make([]float32, 1<<20)
	for i := range data {
		data[i] = float32(i)
	}
	path := filepath.Join(t.TempDir(), "big.ckpt")
	if err := checkpoint.Save(path, &checkpoint.Checkpoint{Tensors: []checkpoint.Tensor{{Name: "w", Shape: []int{1024, 1024}, Data: data}}}); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	size := uint64(st.Size())
	n := memtest.Allocated(func() { _, err = checkpoint.Load(path) })
	if err != nil {
		t.Fatal(err)
	}
	if n > 2*size+64<<10 {
		t.Errorf("Load allocated %d bytes for a %d-byte file, want at most %d", n, size, 2*size+64<<10)
	}
	if err := os.Truncate(path, st.Size()/2); err != nil {
		t.Fatal(err)
	}
	n = memtest.Allocated(func() { _, err = checkpoint.Load(path) })
	if !errors.Is(err, checkpoint.ErrCorrupt) || !strings.Contains(err.Error(), "truncated: ") {
		t.Errorf("truncated: got:%v want a truncation error", err)
	}
	if n > size/2+64<<10 {
		t.Errorf("truncated Load allocated %d bytes for a %d-byte file", n, size/2)
	}
}

// TestWriteRejectsOverflowingShape: a shape whose element count overflows
// int64 to the data's length is refused when saving, not only when loading.
func TestWriteRejectsOverflowingShape(t *testing.T) {
	c := &checkpoint.Checkpoint{Tensors: []checkpoint.Tensor{{Name: "w", Shape: []int{1 << 32, 1 << 32}, Data: []float32{}}}}
	var b bytes.Buffer
	err := checkpoint.Write(&b, c)
	if err == nil || !strings.Contains(err.Error(), `tensor "w": shape [4294967296 4294967296] has more than`) {
		t.Errorf("got:%v want an overflow error", err)
	}
	if b.Len() != 0 {
		t.Errorf("wrote %d bytes before failing", b.Len())
	}
}
