package datasets

import (
	"encoding/binary"
	"errors"
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
	pcg      *rand.PCG
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
	pcg := rand.NewPCG(seed, seedStream)
	b := &Batcher{set: s, size: size, dropLast: dropLast, rng: rand.New(pcg), pcg: pcg,
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

// MarshalBinary saves the Batcher's position (epoch, permutation, offset and
// generator state) so a checkpointed run resumes with the same batches.
func (b *Batcher) MarshalBinary() ([]byte, error) {
	st, err := b.pcg.MarshalBinary()
	if err != nil {
		return nil, err
	}
	out := binary.AppendUvarint(nil, uint64(b.epoch))
	out = binary.AppendUvarint(out, uint64(b.pos))
	out = binary.AppendUvarint(out, uint64(len(b.perm)))
	for _, i := range b.perm {
		out = binary.AppendUvarint(out, uint64(i))
	}
	out = binary.AppendUvarint(out, uint64(len(st)))
	return append(out, st...), nil
}

// UnmarshalBinary restores a state saved by MarshalBinary into a Batcher built
// over a set with the same number of rows. It returns an error for malformed
// data or a row-count mismatch, leaving b unchanged.
func (b *Batcher) UnmarshalBinary(data []byte) error {
	bad := errors.New("datasets: malformed Batcher state")
	next := func() (uint64, error) {
		v, n := binary.Uvarint(data)
		if n <= 0 {
			return 0, bad
		}
		data = data[n:]
		return v, nil
	}
	var hdr [3]uint64
	for k := range hdr {
		v, err := next()
		if err != nil {
			return err
		}
		hdr[k] = v
	}
	if hdr[2] != uint64(b.set.N) || hdr[1] > hdr[2] {
		return fmt.Errorf("datasets: Batcher state for %d rows (offset %d), set has %d", hdr[2], hdr[1], b.set.N)
	}
	perm := make([]int, hdr[2])
	seen := make([]bool, hdr[2])
	for k := range perm {
		v, err := next()
		if err != nil || v >= hdr[2] || seen[v] {
			return bad
		}
		perm[k], seen[v] = int(v), true
	}
	n, err := next()
	if err != nil || n != uint64(len(data)) {
		return bad
	}
	pcg := &rand.PCG{}
	if err := pcg.UnmarshalBinary(data); err != nil {
		return fmt.Errorf("datasets: Batcher generator state: %w", err)
	}
	b.epoch, b.pos, b.perm, b.pcg, b.rng = int(hdr[0]), int(hdr[1]), perm, pcg, rand.New(pcg)
	return nil
}
