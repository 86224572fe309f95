package config_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/selunet/selunet/config"
)

// Test types mimic an experiment config composed of per-package structs.

type optim struct {
	Name     string  `yaml:"name" cfg:"oneof=sgd|momentum|adam"`
	LR       float64 `yaml:"lr" cfg:"min=0,exclusive_min"`
	Momentum float64 `yaml:"momentum" cfg:"min=0,max=1,exclusive_max"`
}

func (o *optim) Validate() error {
	if o.Name == "sgd" && o.Momentum != 0 {
		return errors.New("momentum needs name momentum or adam, not sgd")
	}
	return nil
}

type model struct {
	Units      int     `yaml:"units" cfg:"min=1"`
	Layers     int     `yaml:"layers" cfg:"min=1,max=64"`
	Dropout    float64 `yaml:"dropout" cfg:"min=0,max=1,exclusive_max"`
	Widths     []int   `yaml:"widths" cfg:"min=1"`
	Activation string  `yaml:"activation"`
}

func (m model) Validate() error {
	var errs []error
	if len(m.Widths) > 0 && len(m.Widths) != m.Layers {
		errs = append(errs, config.Errorf("widths", "has %d entries but layers is %d", len(m.Widths), m.Layers))
	}
	if m.Activation == "relu" && m.Dropout > 0 {
		errs = append(errs, fmt.Errorf("model check: %w", config.FieldError{Key: "dropout", Msg: "alpha-dropout needs selu"}))
	}
	return errors.Join(errs...)
}

type train struct {
	Epochs  int           `yaml:"epochs" cfg:"min=1"`
	Every   time.Duration `yaml:"every" cfg:"min=1s"`
	Verbose bool          `yaml:"verbose"`
}

type common struct {
	Seed uint64 `yaml:"seed"`
	Name string `yaml:"name"`
}

type experiment struct {
	common `yaml:",inline"`
	Model  model             `yaml:"model"`
	Optim  *optim            `yaml:"optimizer"`
	Train  train             `yaml:"train"`
	Tags   map[string]string `yaml:"tags,omitempty"`
	Small  int8              `yaml:"small"`
	Hidden int               `yaml:"-"`
}

func defaults() experiment {
	return experiment{
		common: common{Seed: 1, Name: "run"},
		Model:  model{Units: 16, Layers: 2, Dropout: 0.05, Activation: "selu"},
		Optim:  &optim{Name: "sgd", LR: 0.01},
		Train:  train{Epochs: 10, Every: time.Minute},
	}
}

// TestDecodeErrors checks the exact message of every error kind. Expected
// positions were counted by hand in the YAML literals (1-based line:column).
func TestDecodeErrors(t *testing.T) {
	cases := []struct {
		yaml string
		sets []string
		def  func(*experiment)
		want string
	}{
		// 0: unknown nested key, position of the key, suggestion
		{yaml: "model:\n  units: 3\n  dropuot: 0.1\n",
			want: `x.yaml:3:3: unknown key "dropuot" in model (allowed: units, layers, dropout, widths, activation); did you mean "dropout"?`},
		// 1: unknown top-level key (inline fields are listed too, "-" is not)
		{yaml: "seed: 2\nhidden: 3\n",
			want: `x.yaml:2:1: unknown key "hidden" at top level (allowed: seed, name, model, optimizer, train, tags, small)`},
		// 2: wrong type for an int, position of the value
		{yaml: "model:\n  layers: eight\n",
			want: `x.yaml:2:11: model.layers: expected integer, got "eight"`},
		// 3: "yes" is a string in YAML 1.2, not a bool
		{yaml: "train:\n  verbose: yes\n",
			want: `x.yaml:2:12: train.verbose: expected boolean (true or false), got "yes"`},
		// 4: scalar where a struct is expected
		{yaml: "model: 3\n",
			want: `x.yaml:1:8: model: expected mapping, got "3"`},
		// 5: scalar where a slice is expected
		{yaml: "model:\n  widths: 5\n",
			want: `x.yaml:2:11: model.widths: expected sequence, got "5" (a list is written [5] or one "- item" line per item)`},
		// 6: duplicate key
		{yaml: "model:\n  units: 3\n  layers: 2\n  units: 4\n",
			want: `x.yaml:4:3: duplicate key "units" in model (first at line 2)`},
		// 7: min rule
		{yaml: "model:\n  units: 0\n",
			want: `x.yaml:2:10: model.units: must be >= 1, got 0`},
		// 8: oneof rule
		{yaml: "optimizer:\n  name: adamw\n",
			want: `x.yaml:2:9: optimizer.name: must be one of sgd, momentum, adam, got "adamw"`},
		// 9: half-open interval
		{yaml: "model: {dropout: 1}\n",
			want: `x.yaml:1:18: model.dropout: must be in [0, 1), got 1`},
		// 10: bad duration
		{yaml: "train:\n  every: 10\n",
			want: `x.yaml:2:10: train.every: expected duration (e.g. "90s", "1h30m"), got "10"`},
		// 11: duration below min
		{yaml: "train:\n  every: 10ms\n",
			want: `x.yaml:2:10: train.every: must be >= 1s, got 10ms`},
		// 12: YAML syntax error (line only; yaml.v3 reports the line of the
		// enclosing block mapping, not the bad line 3)
		{yaml: "model:\n  units: 3\n bad\n",
			want: `x.yaml:2: YAML syntax: did not find expected key`},
		// 13: Validate returning a FieldError, reported where widths was set
		{yaml: "model:\n  layers: 3\n  widths: [8, 8]\n",
			want: `x.yaml:3:11: model.widths: has 2 entries but layers is 3`},
		// 14: two documents, position of the second "---"
		{yaml: "seed: 1\n---\nseed: 2\n",
			want: `x.yaml:2:1: found a second YAML document; a config file holds exactly one`},
		// 15: negative value for an unsigned field
		{yaml: "seed: -1\n",
			want: `x.yaml:1:7: seed: expected non-negative integer, got "-1"`},
		// 16: overflow
		{yaml: "small: 300\n",
			want: `x.yaml:1:8: small: value 300 overflows int8`},
		// 17: -set unknown key
		{sets: []string{"model.dropuot=0.1"},
			want: `-set model.dropuot=0.1: unknown key "dropuot" in model (allowed: units, layers, dropout, widths, activation); did you mean "dropout"?`},
		// 18: -set wrong type
		{sets: []string{"train.epochs=five"},
			want: `-set train.epochs=five: train.epochs: expected integer, got "five"`},
		// 19: -set out of range, reported against the override that set it
		{yaml: "model:\n  dropout: 0.1\n", sets: []string{"model.dropout=1"},
			want: `-set model.dropout=1: model.dropout: must be in [0, 1), got 1`},
		// 20: -set without '='
		{sets: []string{"model.units"},
			want: `-set model.units: expected key=value, e.g. -set train.epochs=5`},
		// 21: a default out of range
		{def: func(e *experiment) { e.Model.Units = 0 },
			want: `x.yaml: model.units: must be >= 1, got 0 (default value)`},
		// 22: several errors, in file order
		{yaml: "model:\n  units: x\n  layers: y\n",
			want: "x.yaml:2:10: model.units: expected integer, got \"x\"\nx.yaml:3:11: model.layers: expected integer, got \"y\""},
		// 23: a plain error from Validate (pointer receiver) blames the
		// struct, at its key
		{yaml: "optimizer:\n  momentum: 0.9\n",
			want: `x.yaml:1:1: optimizer: momentum needs name momentum or adam, not sgd`},
		// 24: joined FieldErrors, one wrapped with %w; dropout kept its
		// default, so the error points at the enclosing "model:" key
		{yaml: "model:\n  layers: 1\n  widths: [4, 4]\n  activation: relu\n",
			want: "x.yaml:3:11: model.widths: has 2 entries but layers is 1\nx.yaml:1:1: model.dropout: alpha-dropout needs selu"},
		// 25: element rule on a slice, position of the element
		{yaml: "model:\n  layers: 3\n  widths: [4, 0, 2]\n",
			want: `x.yaml:3:15: model.widths[1]: must be >= 1, got 0`},
		// 26: sequence where a scalar is expected
		{yaml: "name: [a, b]\n",
			want: `x.yaml:1:7: name: expected string, got a sequence`},
		// 27: -set value that is not YAML
		{sets: []string{"name=[a"},
			want: `-set name=[a: value is not valid YAML: line 1: did not find expected ',' or ']'`},
		// 28: null for an int
		{yaml: "model:\n  units:\n",
			want: `x.yaml:2:9: model.units: expected integer, got null`},
		// 29: an empty -set value for a string
		{sets: []string{"model.activation="},
			want: `-set model.activation=: model.activation: expected string, got null (write "" for an empty string)`},
	}
	for i, c := range cases {
		e := defaults()
		if c.def != nil {
			c.def(&e)
		}
		err := config.Decode(strings.NewReader(c.yaml), "x.yaml", c.sets, &e)
		if err == nil {
			t.Errorf("case %d: got:nil want:%q", i, c.want)
			continue
		}
		if got := err.Error(); got != c.want {
			t.Errorf("case %d:\ngot:%v\nwant:%v", i, got, c.want)
		}
		var ce *config.Error
		if !errors.As(err, &ce) {
			t.Errorf("case %d: errors.As(*config.Error) failed for %T", i, err)
		}
	}
}

// TestDecodeOverlay checks merge semantics, overrides and the accepted scalar
// forms. Expected values are the defaults with the listed keys changed.
func TestDecodeOverlay(t *testing.T) {
	y := `
seed: 7
model:
  units: 0x20        # hex int
  dropout: 1e-1      # float in exponent form
  widths: &w [8, 8]
optimizer:
  lr: 1              # int literal in a float field
tags: {a: x, b: "true"}
train:
  every: 1m30s
`
	e := defaults()
	sets := []string{"model.widths=[512, 256]", "tags.c=3", "train.epochs=5", "optimizer.name=adam", "name='007'"}
	if err := config.Decode(strings.NewReader(y), "x.yaml", sets, &e); err != nil {
		t.Fatalf("got:%v want:nil", err)
	}
	want := defaults()
	want.Seed = 7
	want.Name = "007"
	want.Model.Units = 32
	want.Model.Dropout = 0.1
	want.Model.Widths = []int{512, 256}
	want.Optim = &optim{Name: "adam", LR: 1}
	want.Tags = map[string]string{"a": "x", "b": "true", "c": "3"}
	want.Train.Every = 90 * time.Second
	want.Train.Epochs = 5
	if !reflect.DeepEqual(e, want) {
		t.Errorf("got:%+v\nwant:%+v", e, want)
	}
}

// TestDecodeNullAndEmpty: null resets a pointer, an empty document changes
// nothing.
func TestDecodeNullAndEmpty(t *testing.T) {
	cases := []struct {
		yaml  string
		check func(e experiment) bool
	}{
		{"optimizer: null\n", func(e experiment) bool { return e.Optim == nil }},                                        // 0
		{"", func(e experiment) bool { return reflect.DeepEqual(e, defaults()) }},                                       // 1
		{"# only a comment\n", func(e experiment) bool { return reflect.DeepEqual(e, defaults()) }},                     // 2
		{"model: {widths: []}\n", func(e experiment) bool { return e.Model.Widths != nil && len(e.Model.Widths) == 0 }}, // 3
	}
	for i, c := range cases {
		e := defaults()
		if err := config.Decode(strings.NewReader(c.yaml), "x.yaml", nil, &e); err != nil {
			t.Errorf("case %d: got:%v want:nil", i, err)
			continue
		}
		if !c.check(e) {
			t.Errorf("case %d: got:%+v", i, e)
		}
	}
}

// TestDecodeCopiesPointers: decoding onto a copy of a struct changes the
// copy only, not the values its pointers share with the original.
func TestDecodeCopiesPointers(t *testing.T) {
	cases := []struct {
		yaml string
		sets []string
		lr   float64 // the copy's optimizer.lr
	}{
		{"optimizer: {lr: 5}\n", nil, 5},         // 0
		{"", []string{"optimizer.lr=3"}, 3},      // 1
		{"optimizer: {name: adam}\n", nil, 0.01}, // 2
	}
	for i, c := range cases {
		base := defaults()
		e := base
		if err := config.Decode(strings.NewReader(c.yaml), "x.yaml", c.sets, &e); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if e.Optim.LR != c.lr {
			t.Errorf("case %d: copy's lr got:%v want:%v", i, e.Optim.LR, c.lr)
		}
		if !reflect.DeepEqual(base, defaults()) {
			t.Errorf("case %d: original changed: %+v", i, *base.Optim)
		}
	}
}

// TestDecodeBadTarget: a non-pointer or malformed tag is a plain error.
func TestDecodeBadTarget(t *testing.T) {
	type bad struct {
		X int `yaml:"x" cfg:"oneof"`
	}
	cases := []struct {
		dst  any
		want string
	}{
		{experiment{}, "config: Decode needs a non-nil pointer to a struct, got config_test.experiment"}, // 0
		{&bad{}, `config: field bad.X: bad cfg tag "oneof": oneof needs values a|b|c`},                   // 1
	}
	for i, c := range cases {
		err := config.Decode(strings.NewReader("x: 1\n"), "x.yaml", nil, c.dst)
		if err == nil || err.Error() != c.want {
			t.Errorf("case %d: got:%v want:%v", i, err, c.want)
		}
	}
}

// TestMarshalRoundTrip: Decode(Marshal(v)) onto a zero value gives v back,
// including floats that need every digit and strings that look like other
// types.
func TestMarshalRoundTrip(t *testing.T) {
	e := defaults()
	e.Name = "true"
	e.Model.Dropout = 0.1 + 0.2 // 0.30000000000000004
	e.Model.Layers = 2
	e.Model.Activation = "a: b"
	e.Model.Widths = []int{} // empty, not nil
	e.Optim.LR = 1e-300
	e.Optim.Momentum = 0
	e.Train.Every = 90*time.Second + time.Millisecond
	e.Tags = map[string]string{"z": "1", "a": ""}
	e.Small = -128
	e.Seed = 1<<64 - 1
	f := defaults() // nil slice and map
	f.Model.Widths = []int{512, 256}
	g := defaults()
	g.Optim = nil
	g.Tags = map[string]string{}
	for i, v := range []experiment{e, defaults(), f, g} {
		out, err := config.Marshal(&v)
		if err != nil {
			t.Fatal(err)
		}
		var got experiment
		if err := config.Decode(strings.NewReader(string(out)), "roundtrip.yaml", nil, &got); err != nil {
			t.Fatalf("case %d: got:%v want:nil\n%s", i, err, out)
		}
		if !reflect.DeepEqual(got, v) {
			t.Errorf("case %d: got:%+v\nwant:%+v\nyaml:\n%s", i, got, v, out)
		}
	}
}

// TestMarshalOutput checks the exact text: all fields, defaults included.
func TestMarshalOutput(t *testing.T) {
	e := defaults()
	out, err := config.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	want := `seed: 1
name: run
model:
  units: 16
  layers: 2
  dropout: 0.05
  widths: null
  activation: selu
optimizer:
  name: sgd
  lr: 0.01
  momentum: 0.0
train:
  epochs: 10
  every: 1m0s
  verbose: false
tags: null
small: 0
`
	if string(out) != want {
		t.Errorf("got:\n%s\nwant:\n%s", out, want)
	}
}
