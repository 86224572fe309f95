package config_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/selunet/selunet/config"
)

// level is a TextUnmarshaler: it decodes itself from a scalar.
type level int

func (l *level) UnmarshalText(b []byte) error {
	switch string(b) {
	case "unset":
		*l = 0
	case "low":
		*l = 1
	case "high":
		*l = 2
	default:
		return fmt.Errorf("unknown level %q (allowed: low, high)", b)
	}
	return nil
}

func (l level) MarshalText() ([]byte, error) {
	return []byte([...]string{"unset", "low", "high"}[l]), nil
}

type layer struct {
	Units int    `yaml:"units" cfg:"min=1"`
	Act   string `yaml:"act" cfg:"oneof=selu|relu"`
}

// Extra is inlined through a pointer (allocated when one of its keys is set).
type Extra struct {
	Note string `yaml:"note"`
}

type shapes struct {
	*Extra `yaml:",inline"`
	Layers []layer           `yaml:"layers" cfg:"minlen=1"`
	Heads  map[string]layer  `yaml:"heads"`
	Level  level             `yaml:"level"`
	Any    any               `yaml:"any"`
	Grid   [2]float64        `yaml:"grid"`
	Ptr    *int              `yaml:"ptr" cfg:"min=0"`
	Names  []string          `yaml:"names" cfg:"oneof=a|b,maxlen=2"`
	Counts map[string]uint16 `yaml:"counts"`
}

// TestDecodeShapes covers slices and maps of structs, anchors, inline
// pointers, TextUnmarshaler, interfaces, arrays and pointers.
func TestDecodeShapes(t *testing.T) {
	y := `
note: hello
layers:
  - &base {units: 4, act: selu}
  - *base
  - {units: 8, act: relu}
heads:
  out: {units: 1}
level: high
any: {a: [1, 2]}
grid: [0.5, 1]
ptr: 3
names: [a, b]
counts: {x: 7}
`
	var s shapes
	s.Heads = map[string]layer{"out": {Units: 9, Act: "relu"}, "aux": {Units: 2, Act: "selu"}}
	sets := []string{"heads.aux.units=5", "layers=[{units: 4, act: selu}, {units: 4, act: selu}, {units: 8, act: relu}]"}
	if err := config.Decode(strings.NewReader(y), "s.yaml", sets, &s); err != nil {
		t.Fatalf("got:%v want:nil", err)
	}
	three := 3
	want := shapes{
		Extra:  &Extra{Note: "hello"},
		Layers: []layer{{4, "selu"}, {4, "selu"}, {8, "relu"}},
		Heads:  map[string]layer{"out": {Units: 1, Act: "relu"}, "aux": {Units: 5, Act: "selu"}}, // merged per key
		Level:  2,
		Any:    map[string]any{"a": []any{1, 2}},
		Grid:   [2]float64{0.5, 1},
		Ptr:    &three,
		Names:  []string{"a", "b"},
		Counts: map[string]uint16{"x": 7},
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("got:%+v\nwant:%+v", s, want)
	}
	out, err := config.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back shapes
	if err := config.Decode(strings.NewReader(string(out)), "rt.yaml", nil, &back); err != nil || !reflect.DeepEqual(back, want) {
		t.Errorf("round trip: got:%+v err:%v\n%s", back, err, out)
	}
}

// TestMarshalNilInline: the keys of a nil inline pointer are left out, so
// the output decodes back to a nil pointer.
func TestMarshalNilInline(t *testing.T) {
	v := shapes{Layers: []layer{{Units: 1, Act: "selu"}}}
	out, err := config.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var back shapes
	if err := config.Decode(strings.NewReader(string(out)), "rt.yaml", nil, &back); err != nil || !reflect.DeepEqual(back, v) {
		t.Errorf("got:%+v err:%v want:%+v\n%s", back, err, v, out)
	}
}

// TestDecodeShapeErrors: error messages inside slices, maps and custom
// types (positions counted by hand).
func TestDecodeShapeErrors(t *testing.T) {
	cases := []struct {
		yaml string
		sets []string
		want string
	}{
		// 0: unknown key inside a slice element (rules still run, so the
		// missing act is reported too)
		{yaml: "layers:\n  - {units: 1, akt: selu}\n",
			want: "s.yaml:2:16: unknown key \"akt\" in layers[0] (allowed: units, act); did you mean \"act\"?\n" +
				`s.yaml: layers[0].act: must be one of selu, relu, got "" (default value)`},
		// 1: rule inside a map value
		{yaml: "layers: [{units: 1, act: selu}]\nheads:\n  out: {units: 0, act: selu}\n",
			want: `s.yaml:3:16: heads.out.units: must be >= 1, got 0`},
		// 2: TextUnmarshaler error
		{yaml: "layers: [{units: 1, act: selu}]\nlevel: medium\n",
			want: `s.yaml:2:8: level: unknown level "medium" (allowed: low, high)`},
		// 3: wrong array length
		{yaml: "layers: [{units: 1, act: selu}]\ngrid: [1, 2, 3]\n",
			want: `s.yaml:2:7: grid: expected sequence of 2 elements, got 3 elements`},
		// 4: minlen on a slice (default empty)
		{yaml: "note: x\n",
			want: `s.yaml: layers: must have at least 1 elements, got 0 (default value)`},
		// 5: oneof and maxlen on a slice of strings
		{yaml: "layers: [{units: 1, act: selu}]\nnames: [a, c]\n",
			want: `s.yaml:2:12: names[1]: must be one of a, b, got "c"`},
		// 6: rule through a pointer
		{yaml: "layers: [{units: 1, act: selu}]\nptr: -2\n",
			want: `s.yaml:2:6: ptr: must be >= 0, got -2`},
		// 7: uint16 overflow in a map value
		{yaml: "layers: [{units: 1, act: selu}]\ncounts: {x: 70000}\n",
			want: `s.yaml:2:13: counts.x: value 70000 overflows uint16`},
		// 8: -set through a slice is not supported: explains what is expected
		{yaml: "layers: [{units: 1, act: selu}]\n", sets: []string{"layers.0.units=3"},
			want: `-set layers.0.units=3: layers: expected sequence, got a mapping`},
		// 9: an alias of an invalid element: both copies point at the
		// anchored value
		{yaml: "layers:\n  - &l {units: 0, act: selu}\n  - *l\n",
			want: "s.yaml:2:16: layers[0].units: must be >= 1, got 0\ns.yaml:2:16: layers[1].units: must be >= 1, got 0"},
	}
	for i, c := range cases {
		var s shapes
		err := config.Decode(strings.NewReader(c.yaml), "s.yaml", c.sets, &s)
		if err == nil || err.Error() != c.want {
			t.Errorf("case %d:\ngot:%v\nwant:%v", i, err, c.want)
		}
	}
}

// TestLoadFile: Load names the file; a missing file is an fs error.
func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(path, []byte("layers: [{units: 1, act: gelu}]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var s shapes
	err := config.Load(path, nil, &s)
	want := path + `:1:26: layers[0].act: must be one of selu, relu, got "gelu"`
	if err == nil || err.Error() != want {
		t.Errorf("got:%v want:%v", err, want)
	}
	err = config.Load(filepath.Join(dir, "missing.yaml"), nil, &s)
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("got:%v want:%v", err, os.ErrNotExist)
	}
}
