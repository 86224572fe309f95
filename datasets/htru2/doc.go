// Package htru2 loads the HTRU2 pulsar-candidate data set (R. J. Lyon et al.,
// MNRAS 2016; UCI Machine Learning Repository data set 372, CC BY 4.0) into a
// datasets.Set, as used in the astronomy experiment of Klambauer et al. 2017
// (arXiv:1706.02515, Sec. 4 and App. A4.4).
//
// The file HTRU_2.csv has 17,898 rows of 8 comma-separated features and a 0/1
// class (1 = pulsar; 1,639 positives), no header, lone "\r" line ends and no
// final newline; "\n" and "\r\n" files are read as well. Feature names follow
// the ARFF header of the UCI zip (FeatureNames): the Readme swaps skewness and
// kurtosis, the data agree with the ARFF order.
//
// The paper's protocol is 10-fold nested cross-validation: with stratified
// folds from datasets.StratifiedKFold(set.PrimaryLabels(), 10, seed), outer
// iteration m uses datasets.NestedCVFolds(folds, m) (test fold m, validation
// fold m−1). Standardize with statistics of the training folds only.
//
// Load looks for <dir>/htru2/HTRU_2.csv (or the UCI HTRU2.zip) in the data
// directory (argument or SELUNET_DATA_DIR), then in the download cache, and
// otherwise uses the copy built into the package (Embedded: the official
// file, gzip-compressed, verified against SHA256 before use), so it works
// offline and without any data directory. Remote describes the official
// download for tools that fetch it (datasets.Locator.Find).
//
// The data is licensed CC BY 4.0 (UCI Machine Learning Repository); cite R. J.
// Lyon, B. W. Stappers, S. Cooper, J. M. Brooke, J. D. Knowles, "Fifty Years
// of Pulsar Candidate Selection: From simple filters to a new principled
// real-time classification approach", MNRAS 459(1), 1104-1123, 2016. See
// DATA-LICENSE.md next to the embedded file.
package htru2
