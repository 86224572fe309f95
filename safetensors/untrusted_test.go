package safetensors

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/selunet/selunet/internal/memtest"
)

// TestUntrustedAllocation: files whose header claims huge sizes, negative
// or overlapping offsets, unknown dtypes, overflowing shapes, or whose data
// is truncated, are rejected by ReadFile with an error naming the file, and
// reading them allocates within a small multiple of the file's size (the
// file's bytes plus the header's own decoding), never by the claim.
func TestUntrustedAllocation(t *testing.T) {
	d8 := make([]byte, 8)
	hugeLen := make([]byte, 16)
	binary.LittleEndian.PutUint64(hugeLen, 1<<62)
	cases := []struct {
		file []byte
		want string
	}{
		{hugeLen, "header length 4611686018427387904 exceeds"}, // 0
		{handmade(`{"a":{"dtype":"F32","shape":[1073741824,1073741824],"data_offsets":[0,4611686018427387904]}}`, d8), "ends at byte 4611686018427387904"}, // 1: a 4 EiB tensor
		{handmade(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}}`, d8), "non-negative"},                                                          // 2
		{handmade(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, d8), "overlaps"},          // 3
		{handmade(`{"a":{"dtype":"Q4","shape":[2],"data_offsets":[0,8]}}`, d8), "unknown dtype"},                                                           // 4
		{handmade(`{"a":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,0]}}`, nil), "overflow"},                                          // 5
		{handmade(`{"a":{"dtype":"F64","shape":[1024],"data_offsets":[0,8192]}}`, d8), "ends at byte 8192, the data buffer has 8"},                         // 6: truncated
	}
	dir := t.TempDir()
	for i, c := range cases {
		path := filepath.Join(dir, "evil.safetensors")
		if err := os.WriteFile(path, c.file, 0o644); err != nil {
			t.Fatal(err)
		}
		var err error
		n := memtest.Allocated(func() { _, err = ReadFile(path) })
		if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("case %d: got:%v want ErrFormat naming %s and %q", i, err, path, c.want)
		}
		if limit := uint64(8*len(c.file) + 64<<10); n > limit {
			t.Errorf("case %d: allocated %d bytes for a %d-byte file, want at most %d", i, n, len(c.file), limit)
		}
	}
}
