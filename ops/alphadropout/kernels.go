package alphadropout

import (
	"math"
	"math/bits"
	"runtime"
	"sync"
)

// BlockSize is the number of elements that share one mask generator. Each
// forward pass draws one seed per block from the op's PCG and runs a wyrand
// generator from it, so masks do not depend on how many goroutines process
// the blocks.
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
// from a wyrand generator seeded with seed: two elements per 64-bit draw,
// each kept when its 32-bit half is below thr.
func drawMask(mask []uint64, n int, thr uint64, seed uint64) {
	s := seed
	for w := range mask {
		cnt := min(64, n-w*64)
		var m uint64
		for j := 0; j < cnt; j += 2 {
			s += 0xa0761d6478bd642f
			hi, lo := bits.Mul64(s, s^0xe7037ed1a0b428db)
			r := hi ^ lo
			m |= (b2u(uint64(uint32(r)) < thr) | b2u(r>>32 < thr)<<1) << j
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
	if useAVX2 && len(x) >= 64 {
		n := len(x) &^ 63
		forward32AVX2(y[:n], x[:n], mask[:n/64], a, b, d)
		if n == len(x) {
			return
		}
		y, x, mask = y[n:], x[n:], mask[n/64:]
	}
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
	if useAVX2 && len(dx) >= 64 {
		n := len(dx) &^ 63
		backward32AVX2(dx[:n], dy[:n], mask[:n/64], a)
		if n == len(dx) {
			return
		}
		dx, dy, mask = dx[n:], dy[n:], mask[n/64:]
	}
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
