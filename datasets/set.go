package datasets

import (
	"fmt"
	"math"
)

// Set is an in-memory data set.
//
// X is the row-major N×D feature matrix (row i is X[i*D:(i+1)*D]). Y is the
// N×T label matrix: 0/1 for binary and multi-task binary sets (Classes = 0), or
// the class index 0..Classes−1 in column 0 for multi-class sets (T = 1). Mask
// is N×T with 1 where the label is present and 0 where it is missing; a nil
// Mask means every label is present. A missing label has Y = 0.
// FeatureNames has length D and TaskNames length T (either may be nil). IDs,
// if not nil, has length N and names each row (e.g. a Tox21 sample ID).
// ClassNames, if not nil, has length Classes and maps a class index back to the
// original label text (sorted order, see package tabular).
type Set struct {
	X            []float64
	N, D         int
	Y            []float64
	T            int
	Mask         []float64
	Classes      int
	FeatureNames []string
	TaskNames    []string
	IDs          []string
	ClassNames   []string
}

// Row returns row i of X as a slice that aliases X (length D). It panics if i
// is out of range.
func (s *Set) Row(i int) []float64 {
	if i < 0 || i >= s.N {
		panic(fmt.Sprintf("datasets: row %d out of range [0,%d)", i, s.N))
	}
	return s.X[i*s.D : (i+1)*s.D : (i+1)*s.D]
}

// Label returns label t of row i and whether it is present. It panics if i or
// t is out of range.
func (s *Set) Label(i, t int) (y float64, ok bool) {
	if i < 0 || i >= s.N || t < 0 || t >= s.T {
		panic(fmt.Sprintf("datasets: label (%d,%d) out of range (%d,%d)", i, t, s.N, s.T))
	}
	k := i*s.T + t
	return s.Y[k], s.Mask == nil || s.Mask[k] != 0
}

// Subset returns a new Set holding copies of the rows idx, in that order
// (indices may repeat). Names and ClassNames are shared with s, IDs are
// copied. It panics if an index is out of range.
func (s *Set) Subset(idx []int) *Set {
	out := &Set{
		N: len(idx), D: s.D, T: s.T, Classes: s.Classes,
		X:            make([]float64, len(idx)*s.D),
		Y:            make([]float64, len(idx)*s.T),
		FeatureNames: s.FeatureNames, TaskNames: s.TaskNames, ClassNames: s.ClassNames,
	}
	if s.Mask != nil {
		out.Mask = make([]float64, len(idx)*s.T)
	}
	if s.IDs != nil {
		out.IDs = make([]string, len(idx))
	}
	for j, i := range idx {
		if i < 0 || i >= s.N {
			panic(fmt.Sprintf("datasets: Subset index %d out of range [0,%d)", i, s.N))
		}
		copy(out.X[j*s.D:(j+1)*s.D], s.X[i*s.D:(i+1)*s.D])
		copy(out.Y[j*s.T:(j+1)*s.T], s.Y[i*s.T:(i+1)*s.T])
		if s.Mask != nil {
			copy(out.Mask[j*s.T:(j+1)*s.T], s.Mask[i*s.T:(i+1)*s.T])
		}
		if s.IDs != nil {
			out.IDs[j] = s.IDs[i]
		}
	}
	return out
}

// Validate checks the invariants documented on Set: slice lengths, finite
// features, labels in {0,1} (binary) or 0..Classes−1 (multi-class), mask
// entries in {0,1} with Y = 0 where missing. It returns a descriptive error for
// the first violation, nil otherwise.
func (s *Set) Validate() error {
	switch {
	case s.N < 0 || s.D < 0 || s.T < 0:
		return fmt.Errorf("datasets: negative shape N=%d D=%d T=%d", s.N, s.D, s.T)
	case len(s.X) != s.N*s.D:
		return fmt.Errorf("datasets: len(X)=%d, want N*D=%d", len(s.X), s.N*s.D)
	case len(s.Y) != s.N*s.T:
		return fmt.Errorf("datasets: len(Y)=%d, want N*T=%d", len(s.Y), s.N*s.T)
	case s.Mask != nil && len(s.Mask) != s.N*s.T:
		return fmt.Errorf("datasets: len(Mask)=%d, want N*T=%d", len(s.Mask), s.N*s.T)
	case s.FeatureNames != nil && len(s.FeatureNames) != s.D:
		return fmt.Errorf("datasets: len(FeatureNames)=%d, want D=%d", len(s.FeatureNames), s.D)
	case s.TaskNames != nil && len(s.TaskNames) != s.T:
		return fmt.Errorf("datasets: len(TaskNames)=%d, want T=%d", len(s.TaskNames), s.T)
	case s.IDs != nil && len(s.IDs) != s.N:
		return fmt.Errorf("datasets: len(IDs)=%d, want N=%d", len(s.IDs), s.N)
	case s.Classes < 0 || s.Classes == 1:
		return fmt.Errorf("datasets: Classes=%d, want 0 (binary) or >= 2", s.Classes)
	case s.Classes > 0 && s.T != 1:
		return fmt.Errorf("datasets: multi-class set needs T=1, has T=%d", s.T)
	case s.ClassNames != nil && len(s.ClassNames) != s.Classes:
		return fmt.Errorf("datasets: len(ClassNames)=%d, want Classes=%d", len(s.ClassNames), s.Classes)
	}
	for k, v := range s.X {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("datasets: X[row %d, col %d] = %v, want finite", k/s.D, k%s.D, v)
		}
	}
	for k, y := range s.Y {
		present := true
		if s.Mask != nil {
			switch s.Mask[k] {
			case 0:
				present = false
			case 1:
			default:
				return fmt.Errorf("datasets: Mask[row %d, task %d] = %v, want 0 or 1", k/s.T, k%s.T, s.Mask[k])
			}
		}
		if !present {
			if y != 0 {
				return fmt.Errorf("datasets: Y[row %d, task %d] = %v where the label is missing, want 0", k/s.T, k%s.T, y)
			}
			continue
		}
		if s.Classes == 0 {
			if y != 0 && y != 1 {
				return fmt.Errorf("datasets: Y[row %d, task %d] = %v, want 0 or 1", k/s.T, k%s.T, y)
			}
		} else if y != math.Trunc(y) || y < 0 || y >= float64(s.Classes) {
			return fmt.Errorf("datasets: Y[row %d] = %v, want a class index in [0,%d)", k, y, s.Classes)
		}
	}
	return nil
}

// Counts returns, for task t, the number of rows whose label is 1 (pos), 0
// (neg) and missing. For multi-class sets pos counts labels ≠ 0. It panics if t
// is out of range.
func (s *Set) Counts(t int) (pos, neg, missing int) {
	if t < 0 || t >= s.T {
		panic(fmt.Sprintf("datasets: task %d out of range [0,%d)", t, s.T))
	}
	for i := 0; i < s.N; i++ {
		y, ok := s.Label(i, t)
		switch {
		case !ok:
			missing++
		case y != 0:
			pos++
		default:
			neg++
		}
	}
	return pos, neg, missing
}

// PrimaryLabels returns column 0 of Y (the class, or the first task's label),
// one value per row, with −1 where that label is missing. It is the usual
// input to StratifiedKFold and HoldOut. It panics if T = 0.
func (s *Set) PrimaryLabels() []float64 {
	if s.T == 0 {
		panic("datasets: PrimaryLabels on a set without labels")
	}
	out := make([]float64, s.N)
	for i := range out {
		y, ok := s.Label(i, 0)
		if !ok {
			y = -1
		}
		out[i] = y
	}
	return out
}

// AnyPositive returns, per row, 1 if any present label is 1 and 0 otherwise
// (including rows with no labels). It summarizes a multi-task binary set for
// stratified splitting.
func (s *Set) AnyPositive() []float64 {
	out := make([]float64, s.N)
	for i := range out {
		for t := 0; t < s.T; t++ {
			if y, ok := s.Label(i, t); ok && y != 0 {
				out[i] = 1
				break
			}
		}
	}
	return out
}

// CopyBatch copies the rows idx of X, Y and Mask into x (len(idx)*D), y and
// mask (len(idx)*T each). A nil Mask in s writes 1s. Any of x, y, mask may be
// nil to skip it. It panics if a buffer is too short or an index is out of
// range.
func (s *Set) CopyBatch(idx []int, x, y, mask []float64) {
	s.checkBuf(len(idx), len(x), len(y), len(mask), x == nil, y == nil, mask == nil)
	for j, i := range idx {
		if i < 0 || i >= s.N {
			panic(fmt.Sprintf("datasets: batch index %d out of range [0,%d)", i, s.N))
		}
		if x != nil {
			copy(x[j*s.D:(j+1)*s.D], s.X[i*s.D:(i+1)*s.D])
		}
		if y != nil {
			copy(y[j*s.T:(j+1)*s.T], s.Y[i*s.T:(i+1)*s.T])
		}
		if mask != nil {
			m := mask[j*s.T : (j+1)*s.T]
			if s.Mask == nil {
				for t := range m {
					m[t] = 1
				}
			} else {
				copy(m, s.Mask[i*s.T:(i+1)*s.T])
			}
		}
	}
}

// CopyBatch32 is CopyBatch converting to float32 buffers.
func (s *Set) CopyBatch32(idx []int, x, y, mask []float32) {
	s.checkBuf(len(idx), len(x), len(y), len(mask), x == nil, y == nil, mask == nil)
	for j, i := range idx {
		if i < 0 || i >= s.N {
			panic(fmt.Sprintf("datasets: batch index %d out of range [0,%d)", i, s.N))
		}
		if x != nil {
			dst, src := x[j*s.D:(j+1)*s.D], s.X[i*s.D:(i+1)*s.D]
			for k, v := range src {
				dst[k] = float32(v)
			}
		}
		for t := 0; t < s.T; t++ {
			if y != nil {
				y[j*s.T+t] = float32(s.Y[i*s.T+t])
			}
			if mask != nil {
				m := float32(1)
				if s.Mask != nil {
					m = float32(s.Mask[i*s.T+t])
				}
				mask[j*s.T+t] = m
			}
		}
	}
}

func (s *Set) checkBuf(n, lx, ly, lm int, nx, ny, nm bool) {
	if (!nx && lx < n*s.D) || (!ny && ly < n*s.T) || (!nm && lm < n*s.T) {
		panic(fmt.Sprintf("datasets: batch buffers too short for %d rows (x %d, y %d, mask %d; D=%d T=%d)", n, lx, ly, lm, s.D, s.T))
	}
}
