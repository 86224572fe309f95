package safetensors

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

// checkParsed is the property of both fuzz targets: a rejected file gives a
// FormatError; an accepted one writes back to a file that parses to the same
// content, and writing that again gives the same bytes.
func checkParsed(t *testing.T, f *File, err error) {
	t.Helper()
	if err != nil {
		var fe *FormatError
		if !errors.As(err, &fe) || !errors.Is(err, ErrFormat) {
			t.Fatalf("error %v (%T) is not a FormatError", err, err)
		}
		return
	}
	var a, b bytes.Buffer
	if err := Write(&a, f); err != nil {
		t.Fatalf("writing an accepted file: %v", err)
	}
	g, err := Parse(a.Bytes())
	if err != nil {
		t.Fatalf("parsing a written file: %v", err)
	}
	if len(f.Metadata) == 0 && len(g.Metadata) == 0 {
		g.Metadata = f.Metadata // nil and empty metadata write alike
	}
	for i := range g.Tensors {
		if len(g.Tensors[i].Shape) == 0 && len(f.Tensors[i].Shape) == 0 {
			g.Tensors[i].Shape = f.Tensors[i].Shape
		}
		if len(g.Tensors[i].Data) == 0 && len(f.Tensors[i].Data) == 0 {
			g.Tensors[i].Data = f.Tensors[i].Data
		}
	}
	if !reflect.DeepEqual(f, g) {
		t.Fatalf("parse -> write -> parse changed the file:\n%+v\n%+v", f, g)
	}
	if err := Write(&b, g); err != nil || !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatalf("write is not stable (err %v)", err)
	}
}

// FuzzParse feeds arbitrary bytes to Parse.
func FuzzParse(f *testing.F) {
	f.Add(handmade(`{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]}}  `, make([]byte, 8)))
	f.Add(handmade(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, make([]byte, 8)))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, '{'})
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := Parse(b)
		checkParsed(t, file, err)
	})
}

// FuzzHeader builds files with a correct header length around a fuzzed
// header and data buffer, so the header checks themselves are fuzzed.
func FuzzHeader(f *testing.F) {
	d16 := make([]byte, 16)
	f.Add(`{"b":{"dtype":"F64","shape":[],"data_offsets":[8,16]},"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},"e":{"dtype":"BF16","shape":[0,3],"data_offsets":[16,16]}}`, d16)
	f.Add(`{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}}`, d16[:8])
	f.Add(`{"a":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, d16)
	f.Add(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[18446744073709551615,0]}}`, d16)
	f.Add(`{"a":{"dtype":"BOOL","shape":[1e3],"data_offsets":[-1,1]}}`, d16)
	f.Fuzz(func(t *testing.T, hdr string, data []byte) {
		file, err := Parse(handmade(hdr, data))
		checkParsed(t, file, err)
	})
}
