package graph

import "fmt"

// Mode selects training or evaluation behaviour of ops such as alpha dropout.
// It is fixed when a graph is built; the zero value is Train.
type Mode int

const (
	// Train enables stochastic regularisers (dropout masks are drawn).
	Train Mode = iota
	// Eval turns stochastic regularisers into the identity.
	Eval
)

// String returns "train" or "eval" ("Mode(n)" for any other value).
func (m Mode) String() string {
	switch m {
	case Train:
		return "train"
	case Eval:
		return "eval"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// ParseMode maps "train" or "eval" to a Mode; any other string is an error.
func ParseMode(s string) (Mode, error) {
	switch s {
	case "train":
		return Train, nil
	case "eval":
		return Eval, nil
	}
	return 0, fmt.Errorf("graph: unknown mode %q (want \"train\" or \"eval\")", s)
}

// MarshalText encodes m as "train" or "eval", so Mode is readable in JSON and YAML.
func (m Mode) MarshalText() ([]byte, error) {
	if m != Train && m != Eval {
		return nil, fmt.Errorf("graph: invalid mode %d", int(m))
	}
	return []byte(m.String()), nil
}

// UnmarshalText decodes "train" or "eval".
func (m *Mode) UnmarshalText(b []byte) error {
	v, err := ParseMode(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}
