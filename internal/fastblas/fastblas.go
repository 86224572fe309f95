package fastblas

import (
	"github.com/selunet/selunet/internal/sgemm"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Implementation is gonum's BLAS with a fast Sgemm. The zero value is ready
// to use and holds no state; it satisfies gorgonia.BLAS (blas.Float32,
// blas.Float64, blas.Complex64 and blas.Complex128) and is safe for
// concurrent use.
type Implementation struct {
	gonum.Implementation
}

var _ blas.Float32 = Implementation{}

// Sgemm sets C = alpha·op(A)·op(B) + beta·C, where op(A) is m×k, op(B) is
// k×n and C is m×n, all row-major with leading dimensions lda, ldb, ldc.
// op(X) is X for blas.NoTrans and Xᵀ for blas.Trans or blas.ConjTrans
// (the same for real numbers). With beta = 0, C is not read. With m or n
// zero it returns at once; with k = 0 or alpha = 0 it only scales C by beta.
//
// Sgemm panics, with gonum's messages, if tA or tB is not a valid
// blas.Transpose, m, n or k is negative, a leading dimension is smaller
// than its matrix's row length (or 1), or a slice is too short.
func (Implementation) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	aTrans, bTrans := isTrans(tA), isTrans(tB)
	if m < 0 {
		panic("blas: m < 0")
	}
	if n < 0 {
		panic("blas: n < 0")
	}
	if k < 0 {
		panic("blas: k < 0")
	}
	if (aTrans && lda < max(1, m)) || (!aTrans && lda < max(1, k)) {
		panic("blas: bad leading dimension of A")
	}
	if (bTrans && ldb < max(1, k)) || (!bTrans && ldb < max(1, n)) {
		panic("blas: bad leading dimension of B")
	}
	if ldc < max(1, n) {
		panic("blas: bad leading dimension of C")
	}
	if m == 0 || n == 0 {
		return
	}
	if (aTrans && len(a) < (k-1)*lda+m) || (!aTrans && len(a) < (m-1)*lda+k) {
		panic("blas: insufficient length of a")
	}
	if (bTrans && len(b) < (n-1)*ldb+k) || (!bTrans && len(b) < (k-1)*ldb+n) {
		panic("blas: insufficient length of b")
	}
	if len(c) < (m-1)*ldc+n {
		panic("blas: insufficient length of c")
	}
	sgemm.Gemm(aTrans, bTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// isTrans reports whether t transposes; it panics for an invalid t.
func isTrans(t blas.Transpose) bool {
	switch t {
	case blas.NoTrans:
		return false
	case blas.Trans, blas.ConjTrans:
		return true
	}
	panic("blas: illegal transpose")
}
