// Package selfnorm runs the self-normalization experiment of Klambauer et al.
// (2017, arXiv:1706.02515, Sec. 2 and Theorem 1): N(0,1) inputs pushed through
// a deep stack of bias-free SELU layers with LeCun-normal weights N(0, 1/n)
// keep activations near mean 0 and variance 1 at every layer, with or without
// alpha dropout (in training mode).
//
//	stats, err := selfnorm.Run(selfnorm.Config{Depth: 32, Width: 256, Samples: 10000, Seed: 1})
//
// Each layer computes h ← selu(h·W) (then alpha dropout if Config.Dropout > 0)
// in a Gorgonia graph built from graph.Params, ops/selu and ops/alphadropout.
// In float32 the product h·W is a forward-only op backed by the AVX2+FMA
// kernel of internal/sgemm (gonum's Sgemm without AVX2/FMA); float64 uses
// gorgonia.Mul. A run costs 2·Samples·Width²·Depth flops in the products.
// The samples go through in chunks of at most ChunkRows rows; per-layer mean
// and variance are accumulated over all elements in float64. Results are
// plain structs with JSON tags, for a command-line front end.
package selfnorm
