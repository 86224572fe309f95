package alphadropout

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"sync"
)

// BlockSize is the number of elements that share one per-forward PCG stream.
// Each forward pass draws two seeds per block from the op's PCG, so masks do
// not depend on how many goroutines process the blocks.
const BlockSize = 1 << 15

// parallelBlocks calls f for every block index in [0, nb), on up to
// GOMAXPROCS goroutines when there are at least minPar blocks.
func parallelBlocks(nb int, minPar int, f func(blk int)) {
	w := min(runtime.GOMAXPROCS(0), nb/minPar)
	if w < 2 {
		for i := 0; i < nb; i++ {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	per := (nb + w - 1) / w
	for lo := per; lo < nb; lo += per {
		hi := min(lo+per, nb)
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				f(i)
			}
		}(lo, hi)
	}
	for i := 0; i < min(per, nb); i++ {
		f(i)
	}
	wg.Wait()
}

// threshold returns t with P(uint32 < t) = q rounded to a multiple of 2^-32.
func threshold(q float64) uint64 {
	return uint64(math.Round(q * (1 << 32)))
}

// drawMask fills mask (one bit per element, bit set = kept) for n elements
// with a PCG seeded (s1, s2): two elements per 64-bit draw.
func drawMask(mask []uint64, n int, thr uint64, s1, s2 uint64) {
	var p rand.PCG
	p.Seed(s1, s2)
	for w := range mask {
		cnt := min(64, n-w*64)
		var m uint64
		for j := 0; j < cnt; j += 2 {
			r := p.Uint64()
			lo := uint64(uint32(r))
			hi := r >> 32
			m |= (b2u(lo < thr) | b2u(hi < thr)<<1) << j
		}
		if cnt < 64 {
			m &= 1<<cnt - 1
		}
		mask[w] = m
	}
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// forward32 writes y = kept ? a·x + b : d (d = a·α' + b) for one block.
func forward32(y, x []float32, mask []uint64, a, b, d float32) {
	y = y[:len(x)]
	db := math.Float32bits(d)
	for w, m := range mask {
		lo := w * 64
		hi := min(lo+64, len(x))
		xs, ys := x[lo:hi], y[lo:hi]
		for j := range xs {
			k := -uint32((m >> j) & 1)
			v := math.Float32bits(a*xs[j] + b)
			ys[j] = math.Float32frombits(v&k | db&^k)
		}
	}
}

// backward32 writes dx = kept ? a·dy : 0 for one block.
func backward32(dx, dy []float32, mask []uint64, a float32) {
	dy = dy[:len(dx)]
	for w, m := range mask {
		lo := w * 64
		hi := min(lo+64, len(dx))
		ds, gs := dx[lo:hi], dy[lo:hi]
		for j := range gs {
			k := -uint32((m >> j) & 1)
			ds[j] = math.Float32frombits(math.Float32bits(a*gs[j]) & k)
		}
	}
}

func forward64(y, x []float64, mask []uint64, a, b, d float64) {
	y = y[:len(x)]
	db := math.Float64bits(d)
	for w, m := range mask {
		lo := w * 64
		hi := min(lo+64, len(x))
		xs, ys := x[lo:hi], y[lo:hi]
		for j := range xs {
			k := -((m >> j) & 1)
			v := math.Float64bits(a*xs[j] + b)
			ys[j] = math.Float64frombits(v&k | db&^k)
		}
	}
}

func backward64(dx, dy []float64, mask []uint64, a float64, accumulate bool) {
	dy = dy[:len(dx)]
	for w, m := range mask {
		lo := w * 64
		hi := min(lo+64, len(dx))
		ds, gs := dx[lo:hi], dy[lo:hi]
		for j := range gs {
			k := -((m >> j) & 1)
			v := math.Float64frombits(math.Float64bits(a*gs[j]) & k)
			if accumulate {
				ds[j] += v
			} else {
				ds[j] = v
			}
		}
	}
}

// popcount returns the number of kept elements in mask.
func popcount(mask []uint64) int {
	n := 0
	for _, m := range mask {
		n += bits.OnesCount64(m)
	}
	return n
}
