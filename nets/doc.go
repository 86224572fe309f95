// Package nets builds whole feed-forward networks on a *gorgonia.ExprGraph from a
// small Spec: the self-normalizing network (SNN) of Klambauer et al. 2017
// (arXiv:1706.02515) and the paper's comparison networks, so that every
// experiment of the paper can be rerun in one framework.
//
// Architectures (Spec.Arch), the compared methods of the paper's Sec. 4 (details
// in its Appendix A4.1, A4.3, A4.4):
//
//	snn         SELU activations (λ01, α01), LeCun-normal weights, zero biases,
//	            optional alpha dropout after every hidden layer
//	msra        ReLU MLP without normalization, He/MSRA-normal weights
//	            (the paper's "MSRAinit"); optional standard dropout
//	batchnorm   Linear → BatchNorm → ReLU; batch statistics when training,
//	            running statistics (momentum 0.1) when evaluating
//	layernorm   Linear → LayerNorm → ReLU
//	weightnorm  ReLU MLP whose weights are w = g·v/‖v‖ per output unit
//	resnet      ReLU residual blocks of two layers, relu(x + W2·relu(W1·x)),
//	            W1 He-normal and W2 starting at zero (every block starts as
//	            the identity); Layers counts blocks; Shape "diavolo" narrows
//	            the inner layer to Bottleneck·Units
//	highway     highway layers y = H(x)·T(x) + x·(1−T(x)) with ReLU H and
//	            sigmoid gate T (gate bias initialized to −1)
//
// Layer widths (Spec.Shape): "rectangular" gives every hidden layer Units
// units; "conic" starts at Units and shrinks geometrically towards the number
// of outputs, width_i = Units·(outputs/Units)^(i/Layers).
//
// Output heads: Binary gives one logit per task (sigmoid outputs, used with a
// masked binary cross-entropy so multi-task data with missing labels works);
// MultiClass gives one logit per class (softmax cross-entropy).
//
// Parameters live in a graph.Params that exists outside any graph. A *Net
// is a graph.Model: Build binds the parameters into the graph of an input
// node (Input makes one) for one graph.Mode. A training graph holds the
// dropout masks and batch statistics, an evaluation graph does not. Because
// the mode is fixed when a graph is built, training and evaluation machines
// that share the same weights can never leak modes into each other.
// Package train trains a Net (or any other graph.Model) with a loss the
// caller chooses for the head: train.BinaryCE or train.SoftmaxCE.
package nets
