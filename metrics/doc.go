// Package metrics computes evaluation metrics for binary, multi-task and
// multi-class classifiers from plain []float64 slices: ROC-AUC (and its
// mean over tasks, the Tox21 metric of the SNN paper, Klambauer et al.
// 2017, arXiv:1706.02515), average precision (PR-AUC), accuracy and log
// loss.
//
// # Definitions
//
//	ROCAUC           area under the ROC curve: gonum's stat.ROC with nil cutoffs
//	                 (one point per distinct score, so tied scores count half)
//	                 integrated by integrate.Trapezoidal; equals scikit-learn's
//	                 roc_auc_score, weights included.
//	AveragePrecision AP = Σ_k (R_k − R_{k−1})·P_k over distinct thresholds in
//	                 decreasing order, no interpolation: scikit-learn's
//	                 average_precision_score.
//	MeanROCAUC       unweighted mean of ROCAUC over tasks of a row-major n×T
//	                 matrix, ignoring masked entries and skipping (and listing)
//	                 tasks that have a single class.
//	BinaryAccuracy   fraction with (p > 0.5) == label.
//	Accuracy         fraction of rows whose argmax (first on ties) is the label.
//	LogLoss          mean −(y·log p + (1−y)·log(1−p)), p clipped to [1e-15, 1−1e-15].
//
// # Inputs, weights and masks
//
// Labels are 0 or 1 (class indices for Accuracy), stored as float64.
// Weights are optional (nil means 1 each) and must be finite and >= 0. An
// entry of weight 0 is skipped before anything else is read, so a 0/1 mask
// can be passed as weights and masked labels may be NaN.
//
// # Undefined results
//
// A metric that cannot be computed returns NaN together with an error that
// wraps a sentinel: ErrEmpty (no entry of non-zero weight), ErrSingleClass
// (ROC-AUC with one class; AP without positives), ErrNoValidTask (MeanROCAUC
// with every task skipped) or ErrInput (NaN score, label not 0/1, bad
// weight, probability outside [0, 1]). Mismatched slice lengths are a
// programmer error and panic with a "metrics: ..." message, as in gonum.
package metrics
