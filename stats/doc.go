// Package stats holds the statistics of the paper's method comparisons
// (Klambauer et al. 2017, Sec. 4 and Table 1): the Wilcoxon signed-rank test
// for paired samples and average ranks of methods over data sets.
//
// # Wilcoxon signed-rank test
//
// Wilcoxon(x, y, opts) tests whether the differences d = x − y are
// symmetric about zero. The absolute nonzero differences are ranked (ties
// get the mean of the ranks they span), and the statistic is V = W⁺, the sum
// of the ranks of the positive differences, as in R's wilcox.test.
//
// Zero differences (x[i] == y[i]) are handled by Options.Zeros:
//
//   - ZeroWilcox (default, as R and SciPy): zeros are dropped before ranking,
//     so n counts the nonzero differences only.
//   - ZeroPratt: zeros are ranked with the others, then their ranks are
//     dropped; the null mean and variance are corrected for them (Pratt
//     1959, SciPy's zero_method="pratt").
//
// The p-value is exact or from the normal approximation (Options.Method):
//
//   - Exact: the null distribution of V enumerates all 2ⁿ sign assignments
//     of the ranks actually observed (by dynamic programming over doubled
//     ranks, so midranks are exact). Without ties and zeros this is the
//     classical signed-rank distribution (R's psignrank); with tied ranks it
//     is the exact permutation distribution conditional on the ties. n ≤
//     1000.
//   - Normal: z = (V − μ − c)/σ with μ = n(n+1)/4 and
//     σ² = n(n+1)(2n+1)/24 − Σ(t³−t)/48 over the groups of t tied |d| (the
//     tie correction), and the continuity correction c = ±0.5 towards μ
//     (Options.NoContinuity turns it off).
//   - Auto (default, R's rule): Exact when n < 50 and there are neither ties
//     nor zeros, Normal otherwise.
//
// Two-sided p-values are 2·min(P(V ≤ v), P(V ≥ v)), capped at 1. With no
// nonzero difference the test is undefined and Wilcoxon returns an error.
//
// # Average ranks
//
// Ranks returns the 1-based midranks of a sample (ascending). AverageRanks
// ranks the methods within every data set (rank 1 = best; tied methods share
// the mean of their ranks) and averages over the data sets, as in the
// paper's Tables 1 and A12/A13.
package stats
