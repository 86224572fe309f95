package model

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/selunet/selunet/checkpoint"
	"github.com/selunet/selunet/internal/memtest"
	"github.com/selunet/selunet/nets"
)

// TestUntrustedModel: model files whose model.json claims a network far
// larger than the weights they hold, or a very deep one, are refused before
// the network is built: the error names the file and the claim, and Read
// allocates within a small multiple of the file's size.
func TestUntrustedModel(t *testing.T) {
	m := fuzzBase(t, false)
	claim := func(f func(i *Info)) []byte {
		ck, err := m.checkpoint()
		if err != nil {
			t.Fatal(err)
		}
		i := m.Info()
		f(&i)
		if err := ck.SetJSON(infoBlob, i); err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := checkpoint.Write(&b, ck); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	cases := []struct {
		file []byte
		want string
	}{
		{claim(func(i *Info) { i.Spec.Units = 1 << 30 }), "the snn network has 2 layers of 1073741824 units, the file holds"},        // 0
		{claim(func(i *Info) { i.Spec.Layers = 1 << 20 }), "the network has 1048576 layers, a model file may have at most 1024"},     // 1
		{claim(func(i *Info) { i.Spec.Layers = MaxLayers + 1; i.Spec.Units = 1 }), "the network has 1025 layers"},                    // 2
		{claim(func(i *Info) { i.Inputs = 1 << 29; i.Preprocess.Features = nil }), "preprocess has 0 features"},                      // 3
		{claim(func(i *Info) { i.Spec.Units, i.Spec.Layers = 1<<30, 1000 }), "1000 layers of 1073741824 units"},                      // 4
		{claim(func(i *Info) { i.Spec.Arch = nets.BatchNorm; i.Spec.Units = 3 }), "the batchnorm network (2 inputs, 1 outputs) has"}, // 5: weights of another architecture
	}
	for i, c := range cases {
		var err error
		n := memtest.Allocated(func() { _, err = Read(bytes.NewReader(c.file), "evil.model") })
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "model: evil.model: ") {
			t.Errorf("case %d: got:%v want ErrInvalid naming evil.model and %q", i, err, c.want)
		}
		if limit := uint64(16*len(c.file) + 256<<10); n > limit {
			t.Errorf("case %d: allocated %d bytes for a %d-byte file, want at most %d", i, n, len(c.file), limit)
		}
	}
}
