package model

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/selunet/selunet/checkpoint"
	"github.com/selunet/selunet/safetensors"
)

// SafetensorsInfoKey is the metadata key under which WriteSafetensors
// stores Info as JSON.
const SafetensorsInfoKey = "selunet"

// WriteSafetensors writes the model in the safetensors layout: one tensor
// per parameter under its nets name ("layer01/W" of shape (in, out): a
// layer computes x·W + b), in the network's dtype (F32 or F64), and the
// metadata "format" = "selunet-model" and "selunet" = the JSON of Info
// (architecture, preprocessing, output names).
func (m *Model) WriteSafetensors(w io.Writer) error {
	b, err := json.Marshal(m.info)
	if err != nil {
		return fmt.Errorf("model: %w", err)
	}
	f := &safetensors.File{Metadata: map[string]string{"format": Format, SafetensorsInfoKey: string(b)}}
	for _, p := range m.net.Params.All() {
		shape := []int(p.Value.Shape())
		switch d := p.Value.Data().(type) {
		case []float32:
			f.Tensors = append(f.Tensors, safetensors.F32(p.Name, shape, d))
		case []float64:
			f.Tensors = append(f.Tensors, safetensors.F64(p.Name, shape, d))
		default:
			return fmt.Errorf("model: parameter %s has unsupported type %T", p.Name, d)
		}
	}
	return safetensors.Write(w, f)
}

// ReadSafetensors reads a model exported by WriteSafetensors (parsed with
// safetensors.Parse or ReadFile), checking it as strictly as Read checks a
// model file.
func ReadSafetensors(f *safetensors.File, name string) (*Model, error) {
	ck := &checkpoint.Checkpoint{
		Meta:  map[string]string{"format": f.Metadata["format"], "version": strconv.Itoa(Version)},
		Blobs: map[string][]byte{},
	}
	if s, ok := f.Metadata[SafetensorsInfoKey]; ok {
		ck.Blobs[infoBlob] = []byte(s)
	}
	for _, t := range f.Tensors {
		var data any
		var err error
		switch t.DType {
		case "F32":
			data, err = t.Float32s()
		case "F64":
			data, err = t.Float64s()
		default:
			err = fmt.Errorf("tensor %q is %s, want F32 or F64", t.Name, t.DType)
		}
		if err != nil {
			return nil, &InvalidError{Name: name, Err: err}
		}
		ck.Tensors = append(ck.Tensors, checkpoint.Tensor{Name: t.Name, Shape: t.Shape, Data: data})
	}
	m, err := fromCheckpoint(ck)
	if err != nil {
		return nil, &InvalidError{Name: name, Err: err}
	}
	return m, nil
}
