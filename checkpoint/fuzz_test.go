package checkpoint_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/selunet/selunet/checkpoint"
)

// checkDecoded is the fuzz property shared by FuzzRead and FuzzHeader: a
// rejected input gives a CorruptError naming the file; an accepted one
// encodes and decodes back to itself, and encoding is stable.
func checkDecoded(t *testing.T, c *checkpoint.Checkpoint, err error) {
	if err != nil {
		if !errors.Is(err, checkpoint.ErrCorrupt) || !strings.HasPrefix(err.Error(), "checkpoint: fuzz.ckpt: corrupted checkpoint: ") {
			t.Fatalf("error %q is not a CorruptError naming fuzz.ckpt", err)
		}
		return
	}
	var a, b bytes.Buffer
	if err := checkpoint.Write(&a, c); err != nil {
		t.Fatalf("re-encoding an accepted file: %v", err)
	}
	c2, err := checkpoint.Read(bytes.NewReader(a.Bytes()), "fuzz.ckpt")
	if err != nil {
		t.Fatalf("decoding a re-encoded file: %v", err)
	}
	equalCheckpoints(t, c2, c)
	if err := checkpoint.Write(&b, c2); err != nil || !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatalf("encode -> decode -> encode changed the bytes (err %v)", err)
	}
}

// seedFile is a valid checkpoint with every kind of content.
func seedFile(f *testing.F) []byte {
	var b bytes.Buffer
	if err := checkpoint.Write(&b, sample()); err != nil {
		f.Fatal(err)
	}
	return b.Bytes()
}

// FuzzRead feeds arbitrary bytes to Read. Almost every mutation breaks the
// checksum, so this target mostly exercises the prefix and length checks;
// FuzzHeader gets past the checksum.
func FuzzRead(f *testing.F) {
	good := seedFile(f)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte("SELUCKPT"))
	f.Add(craft(`{"payload":0}`, nil))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := checkpoint.Read(bytes.NewReader(data), "fuzz.ckpt")
		checkDecoded(t, c, err)
	})
}

// FuzzHeader builds files with a valid prefix and checksum around a fuzzed
// JSON header and payload, the way a malicious file would, so the header
// validation itself is fuzzed.
func FuzzHeader(f *testing.F) {
	good := seedFile(f)
	hl := int(good[12]) | int(good[13])<<8 | int(good[14])<<16 | int(good[15])<<24
	f.Add(string(good[16:16+hl]), good[16+hl:len(good)-32])
	f.Add(`{"tensors":[{"name":"w","dtype":"float32","shape":[2],"offset":0,"size":8}],"blobs":[{"name":"b","offset":8,"size":8}],"payload":16}`, make([]byte, 16))
	f.Add(`{"tensors":[{"name":"w","dtype":"float64","shape":[4294967296,4294967296],"offset":0,"size":0}],"payload":0}`, []byte{})
	f.Add(`{"blobs":[{"name":"a","offset":0,"size":16},{"name":"b","offset":0,"size":16}],"payload":16}`, make([]byte, 16))
	f.Add(`{"meta":{"a":"b"},"tensors":[{"name":"s","dtype":"float32","shape":[],"offset":0,"size":4}],"payload":4}`, []byte{0, 0, 128, 63})
	f.Fuzz(func(t *testing.T, header string, payload []byte) {
		c, err := checkpoint.Read(bytes.NewReader(craft(header, payload)), "fuzz.ckpt")
		checkDecoded(t, c, err)
	})
}
