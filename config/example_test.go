package config_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/selunet/selunet/config"
)

// Spec is what a package such as nets would export: yaml tags, cfg rules and
// a Validate method for cross-field checks.
type Spec struct {
	Layers  int     `yaml:"layers" cfg:"min=1"`
	Units   int     `yaml:"units" cfg:"min=1"`
	Dropout float64 `yaml:"dropout" cfg:"min=0,max=1,exclusive_max"`
	Act     string  `yaml:"activation" cfg:"oneof=selu|relu|tanh"`
}

// Validate blames one key with a FieldError.
func (s Spec) Validate() error {
	if s.Act != "selu" && s.Dropout > 0 {
		return config.Errorf("dropout", "alpha-dropout needs activation selu, got %s", s.Act)
	}
	return nil
}

// Experiment composes per-package structs.
type Experiment struct {
	Seed   uint64 `yaml:"seed"`
	Model  Spec   `yaml:"model"`
	Epochs int    `yaml:"epochs" cfg:"min=1"`
}

func Example() {
	cfg := Experiment{Seed: 1, Model: Spec{Layers: 8, Units: 256, Dropout: 0.05, Act: "selu"}, Epochs: 100}
	file := "model:\n  layers: 4\n  dropout: 0.1\n"
	err := config.Decode(strings.NewReader(file), "configs/demo.yaml", []string{"epochs=5"}, &cfg)
	fmt.Println("err:", err)
	out, _ := config.Marshal(cfg)
	fmt.Print(string(out))

	// A typo and a bad value, each with its position.
	bad := "model:\n  layres: 4\n  dropout: 1.5\n"
	err = config.Decode(strings.NewReader(bad), "configs/demo.yaml", []string{"model.activation=gelu"}, &cfg)
	fmt.Println(err)
	// Output:
	// err: <nil>
	// seed: 1
	// model:
	//   layers: 4
	//   units: 256
	//   dropout: 0.1
	//   activation: selu
	// epochs: 5
	// configs/demo.yaml:2:3: unknown key "layres" in model (allowed: layers, units, dropout, activation); did you mean "layers"?
	// configs/demo.yaml:3:12: model.dropout: must be in [0, 1), got 1.5
	// -set model.activation=gelu: model.activation: must be one of selu, relu, tanh, got "gelu"
}

func ExampleLoad() {
	dir, _ := os.MkdirTemp("", "config-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "exp.yaml")
	_ = os.WriteFile(path, []byte("model:\n  activation: relu\n  dropout: 0.1\n"), 0o644)
	cfg := Experiment{Model: Spec{Layers: 8, Units: 256, Act: "selu"}, Epochs: 10}
	err := config.Load(path, nil, &cfg)
	fmt.Println(strings.TrimPrefix(err.Error(), dir+string(filepath.Separator)))
	// Output:
	// exp.yaml:3:12: model.dropout: alpha-dropout needs activation selu, got relu
}
