package train

import (
	"gorgonia.org/tensor"

	"github.com/selunet/selunet/datasets"
)

// fillX copies the features of the rows of s listed in rows into x,
// converting to its dtype. Rows of x past len(rows) are zeroed (padding of
// the last evaluation batch).
func fillX(s *datasets.Set, rows []int, x tensor.Tensor) {
	switch xb := x.Data().(type) {
	case []float32:
		s.CopyBatch32(rows, xb, nil, nil)
		clear(xb[len(rows)*s.D:])
	case []float64:
		s.CopyBatch(rows, xb, nil, nil)
		clear(xb[len(rows)*s.D:])
	}
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
