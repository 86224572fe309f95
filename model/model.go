package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"sync"

	"github.com/selunet/selunet/checkpoint"
	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/nets"
	"github.com/selunet/selunet/train"
)

// infoBlob is the name of the JSON blob holding Info.
const infoBlob = "model.json"

// Model is a network with its preprocessing and output names. Predict may
// be called from several goroutines.
type Model struct {
	info Info
	net  *nets.Net

	mu sync.Mutex
	ev *train.Evaluator // built on first use
}

// New packages net (whose weights it shares, not copies) with info, which
// must describe net: its Spec, Inputs, Outputs and Head are set from net,
// Format and Version filled in, and the rest validated.
func New(net *nets.Net, info Info) (*Model, error) {
	info.Format, info.Version = Format, Version
	info.Spec = SpecOf(net.Spec)
	info.Inputs, info.Outputs = net.Inputs, net.Outputs
	info.Head = HeadBinary
	if net.Head == nets.MultiClass {
		info.Head = HeadMultiClass
	}
	if info.Preprocess.Transform == "" {
		info.Preprocess.Transform = TransformNone
	}
	if err := info.Validate(); err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	return &Model{info: info, net: net}, nil
}

// Info returns the model's description (a copy).
func (m *Model) Info() Info {
	i := m.info
	i.OutputNames = slices.Clone(i.OutputNames)
	i.Preprocess.Features = slices.Clone(i.Preprocess.Features)
	i.Preprocess.Mean = slices.Clone(i.Preprocess.Mean)
	i.Preprocess.Std = slices.Clone(i.Preprocess.Std)
	i.Source.Settings = slices.Clone(i.Source.Settings)
	return i
}

// Features returns the input column names in input order.
func (m *Model) Features() []string { return slices.Clone(m.info.Preprocess.Features) }

// OutputNames returns the name of each output probability.
func (m *Model) OutputNames() []string { return slices.Clone(m.info.OutputNames) }

// Net returns the network (its weights are the model's; do not train it).
func (m *Model) Net() *nets.Net { return m.net }

// Write writes the model file (see the package comment) to w.
func (m *Model) Write(w io.Writer) error {
	ck, err := m.checkpoint()
	if err != nil {
		return err
	}
	return checkpoint.Write(w, ck)
}

// Save writes the model file to path atomically.
func (m *Model) Save(path string) error {
	ck, err := m.checkpoint()
	if err != nil {
		return err
	}
	return checkpoint.Save(path, ck)
}

func (m *Model) checkpoint() (*checkpoint.Checkpoint, error) {
	ck := &checkpoint.Checkpoint{Meta: map[string]string{"format": Format, "version": strconv.Itoa(Version)}}
	if err := ck.SetJSON(infoBlob, m.info); err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	ck.Tensors = train.WeightTensors(m.net.Params, "")
	return ck, nil
}

// Load reads the model file at path (see Read).
func Load(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	defer f.Close()
	return Read(f, path)
}

// Read reads a model file from r, checking everything the package comment
// lists; name is used in errors. Errors for a damaged or foreign file match
// ErrInvalid (errors.Is).
func Read(r io.Reader, name string) (*Model, error) {
	ck, err := checkpoint.Read(r, name)
	if err != nil {
		return nil, &InvalidError{Name: name, Err: err}
	}
	m, err := fromCheckpoint(ck)
	if err != nil {
		return nil, &InvalidError{Name: name, Err: err}
	}
	return m, nil
}

// MaxLayers bounds the depth of a network read from a model file: building
// the graph takes time quadratic in the depth (bench/PERFORMANCE.md has
// measured times), so a small hostile file claiming a very deep, very
// narrow network must not keep Read busy for minutes.
const MaxLayers = 1024

// ErrInvalid is matched by every error Read returns for bytes that are not
// a valid model file.
var ErrInvalid = errors.New("not a valid model file")

// InvalidError says why a file is not a valid model file.
type InvalidError struct {
	// Name is the file's name as given to Read or Load.
	Name string
	// Err is the reason.
	Err error
}

// Error formats e as "model: <name>: not a valid model file: <reason>".
func (e *InvalidError) Error() string {
	return fmt.Sprintf("model: %s: %v: %v", e.Name, ErrInvalid, e.Err)
}

// Unwrap returns the underlying reason.
func (e *InvalidError) Unwrap() error { return e.Err }

// Is reports whether target is ErrInvalid.
func (e *InvalidError) Is(target error) bool { return target == ErrInvalid }

func fromCheckpoint(ck *checkpoint.Checkpoint) (*Model, error) {
	if ck.Meta["format"] != Format {
		return nil, fmt.Errorf("format %q, want %q (a training checkpoint? use a models/*.model file)", ck.Meta["format"], Format)
	}
	if v := ck.Meta["version"]; v != strconv.Itoa(Version) {
		return nil, fmt.Errorf("version %q, this build reads version %d", v, Version)
	}
	b, ok := ck.Blobs[infoBlob]
	if !ok {
		return nil, fmt.Errorf("no %s", infoBlob)
	}
	var info Info
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&info); err != nil {
		return nil, fmt.Errorf("%s: %w", infoBlob, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: data after the JSON object", infoBlob)
	}
	if err := info.Validate(); err != nil {
		return nil, err
	}
	spec := info.Spec.Nets()
	if spec.Layers > MaxLayers {
		return nil, fmt.Errorf("the network has %d layers, a model file may have at most %d", spec.Layers, MaxLayers)
	}
	var have int64
	for _, t := range ck.Tensors {
		n, ok := elements(t.Shape)
		if !ok {
			return nil, fmt.Errorf("tensor %q: shape %v", t.Name, t.Shape)
		}
		have += n
	}
	// Every layer has at least Units parameters: a cheap bound that keeps
	// even the width list below the file's size.
	if int64(spec.Layers) > have || int64(spec.Units) > have {
		return nil, fmt.Errorf("the %s network has %d layers of %d units, the file holds %d parameters", spec.Arch, spec.Layers, spec.Units, have)
	}
	want, ok := spec.ParamCount(info.Inputs, info.Outputs)
	if !ok || want != have {
		return nil, fmt.Errorf("the %s network (%d inputs, %d outputs) has %s parameters, the file holds %d", spec.Arch, info.Inputs, info.Outputs, countText(want, ok), have)
	}
	net, err := nets.New(spec, info.Inputs, info.Outputs, info.NetsHead(), 0)
	if err != nil {
		return nil, err
	}
	if len(ck.Tensors) != net.Params.Len() {
		return nil, fmt.Errorf("%d tensors, the network has %d parameters", len(ck.Tensors), net.Params.Len())
	}
	if err := train.LoadTensors(net.Params, ck, ""); err != nil {
		return nil, err
	}
	return &Model{info: info, net: net}, nil
}

func countText(n int64, ok bool) string {
	if !ok {
		return "too many"
	}
	return strconv.FormatInt(n, 10)
}

// elements returns the product of shape, false on a negative dimension or
// more than 2^50 elements.
func elements(shape []int) (int64, bool) {
	n := int64(1)
	for _, d := range shape {
		if d < 0 || (d > 0 && n > (1<<50)/int64(d)) {
			return 0, false
		}
		n *= int64(d)
	}
	return n, true
}

// Predict returns the probabilities of every output for each raw feature
// row (columns in Features order): out[i][k] is output k of row i. Rows
// are preprocessed as described by Preprocess and run through the
// evaluation graph in batches. A row of the wrong length or with a
// non-finite value is an error naming the row and column.
func (m *Model) Predict(rows [][]float64) ([][]float64, error) {
	x, err := m.prepare(rows)
	if err != nil {
		return nil, err
	}
	return m.probabilities(x, len(rows))
}

// prepare checks and preprocesses rows into one row-major matrix.
func (m *Model) prepare(rows [][]float64) ([]float64, error) {
	p := &m.info.Preprocess
	d := m.info.Inputs
	x := make([]float64, 0, len(rows)*d)
	for i, r := range rows {
		if len(r) != d {
			return nil, fmt.Errorf("model: row %d has %d values, the model takes %d (%v)", i+1, len(r), d, p.Features)
		}
		for j, v := range r {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("model: row %d, feature %q: value %v is not finite", i+1, p.Features[j], v)
			}
			if p.Transform == TransformSlog1p {
				v = datasets.SignedLog1p(v)
			}
			z := (v - p.Mean[j]) / p.Std[j]
			if p.Clip > 0 {
				z = math.Max(-p.Clip, math.Min(p.Clip, z))
			}
			x = append(x, z)
		}
	}
	return x, nil
}
