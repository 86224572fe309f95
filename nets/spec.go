package nets

import (
	"math"

	"gorgonia.org/tensor"

	"github.com/selunet/selunet/config"
)

// Architectures accepted by Spec.Arch.
const (
	SNN        = "snn"
	MSRA       = "msra"
	BatchNorm  = "batchnorm"
	LayerNorm  = "layernorm"
	WeightNorm = "weightnorm"
	ResNet     = "resnet"
	Highway    = "highway"
)

// Layer shapes accepted by Spec.Shape.
const (
	Rectangular = "rectangular"
	Conic       = "conic"
	Diavolo     = "diavolo"
)

// Archs lists every architecture name accepted by Spec.Arch, in the order of
// the paper's Table 1.
var Archs = []string{SNN, MSRA, LayerNorm, Highway, ResNet, WeightNorm, BatchNorm}

// Head selects the output layer of a network.
type Head int

const (
	// Binary gives one logit per task; each is an independent binary problem.
	Binary Head = iota
	// MultiClass gives one logit per class for a softmax over classes.
	MultiClass
)

// String returns "binary" or "multiclass".
func (h Head) String() string {
	if h == MultiClass {
		return "multiclass"
	}
	return "binary"
}

// Spec describes a network. The zero value is not valid; DefaultSpec returns
// the paper's recommended SNN. The yaml tags are the names used in the
// `model:` section of cmd/train configs.
type Spec struct {
	// Arch is one of Archs. Default "snn".
	Arch string `yaml:"arch" cfg:"oneof=snn|msra|batchnorm|layernorm|weightnorm|resnet|highway"`
	// Layers is the number of hidden layers (residual blocks for resnet), ≥ 1.
	Layers int `yaml:"layers" cfg:"min=1"`
	// Units is the width of the first hidden layer, ≥ 1.
	Units int `yaml:"units" cfg:"min=1"`
	// Shape is "rectangular" or "conic" ("diavolo" for resnet blocks).
	Shape string `yaml:"shape" cfg:"oneof=rectangular|conic|diavolo"`
	// Dropout is the dropout rate in [0, 1) after every hidden layer: alpha
	// dropout for snn, standard inverted dropout for the other networks.
	Dropout float64 `yaml:"dropout" cfg:"min=0,max=1,exclusive_max"`
	// Bottleneck is the inner width of a diavolo residual block as a fraction
	// of Units, in (0, 1] (checked only for a diavolo resnet, which alone
	// uses it). Default 0.25.
	Bottleneck float64 `yaml:"bottleneck"`
	// Dtype is "float32" or "float64". Default "float32".
	Dtype string `yaml:"dtype" cfg:"oneof=float32|float64"`
}

// DefaultSpec returns an 8-layer rectangular SNN of width 1024 without
// dropout, in float32: the best Tox21 depth in the paper's Table 2.
func DefaultSpec() Spec {
	return Spec{Arch: SNN, Layers: 8, Units: 1024, Shape: Rectangular, Dropout: 0, Bottleneck: 0.25, Dtype: "float32"}
}

// Validate reports the invalid fields of s as config.FieldErrors whose keys
// are relative to the spec ("layers", "dropout", ...): the rules of the cfg
// tags (config.Check) and the cross-field conditions below.
func (s Spec) Validate() error {
	if err := config.Check(s); err != nil {
		return err
	}
	switch {
	case s.Shape == Diavolo && s.Arch != ResNet:
		return config.Errorf("shape", "%q is only for arch resnet", s.Shape)
	case s.Arch == ResNet && s.Shape == Diavolo && !(s.Bottleneck > 0 && s.Bottleneck <= 1):
		return config.Errorf("bottleneck", "must be in (0, 1] for a diavolo resnet, got %v", s.Bottleneck)
	}
	return nil
}

// TensorDtype returns the tensor.Dtype named by s.Dtype.
func (s Spec) TensorDtype() tensor.Dtype {
	if s.Dtype == "float64" {
		return tensor.Float64
	}
	return tensor.Float32
}

// Widths returns the widths of the hidden layers for a network with the given
// number of outputs. For resnet and highway the width is constant (Units):
// a residual or highway connection needs equal widths.
func (s Spec) Widths(outputs int) []int {
	w := make([]int, s.Layers)
	for i := range w {
		w[i] = s.Units
		if s.Shape == Conic && s.Arch != ResNet && s.Arch != Highway {
			f := math.Pow(float64(outputs)/float64(s.Units), float64(i)/float64(s.Layers))
			w[i] = max(outputs, int(math.Round(float64(s.Units)*f)))
		}
	}
	return w
}
