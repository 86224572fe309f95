// Package model is a trained network packaged for use: one file that holds
// everything prediction needs, and prediction that cannot be run in the
// wrong mode.
//
// A model file holds the architecture (a nets.Spec plus input and output
// sizes and the head), every weight, the input preprocessing (feature
// column names, the feature transform, the standardization statistics of
// the training rows and the clipping bound) and the output names (tasks of a
// binary head, classes of a multi-class head). Predict takes raw feature
// rows in the training file's units, applies the preprocessing and runs the
// network's evaluation graph (graph.Eval: dropout is the identity, batch
// normalization uses its running statistics); there is no training graph,
// no solver and no data set involved, so train/eval mode cannot be confused.
// The outputs are probabilities: a sigmoid per task (binary head) or a
// softmax over classes (multi-class head).
//
// # File format
//
// A model file is a checkpoint container (package checkpoint: checksummed,
// written atomically) whose metadata has format "selunet-model" and version
// 1, whose tensors are the network's parameters under their nets names
// ("layer01/W", "out/b", ...) in the network's dtype, and whose blob
// "model.json" is the JSON of Info. Read accepts exactly that: the checksum,
// the version, every Info field (no unknown JSON keys, finite statistics,
// positive standard deviations, unique non-empty names, sizes that agree),
// at most MaxLayers layers, and exactly the parameters the architecture
// needs with their shapes and dtype. The parameter count is checked against
// the file's tensors before anything is allocated, so memory stays bounded
// by the file's size.
//
// An experiment run (package experiment) writes one model file per split,
// models/<split>.model. Ensemble averages the probabilities of several
// models over the same features, the mean over a cross-validation's fold
// models. WriteSafetensors exports a model in the safetensors layout
// (package safetensors) with Info as JSON in the metadata.
package model
