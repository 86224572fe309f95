package alphadropout

import (
	"math"
	"math/bits"
	"runtime"

	"github.com/selunet/selunet/internal/par"
)

// BlockSize is the number of elements that share one mask generator. Each
// forward pass draws one seed per block from the op's PCG and runs eight
// xoshiro128+ lanes from it, so masks do not depend on how many goroutines
// process the blocks.
const BlockSize = 1 << 15

// parallelBlocks calls f for every block index in [0, nb), on up to
// GOMAXPROCS goroutines when there are at least minPar blocks.
func parallelBlocks(nb int, minPar int, f func(blk int)) {
	w := min(runtime.GOMAXPROCS(0), nb/minPar)
	par.Blocks(w, nb, 1, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			f(i)
		}
	})
}

// threshold returns t with P(uint32 < t) = q rounded to a multiple of 2^-32.
func threshold(q float64) uint64 {
	return uint64(math.Round(q * (1 << 32)))
}

// drawMask fills mask (one bit per element, bit set = kept) for n elements.
// Eight xoshiro128+ generators (one per lane, seeded from seed by SplitMix64)
// each give one 32-bit value per step; element 8·i + l is kept when lane l's
// i-th value is below thr. The amd64 assembly runs the eight lanes in one
// AVX2 register and gives the same bits as the Go loop.
func drawMask(mask []uint64, n int, thr uint64, seed uint64) {
	if n <= 0 {
		return
	}
	words := (n + 63) / 64
	mask = mask[:words]
	if thr == 0 {
		clear(mask)
		return
	}
	var st [4][8]uint32
	sm := seed
	for i := 0; i < 4; i++ {
		for l := 0; l < 8; l += 2 {
			sm += 0x9e3779b97f4a7c15
			z := sm
			z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
			z = (z ^ z>>27) * 0x94d049bb133111eb
			z ^= z >> 31
			st[i][l], st[i][l+1] = uint32(z), uint32(z>>32)
		}
	}
	// an all-zero lane state would stay zero; SplitMix64 makes it practically
	// impossible, but guard anyway
	for l := 0; l < 8; l++ {
		if st[0][l]|st[1][l]|st[2][l]|st[3][l] == 0 {
			st[0][l] = 1
		}
	}
	steps := (n + 7) / 8
	t := uint32(thr - 1) // kept iff u <= t (thr in [1, 2^32])
	if useAVX2 {
		maskAVX2(mask, &st, steps, t)
	} else {
		maskGo(mask, &st, steps, t)
	}
	if r := n % 64; r != 0 {
		mask[words-1] &= 1<<r - 1
	}
}

// maskGo is the portable form of maskAVX2: steps bytes of mask, byte i from
// step i of the eight lanes.
func maskGo(mask []uint64, st *[4][8]uint32, steps int, t uint32) {
	s0, s1, s2, s3 := st[0], st[1], st[2], st[3]
	for i := 0; i < steps; i++ {
		var byt uint64
		for l := 0; l < 8; l++ {
			u := s0[l] + s3[l]
			if u <= t {
				byt |= 1 << l
			}
			sh := s1[l] << 9
			s2[l] ^= s0[l]
			s3[l] ^= s1[l]
			s1[l] ^= s2[l]
			s0[l] ^= s3[l]
			s2[l] ^= sh
			s3[l] = bits.RotateLeft32(s3[l], 11)
		}
		w, b := i/8, uint(i%8)*8
		if b == 0 {
			mask[w] = 0
		}
		mask[w] |= byt << b
	}
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
