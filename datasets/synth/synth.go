package synth

import (
	"math"
	"math/rand/v2"

	"github.com/selunet/selunet/datasets"
)

// Teacher returns n rows of d independent N(0,1) features with tasks binary
// labels produced by a fixed random teacher network: a hidden layer of
// hidden tanh units, y_t = 1[Σ_k v_kt·tanh(2·w_k·x) > 0]. The teacher's
// weights depend only on (d, hidden, tasks, teacherSeed), the rows only on
// rowSeed, so two calls with the same teacher and different row seeds give
// a training and a test set of one problem. It panics if a size is < 1.
func Teacher(n, d, hidden, tasks int, teacherSeed, rowSeed uint64) *datasets.Set {
	if n < 1 || d < 1 || hidden < 1 || tasks < 1 {
		panic("synth: Teacher sizes must be ≥ 1")
	}
	r := rand.New(rand.NewPCG(teacherSeed, uint64(d)<<32|uint64(hidden)<<16|uint64(tasks)))
	w := make([]float64, d*hidden)
	v := make([]float64, hidden*tasks)
	for i := range w {
		w[i] = r.NormFloat64() / math.Sqrt(float64(d))
	}
	for i := range v {
		v[i] = r.NormFloat64()
	}
	s := &datasets.Set{N: n, D: d, T: tasks, X: make([]float64, n*d), Y: make([]float64, n*tasks)}
	r = rand.New(rand.NewPCG(rowSeed, 0x51a7))
	h := make([]float64, hidden)
	for i := 0; i < n; i++ {
		x := s.X[i*d : (i+1)*d]
		for j := range x {
			x[j] = r.NormFloat64()
		}
		for k := range h {
			var z float64
			for j, xj := range x {
				z += xj * w[j*hidden+k]
			}
			h[k] = math.Tanh(2 * z)
		}
		for t := 0; t < tasks; t++ {
			var z float64
			for k, hk := range h {
				z += hk * v[k*tasks+t]
			}
			if z > 0 {
				s.Y[i*tasks+t] = 1
			}
		}
	}
	return s
}
