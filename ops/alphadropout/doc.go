// Package alphadropout is the dropout of self-normalizing networks
// (Klambauer et al. 2017, arXiv:1706.02515, Sec. 2 "New Dropout Technique")
// as a Gorgonia op. With keep probability q = 1 − rate and d ~ Bernoulli(q)
// drawn per element in training:
//
//	y = a·(x·d + α'·(1 − d)) + b
//	α' = −λα = selu.AlphaPrime ≈ −1.7580993408473768
//	a  = (q + α'²·q·(1 − q))^(−1/2)
//	b  = −a·(1 − q)·α'
//
// so inputs with mean 0 and variance 1 keep them. At evaluation time y = x.
// For another fixed point (μ, ν), WithFixedPoint uses the reference code's
// a = sqrt(ν / (q((1−q)(α'−μ)² + ν))), b = μ − a(qμ + (1−q)α').
//
// Rates: 1 − q = 0.05 or 0.10 is what the paper recommends.
//
//	rate  a                      b
//	0.05  0.95484447600503087639 0.083935572193810186713
//	0.10  0.92128451614971148273 0.16197097005757022794
//	0.20  0.87890358344353285886 0.30903996214409452103
//
// # Use
//
//	h, err := alphadropout.Apply(h, 0.05, graph.Train, seed)
//
// Apply returns x itself in graph.Eval mode or at rate 0, and an error for a
// rate outside [0, 1). The mode is fixed when the graph is built, so train
// and eval behaviour cannot leak between machines: build a train graph and an
// eval graph over the same graph.Params.
//
// Every Apply call creates a new Op (a distinct node even on the same input)
// with its own PCG stream (math/rand/v2) seeded by (seed, k), k = number of
// alpha dropout ops already in the graph, so masks are reproducible and
// independent across call sites. A new mask is drawn on each forward
// execution; the backward pass dx = a·d·dy reuses it. The RNG state is saved
// and restored with Op.MarshalBinary / UnmarshalBinary; Ops lists a graph's
// ops in node order (for checkpoints). WithMask freezes the mask, which makes
// the op deterministic for graph/gradcheck.
//
// # Kernel
//
// The fused kernel draws 64 random bits per two elements, compares each 32-bit
// half with round(q·2³²) (q exact to 2⁻³²), stores a 1-bit mask and selects
// a·x + b or a·α' + b without branches. Tensors are split into blocks of
// BlockSize elements, each with its own PCG seeded from the op's stream, so
// blocks run in parallel and masks do not depend on GOMAXPROCS. Forward and
// backward are one pass each; the mask kept between them takes one bit per
// element. BenchmarkKernelFwdBwd32 and BenchmarkGraphFwdBwd32 time it;
// bench/PERFORMANCE.md has measured times.
package alphadropout
