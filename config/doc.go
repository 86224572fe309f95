// Package config loads experiment configurations from YAML onto Go structs,
// strictly and with positions, and writes them back out.
//
// It is generic: any struct whose fields carry `yaml:"..."` tags works, so
// the experiment config of cmd/train is just a struct composing the config
// structs of other packages (nets.Spec, solvers.Config, ...).
//
// # Loading
//
//	cfg := experiment.Default()                // defaults first
//	err := config.Load("configs/htru2.yaml", []string{"train.epochs=5"}, &cfg)
//
// Load and Decode walk the parsed yaml.Node tree themselves, so every
// problem comes with file, line and column:
//
//	configs/x.yaml:12:3: unknown key "dropuot" in model (allowed: units, layers, dropout); did you mean "dropout"?
//	configs/x.yaml:4:11: model.layers: expected integer, got "eight"
//	configs/x.yaml:7:3: duplicate key "units" in model (first at line 3)
//	configs/x.yaml:5:12: model.dropout: must be in [0, 1), got 1.5
//	-set model.dropuot=0.1: unknown key "dropuot" in model (allowed: ...)
//
// Steps, in order: the YAML document overlays the defaults (structs and maps
// merge key by key; slices and scalars are replaced; null resets pointers,
// slices, maps and interfaces); each override "a.b.c=value" of sets is
// applied (the value is parsed as YAML, so "model.widths=[512,256]" and
// "name='1e-3'" work); the cfg tag rules of all fields are checked; when they
// pass, every Validate method is called (see Validator and FieldError).
// An override cannot index into a slice ("layers.0.units=3" is an error):
// give the whole slice ("layers=[{units: 3}]"). Map keys can be set
// ("heads.out.units=2").
// All problems are collected into an ErrorList.
//
// Keys follow yaml.v3: the tag name, or the lower-cased Go field name when
// the tag has none; `yaml:"-"` hides a field; `yaml:",inline"` on a struct or
// *struct field lifts its keys into the parent (an embedded struct without
// inline is a nested mapping, as in yaml.v3). Scalars are strict: an int
// field takes only YAML integers, a float field integers or floats, a bool
// field only true/false, a time.Duration field a Go duration string ("90s").
// Types implementing yaml.Unmarshaler or encoding.TextUnmarshaler decode
// themselves. Anchors and aliases work; merge keys ("<<") do not.
//
// # Rule tags
//
// A field may carry a `cfg:"..."` tag: comma-separated rules, checked against
// the final value (defaults included) and reported at the line that set it:
//
//	min=X          value >= X
//	max=X          value <= X
//	exclusive_min  turns min into value > X
//	exclusive_max  turns max into value < X
//	oneof=a|b|c    value (string, bool or number, as written in YAML) is one of these
//	required       pointer non-nil; string, slice, map non-empty; number non-zero
//	minlen=N       slice, array, map or string has at least N elements (runes)
//	maxlen=N       ... at most N
//
// For example:
//
//	Dropout float64  `yaml:"dropout" cfg:"min=0,max=1,exclusive_max"`
//	Widths  []int    `yaml:"widths" cfg:"minlen=1,min=1"`
//	Solver  string   `yaml:"solver" cfg:"oneof=sgd|momentum|adam"`
//	Every   time.Duration `yaml:"every" cfg:"min=1s"`
//
// On a slice, array or map, minlen/maxlen apply to the container and
// min/max/oneof to each element; on a pointer, rules apply to the pointed-to
// value and a nil pointer passes unless required. For time.Duration fields
// min and max are duration strings. A malformed tag is a programming error,
// returned as a plain error (not an ErrorList) by Decode and Marshal.
//
// # Validate methods
//
// A struct (or any field type) with a `Validate() error` method checks
// cross-field conditions. It should check only its own fields; the loader
// calls the Validate methods of nested values itself, innermost first. To
// point the user at a line, return a FieldError (or wrap one, or join
// several with errors.Join) whose Key is relative to the struct:
//
//	func (s Spec) Validate() error {
//		if s.Layers > 1 && len(s.Widths) == 0 {
//			return config.Errorf("widths", "must be set when layers > 1")
//		}
//		return nil
//	}
//
// Any other error is reported against the struct's own key.
//
// A struct that code also builds by hand (not only from YAML) should still
// reject bad values in its Validate: there it calls Check, which applies the
// same tag rules, so each rule is written once, in its tag:
//
//	func (c Config) Validate() error { return config.Check(c) }
//
// # Writing
//
// Marshal writes the resolved configuration with every field, for
// -print-config and for the config.yaml saved into a run directory; Decode of
// its output gives back an equal struct.
package config
