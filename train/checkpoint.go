package train

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"strconv"

	"gorgonia.org/tensor"

	"github.com/selunet/selunet/checkpoint"
	"github.com/selunet/selunet/graph"
)

// loopState is the part of the Trainer's state that is neither a tensor nor
// a random stream. It is stored with encoding/gob, which keeps NaN metrics.
type loopState struct {
	Epoch   int
	History History
	Smooth  []float64
	Bad     int
	Early   bool
	HasBest bool // set when saved: best weights are in the checkpoint
}

// Checkpoint returns everything needed to resume training exactly where it
// is: the weights ("param/<name>"), the best weights so far ("best/<name>"),
// the solver state, every random stream and the loop state. Restoring it
// into a Trainer built the same way continues to bit-identical results.
func (t *Trainer) Checkpoint() (*checkpoint.Checkpoint, error) {
	ck := &checkpoint.Checkpoint{Blobs: map[string][]byte{}, Meta: map[string]string{
		"epoch": strconv.Itoa(t.st.Epoch),
	}}
	ck.Tensors = append(ck.Tensors, WeightTensors(t.Model().Weights(), "param/")...)
	if t.best != nil {
		ck.Tensors = append(ck.Tensors, WeightTensors(t.best, "best/")...)
	}
	var err error
	if ck.Blobs["solver"], err = t.step.solver.MarshalBinary(); err != nil {
		return nil, wrapf(err, "solver state")
	}
	if ck.Blobs["shuffle"], err = t.pcg.MarshalBinary(); err != nil {
		return nil, err
	}
	if ck.Blobs["graph"], err = t.step.MarshalBinary(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	st := t.st
	st.HasBest = t.best != nil
	if err := gob.NewEncoder(&buf).Encode(st); err != nil {
		return nil, wrapf(err, "loop state")
	}
	ck.Blobs["loop"] = buf.Bytes()
	return ck, nil
}

// WeightTensors lists the parameters of ps as checkpoint tensors named
// prefix+name, in ps's order; LoadTensors reads them back. The data slices
// are shared, not copied.
func WeightTensors(ps *graph.Params, prefix string) []checkpoint.Tensor {
	var out []checkpoint.Tensor
	for _, p := range ps.All() {
		out = append(out, checkpoint.Tensor{Name: prefix + p.Name, Shape: p.Value.Shape().Clone(), Data: p.Value.Data()})
	}
	return out
}

// Restore loads a checkpoint made by Checkpoint into t, which must have been
// built with the same model, data sizes and configuration; Fit then
// continues from there.
func (t *Trainer) Restore(ck *checkpoint.Checkpoint) error {
	var st loopState
	if err := gob.NewDecoder(bytes.NewReader(ck.Blobs["loop"])).Decode(&st); err != nil {
		return wrapf(err, "checkpoint loop state")
	}
	w := t.Model().Weights()
	if err := LoadWeights(w, ck); err != nil {
		return err
	}
	t.best = nil
	if st.HasBest {
		t.best = w.Clone()
		if err := LoadTensors(t.best, ck, "best/"); err != nil {
			return err
		}
	}
	if err := t.step.solver.UnmarshalBinary(ck.Blobs["solver"]); err != nil {
		return wrapf(err, "checkpoint solver state")
	}
	if err := t.pcg.UnmarshalBinary(ck.Blobs["shuffle"]); err != nil {
		return wrapf(err, "checkpoint shuffle state")
	}
	if err := t.step.UnmarshalBinary(ck.Blobs["graph"]); err != nil {
		return wrapf(err, "checkpoint")
	}
	st.HasBest = false
	t.st = st
	return nil
}

// LoadWeights copies the weights of a checkpoint made by Trainer.Checkpoint
// (tensors "param/<name>") into ps, checking names, shapes and dtypes: with
// an Evaluator over the same model, the prediction path, which needs
// neither a solver nor a training set. ps is unchanged up to the first
// missing or mismatched tensor, which is an error.
func LoadWeights(ps *graph.Params, ck *checkpoint.Checkpoint) error {
	if err := LoadTensors(ps, ck, "param/"); err != nil {
		return wrapf(err, "checkpoint")
	}
	return nil
}

// LoadTensors copies the tensors prefix+name of ck into the parameters of
// ps (name being each parameter's name), checking shapes and dtypes. ps is
// unchanged up to the first missing or mismatched tensor, which is an
// error naming it. Extra tensors in ck are ignored.
func LoadTensors(ps *graph.Params, ck *checkpoint.Checkpoint, prefix string) error {
	byName := make(map[string]checkpoint.Tensor, len(ck.Tensors))
	for _, tn := range ck.Tensors {
		byName[tn.Name] = tn
	}
	for _, p := range ps.All() {
		tn, ok := byName[prefix+p.Name]
		if !ok {
			return fmt.Errorf("no tensor %q", prefix+p.Name)
		}
		if !p.Value.Shape().Eq(tensor.Shape(tn.Shape)) {
			return fmt.Errorf("tensor %q has shape %v, the network needs %v", tn.Name, tn.Shape, p.Value.Shape())
		}
		switch dst := p.Value.Data().(type) {
		case []float32:
			src, ok := tn.Data.([]float32)
			if !ok {
				return fmt.Errorf("tensor %q is %s, the network is float32", tn.Name, tn.DType())
			}
			copy(dst, src)
		case []float64:
			src, ok := tn.Data.([]float64)
			if !ok {
				return fmt.Errorf("tensor %q is %s, the network is float64", tn.Name, tn.DType())
			}
			copy(dst, src)
		}
	}
	return nil
}
