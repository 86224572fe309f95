package train

import (
	"gorgonia.org/tensor"

	"github.com/selunet/selunet/datasets"
)

// fillBatch copies the rows of s listed in rows into the batch tensors x
// (features), y (labels) and mask (1 present, 0 missing), converting to their
// dtype; y and mask may be nil. Rows of x past len(rows) are zeroed (padding
// of the last evaluation batch).
func fillBatch(s *datasets.Set, rows []int, x, y, mask tensor.Tensor) {
	switch xb := x.Data().(type) {
	case []float32:
		s.CopyBatch32(rows, xb, data32(y), data32(mask))
		clear(xb[len(rows)*s.D:])
	case []float64:
		s.CopyBatch(rows, xb, data64(y), data64(mask))
		clear(xb[len(rows)*s.D:])
	}
}

func data32(t tensor.Tensor) []float32 {
	if t == nil {
		return nil
	}
	return t.Data().([]float32)
}

func data64(t tensor.Tensor) []float64 {
	if t == nil {
		return nil
	}
	return t.Data().([]float64)
}

// fillOneHot writes one-hot rows for the class labels (column 0 of s.Y).
func fillOneHot(y tensor.Tensor, s *datasets.Set, rows []int) {
	k := s.Classes
	switch yb := y.Data().(type) {
	case []float32:
		clear(yb)
		for r, i := range rows {
			yb[r*k+int(s.Y[i*s.T])] = 1
		}
	case []float64:
		clear(yb)
		for r, i := range rows {
			yb[r*k+int(s.Y[i*s.T])] = 1
		}
	}
}
