package datasets

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// seedStream is the second PCG word used by every split and batcher, so that a
// single uint64 seed fixes the generator.
const seedStream = 0x5e1a_e75e_1a5e_7001

// NewRand returns the PCG generator used throughout the package for seed.
// Its state can be saved with the PCG's MarshalBinary.
func NewRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seedStream)) }

// Permutation returns a random permutation of 0..n−1 drawn from rng. It panics
// if rng is nil or n < 0.
func Permutation(n int, rng *rand.Rand) []int {
	if rng == nil || n < 0 {
		panic("datasets: Permutation needs a generator and n >= 0")
	}
	return rng.Perm(n)
}

// stratifiedOrder groups row indices by label value (classes in increasing
// order), shuffles each group with a generator seeded from seed and returns the
// concatenation.
func stratifiedOrder(labels []float64, seed uint64) ([]int, error) {
	groups := map[float64][]int{}
	for i, y := range labels {
		if math.IsNaN(y) {
			return nil, fmt.Errorf("datasets: label of row %d is NaN; use -1 (or another value) for missing labels", i)
		}
		groups[y] = append(groups[y], i)
	}
	keys := make([]float64, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Float64s(keys)
	rng := NewRand(seed)
	order := make([]int, 0, len(labels))
	for _, k := range keys {
		g := groups[k]
		rng.Shuffle(len(g), func(a, b int) { g[a], g[b] = g[b], g[a] })
		order = append(order, g...)
	}
	return order, nil
}

// StratifiedKFold splits the rows 0..len(labels)−1 into k disjoint folds whose
// union is every row. labels holds one value per row (class index, binary
// label, or a summary such as Set.AnyPositive; −1 is a fine "missing" value,
// it is just another stratum). Each label value is spread evenly: every fold
// gets ⌊n_c/k⌋ or ⌈n_c/k⌉ rows of class c, and fold sizes differ by at most one.
// The assignment depends only on labels and seed. Each fold is sorted.
// It returns an error if k < 2, k > len(labels), or a label is NaN.
func StratifiedKFold(labels []float64, k int, seed uint64) ([][]int, error) {
	if k < 2 || k > len(labels) {
		return nil, fmt.Errorf("datasets: StratifiedKFold k=%d with %d rows, want 2 <= k <= rows", k, len(labels))
	}
	order, err := stratifiedOrder(labels, seed)
	if err != nil {
		return nil, err
	}
	folds := make([][]int, k)
	for p, i := range order {
		folds[p%k] = append(folds[p%k], i)
	}
	for _, f := range folds {
		sort.Ints(f)
	}
	return folds, nil
}

// HoldOut splits the rows into a training part and a held-out part holding
// about frac of the rows (⌊frac·n⌋ or one more), stratified as in
// StratifiedKFold: the per-class held-out share is frac up to rounding by one
// row. Both index lists are sorted. It returns an error if frac is not in
// (0, 1), a label is NaN, or either part would be empty.
func HoldOut(labels []float64, frac float64, seed uint64) (train, held []int, err error) {
	if !(frac > 0 && frac < 1) {
		return nil, nil, fmt.Errorf("datasets: HoldOut frac=%v, want 0 < frac < 1", frac)
	}
	order, err := stratifiedOrder(labels, seed)
	if err != nil {
		return nil, nil, err
	}
	for p, i := range order {
		// Position p is held out when the running quota ⌊(p+1)·frac⌋ grows.
		if math.Floor(float64(p+1)*frac) > math.Floor(float64(p)*frac) {
			held = append(held, i)
		} else {
			train = append(train, i)
		}
	}
	if len(train) == 0 || len(held) == 0 {
		return nil, nil, fmt.Errorf("datasets: HoldOut frac=%v of %d rows leaves an empty part (train %d, held %d)", frac, len(labels), len(train), len(held))
	}
	sort.Ints(train)
	sort.Ints(held)
	return train, held, nil
}

// NestedCVFolds returns the index sets of outer iteration m of the paper's
// nested cross-validation (Klambauer et al. 2017, App. A4.4): test is folds[m],
// val is folds[m−1] (folds[len(folds)−1] when m = 0) and train is the sorted
// union of the other folds. test and val alias folds; train is new.
// It panics if len(folds) < 3 or m is out of range.
func NestedCVFolds(folds [][]int, m int) (train, val, test []int) {
	k := len(folds)
	if k < 3 || m < 0 || m >= k {
		panic(fmt.Sprintf("datasets: NestedCVFolds fold %d of %d, want >= 3 folds and 0 <= m < k", m, k))
	}
	v := (m - 1 + k) % k
	for j, f := range folds {
		if j != m && j != v {
			train = append(train, f...)
		}
	}
	sort.Ints(train)
	return train, folds[v], folds[m]
}

// GroupHoldOut is HoldOut for rows that come in groups no split may cut:
// every row of a group lands on the same side. groups[i] is row i's group
// (any int); labels[i] its stratum, as in HoldOut, and a group's stratum is
// the largest label among its rows (with Set.AnyPositive: a group with an
// active row is active). Within each stratum the groups, taken in order of
// their first row, are shuffled as stratifiedOrder shuffles rows; in that
// order a group is held out while the stratum's held-out rows are below
// their quota ⌊frac·n_s⌉ (of its n_s rows) and holding it leaves them no
// further from it, so each stratum's share is frac up to half a group (a
// group larger than twice the quota is never held). Both index
// lists are sorted. It returns an error if frac is not in (0, 1), the
// lengths differ, a label is NaN, or either part would be empty.
func GroupHoldOut(groups []int, labels []float64, frac float64, seed uint64) (train, held []int, err error) {
	if !(frac > 0 && frac < 1) {
		return nil, nil, fmt.Errorf("datasets: GroupHoldOut frac=%v, want 0 < frac < 1", frac)
	}
	if len(groups) != len(labels) {
		return nil, nil, fmt.Errorf("datasets: GroupHoldOut has %d groups for %d labels", len(groups), len(labels))
	}
	index := map[int]int{} // group → position in members
	var members [][]int
	var stratum []float64
	for i, g := range groups {
		if math.IsNaN(labels[i]) {
			return nil, nil, fmt.Errorf("datasets: label of row %d is NaN; use -1 (or another value) for missing labels", i)
		}
		k, ok := index[g]
		if !ok {
			k = len(members)
			index[g] = k
			members = append(members, nil)
			stratum = append(stratum, labels[i])
		}
		members[k] = append(members[k], i)
		stratum[k] = max(stratum[k], labels[i])
	}
	rows := map[float64]int{}
	for k, s := range stratum {
		rows[s] += len(members[k])
	}
	// The groups, shuffled within each stratum as HoldOut shuffles rows.
	order, err := stratifiedOrder(stratum, seed)
	if err != nil {
		return nil, nil, err
	}
	quota, n := 0, 0
	for p, k := range order {
		if p == 0 || stratum[k] != stratum[order[p-1]] {
			quota, n = int(math.Round(frac*float64(rows[stratum[k]]))), 0
		}
		if m := len(members[k]); n < quota && abs(n+m-quota) <= abs(n-quota) {
			held = append(held, members[k]...)
			n += m
		} else {
			train = append(train, members[k]...)
		}
	}
	if len(train) == 0 || len(held) == 0 {
		return nil, nil, fmt.Errorf("datasets: GroupHoldOut frac=%v of %d rows in %d groups leaves an empty part (train %d, held %d)", frac, len(labels), len(members), len(train), len(held))
	}
	sort.Ints(train)
	sort.Ints(held)
	return train, held, nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
