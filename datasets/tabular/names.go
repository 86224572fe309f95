package tabular

import (
	"fmt"
	"slices"
	"strings"
)

// CheckUCINames returns an error naming every entry of names that is not a
// UCI-121 data set of the data directory dir ("" means SELUNET_DATA_DIR),
// each with the closest known names; nil when all are known. It returns
// UCINames' error when the directory has no uci121 folder.
func CheckUCINames(dir string, names []string) error {
	known, err := UCINames(dir)
	if err != nil {
		return err
	}
	var bad []string
	for _, n := range names {
		if !slices.Contains(known, n) {
			bad = append(bad, fmt.Sprintf("%q (closest: %s)", n, strings.Join(Closest(n, known, 3), ", ")))
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return fmt.Errorf("tabular: unknown UCI-121 data set %s; the names are the folders of %s/uci121", strings.Join(bad, "; "), dirName(dir))
}

func dirName(dir string) string {
	if dir == "" {
		return "$SELUNET_DATA_DIR"
	}
	return dir
}

// Closest returns up to k entries of known nearest to name by edit
// distance (ties in the order of known).
func Closest(name string, known []string, k int) []string {
	type cand struct {
		s string
		d int
	}
	cs := make([]cand, len(known))
	for i, s := range known {
		cs[i] = cand{s, editDistance(strings.ToLower(name), strings.ToLower(s))}
	}
	slices.SortStableFunc(cs, func(a, b cand) int { return a.d - b.d })
	var out []string
	for _, c := range cs[:min(k, len(cs))] {
		out = append(out, c.s)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b (bytes).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
