package datasets

import (
	"fmt"
	"io"
	"math/rand/v2"
)

// Batcher yields shuffled minibatches of a Set for one epoch at a time.
// The order is a permutation drawn from a PCG generator seeded by the seed
// given to NewBatcher, so a run is reproducible. The X, Y and Mask buffers
// returned by Next belong to the Batcher and are overwritten by the next call.
type Batcher struct {
	set      *Set
	size     int
	dropLast bool
	rng      *rand.Rand
	perm     []int
	pos      int
	epoch    int
	x, y, m  []float64
}

// NewBatcher returns a Batcher over s with batch size size, already shuffled
// for epoch 0. With dropLast, a final batch shorter than size is skipped (for
// graphs with a fixed batch dimension). It panics if s is nil or size < 1.
func NewBatcher(s *Set, size int, seed uint64, dropLast bool) *Batcher {
	if s == nil || size < 1 {
		panic(fmt.Sprintf("datasets: NewBatcher needs a set and size >= 1, got size %d", size))
	}
	b := &Batcher{set: s, size: size, dropLast: dropLast, rng: NewRand(seed),
		x: make([]float64, size*s.D), y: make([]float64, size*s.T), m: make([]float64, size*s.T)}
	b.perm = Permutation(s.N, b.rng)
	return b
}

// Next returns the next minibatch: x (n×D), y and mask (n×T, mask 1 where the
// label is present), and the row indices in the set. n is the batch size except
// possibly for the last batch of the epoch (never, with dropLast). At the end of
// the epoch it returns io.EOF; call Reset to start the next one.
func (b *Batcher) Next() (x, y, mask []float64, idx []int, err error) {
	n := min(b.size, len(b.perm)-b.pos)
	if n <= 0 || (b.dropLast && n < b.size) {
		return nil, nil, nil, nil, io.EOF
	}
	idx = b.perm[b.pos : b.pos+n]
	b.pos += n
	s := b.set
	x, y, mask = b.x[:n*s.D], b.y[:n*s.T], b.m[:n*s.T]
	s.CopyBatch(idx, x, y, mask)
	return x, y, mask, idx, nil
}

// Reset starts the next epoch with a fresh permutation.
func (b *Batcher) Reset() {
	b.epoch++
	b.pos = 0
	b.perm = Permutation(b.set.N, b.rng)
}

// Epoch returns the number of Reset calls so far (0 for the first epoch).
func (b *Batcher) Epoch() int { return b.epoch }

// Batches returns the number of batches Next yields per epoch.
func (b *Batcher) Batches() int {
	if b.dropLast {
		return b.set.N / b.size
	}
	return (b.set.N + b.size - 1) / b.size
}
