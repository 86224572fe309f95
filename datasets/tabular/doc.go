// Package tabular loads a user's own delimited text table, and the UCI-121
// benchmark files of Fernández-Delgado et al. (JMLR 15, 2014) used by
// Klambauer et al. 2017 (arXiv:1706.02515, Sec. 4, App. A4.1–A4.2), into a
// datasets.Set.
//
// # CSV tables (Read, Load)
//
// The first line is a header; Options.Labels names the label column(s), an
// optional Options.ID column names the rows, Options.Ignore lists columns to
// skip, and every other column is a feature that must hold a finite number in
// every row (no categorical encoding, no missing features). Label cells:
//
//	several label columns   multi-task binary: 0, 1, or empty = missing (masked)
//	one label column, Task "binary"       0, 1, or empty = missing
//	one label column, Task "multiclass"   any text; the distinct labels are sorted
//	                                       (numerically when all parse as numbers,
//	                                       else as strings) and mapped to 0..K−1,
//	                                       recorded in Set.ClassNames; empty = missing
//	Task "" (auto)          binary if every present label is 0 or 1, else multiclass
//
// Pass Options.Classes (for example a training set's ClassNames) to fix the
// class list when reading a test file, so both use the same indices; an unknown
// label is then an error. Lines may end in "\n", "\r\n" or "\r".
//
// # UCI-121 (LoadUCI)
//
// <dir>/uci121/<name>/ holds <name>.txt (metadata: n_entradas features,
// n_clases classes, fich1/fich2 data files), the tab-separated data file(s)
// with a header "\tf1…\tfM\tclase", a row-index column, M features already
// z-scored over the whole file by the original authors, and an integer class
// 0..K−1; conxuntos.dat (two index lines: a 50/50 train/validation split) and
// conxuntos_kfold.dat (4 train/test index pairs). Indices are 0-based rows of
// the first (or only) data file. The SNN paper tested on the predefined test
// file (two-file data sets) or on one of the 4-fold test sets.
package tabular
