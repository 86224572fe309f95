package fastblas

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// recorder is Implementation that records the transpose pairs Sgemm sees.
type recorder struct {
	Implementation
	mu   *sync.Mutex
	seen map[[2]blas.Transpose]int
}

func (r recorder) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	r.mu.Lock()
	r.seen[[2]blas.Transpose{tA, tB}]++
	r.mu.Unlock()
	r.Implementation.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// mlpStep builds a two-layer MLP, loss = mean((tanh(X·W1)·W2)²), with the
// BLAS b in force, runs forward and backward once on a TapeMachine and
// returns the loss and the gradients of W1 and W2 (inputs from a fixed
// seed, so every call sees the same numbers).
func mlpStep(t *testing.T, b gorgonia.BLAS) (loss float32, gW1, gW2 []float32) {
	t.Helper()
	prev := gorgonia.WhichBLAS()
	gorgonia.Use(b)
	defer gorgonia.Use(prev)

	const batch, in, hidden, out = 37, 50, 33, 7 // no multiple of 6 or 16
	rng := rand.New(rand.NewPCG(9, 10))
	g := gorgonia.NewGraph()
	mk := func(r, c int, name string) *gorgonia.Node {
		v := tensor.New(tensor.WithShape(r, c), tensor.WithBacking(randSlice(rng, r*c)))
		return gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(r, c), gorgonia.WithName(name), gorgonia.WithValue(v))
	}
	x, w1, w2 := mk(batch, in, "x"), mk(in, hidden, "w1"), mk(hidden, out, "w2")
	h := gorgonia.Must(gorgonia.Tanh(gorgonia.Must(gorgonia.Mul(x, w1))))
	y := gorgonia.Must(gorgonia.Mul(h, w2))
	cost := gorgonia.Must(gorgonia.Mean(gorgonia.Must(gorgonia.Square(y))))
	if _, err := gorgonia.Grad(cost, w1, w2); err != nil {
		t.Fatal(err)
	}
	m := gorgonia.NewTapeMachine(g)
	defer m.Close()
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	grad := func(n *gorgonia.Node) []float32 {
		gv, err := n.Grad()
		if err != nil {
			t.Fatal(err)
		}
		return append([]float32(nil), gv.Data().([]float32)...)
	}
	return cost.Value().Data().(float32), grad(w1), grad(w2)
}

// TestGorgoniaMLP: forward and backward of an MLP through gorgonia.Mul give
// the same loss and gradients with fastblas as with gonum's BLAS (the
// expected values), to float32 rounding, and the backward pass reaches
// Sgemm with transposed operands.
func TestGorgoniaMLP(t *testing.T) {
	const tol = 1e-5 // relative to the largest gradient magnitude
	wantLoss, wantW1, wantW2 := mlpStep(t, gonum.Implementation{})
	rec := recorder{mu: new(sync.Mutex), seen: map[[2]blas.Transpose]int{}}
	gotLoss, gotW1, gotW2 := mlpStep(t, rec)
	if _, ok := gorgonia.WhichBLAS().(recorder); ok {
		t.Fatalf("BLAS not restored: got:%T", gorgonia.WhichBLAS())
	}
	if d := math.Abs(float64(gotLoss - wantLoss)); d > tol*math.Abs(float64(wantLoss)) {
		t.Errorf("loss got:%v want:%v", gotLoss, wantLoss)
	}
	for _, c := range []struct {
		name      string
		got, want []float32
	}{{"dW1", gotW1, wantW1}, {"dW2", gotW2, wantW2}} {
		var scale float64
		for _, v := range c.want {
			scale = max(scale, math.Abs(float64(v)))
		}
		for i := range c.want {
			if d := math.Abs(float64(c.got[i] - c.want[i])); d > tol*scale {
				t.Fatalf("%s[%d] got:%v want:%v", c.name, i, c.got[i], c.want[i])
			}
		}
	}
	if len(rec.seen) < 2 {
		t.Errorf("Sgemm transpose pairs got:%v want: NoTrans·NoTrans and transposed ones", rec.seen)
	}
	t.Logf("Sgemm calls by (tA, tB): %v", rec.seen)
}
