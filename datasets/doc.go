// Package datasets holds the in-memory data set type that the selunet training
// loop consumes, plus the shared machinery of the loaders in its sub-packages
// (htru2, tox21, tabular): seeded stratified splits, feature standardization,
// minibatching, strict text parsing with positioned errors, and locating or
// downloading the data files.
//
// # Set
//
// A Set is a dense row-major float64 matrix X (N×D) with labels Y (N×T) and an
// optional mask (N×T, 1 = label present, 0 = missing; nil = all present):
//
//	binary task         T = 1, Classes = 0, Y ∈ {0, 1}
//	multi-task binary   T > 1, Classes = 0, Y ∈ {0, 1}, Mask marks missing labels (Tox21)
//	multi-class         T = 1, Classes = K ≥ 2, Y ∈ {0, …, K−1} (class index)
//
// A missing label is stored as Y = 0 with Mask = 0, so Y never holds NaN.
//
// # Splits
//
// StratifiedKFold and HoldOut take one label per row (the class, or for
// multi-task sets a summary such as Set.AnyPositive) and a seed. Each class is
// shuffled with a PCG generator seeded from the seed, the classes are laid end to
// end (in increasing label order) and the resulting sequence is dealt out
// round-robin, so every fold gets ⌊n_c/k⌋ or ⌈n_c/k⌉ rows of each class c and
// fold sizes differ by at most one. Index lists come back sorted.
//
// NestedCVFolds implements the protocol of Klambauer et al. 2017
// (arXiv:1706.02515, Sec. 4 and App. A4.4, HTRU2): when fold m is the test fold,
// fold m−1 (wrapping around to the last fold for m = 0) is the validation fold
// and the remaining folds are training data.
//
// # Standardization
//
// FitStandardizer computes per-column mean μ and population standard deviation
// σ (divisor N) on the training rows only; Apply maps x ↦ (x − μ)/σ in place and,
// when Standardizer.Clip > 0, clips the result to [−Clip, Clip]. A column whose σ
// is at most 1e-12·max(1, |μ|) (constant up to rounding) gets σ = 1, so it
// becomes exactly x − μ (zero for constant columns) instead of blowing up.
//
// # Batches
//
// A Batcher yields seeded, shuffled minibatches copied into buffers it owns and
// returns io.EOF at the end of each epoch; Reset starts the next epoch with a new
// permutation. The buffers are overwritten by the next call.
//
// # Files, downloads and errors
//
// Loaders find their files through a Locator: an explicit directory or the
// SELUNET_DATA_DIR environment variable names a folder laid out like
// <dir>/htru2/HTRU_2.csv, <dir>/tox21/...; otherwise the official archive is
// downloaded into a per-user cache (SELUNET_CACHE_DIR, or
// os.UserCacheDir()/selunet), checked against its SHA-256 where one is known,
// and moved into place only after verification, so a half-written or corrupt
// file is never left behind.
//
// Every error about input data names the file, the line and the column
// (*ParseError); missing files give a *NotFoundError that says how to obtain
// them; checksum mismatches match ErrChecksum with errors.Is.
package datasets
