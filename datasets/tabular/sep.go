package tabular

import (
	"fmt"
	"strconv"
)

// Sep is a field separator. In a YAML config it is written as the character
// itself (sep: ";", sep: ","), as "\t" (a tab in double quotes, the two
// characters \t, or the word tab), or as the character's byte value
// (sep: 59, the form older configs use). Zero means the default ',' (older
// resolved configs write it as sep: 0, newer ones as sep: "").
type Sep byte

// UnmarshalText implements encoding.TextUnmarshaler (see Sep).
func (s *Sep) UnmarshalText(b []byte) error {
	t := string(b)
	switch {
	case t == "" || t == "0":
		*s = 0
	case t == `\t` || t == "tab":
		*s = '\t'
	case len(t) == 1 && (t[0] < '0' || t[0] > '9'):
		if t[0] == '"' || t[0] == '\n' || t[0] == '\r' {
			return fmt.Errorf("separator %q cannot separate fields (want one character such as \",\", \";\" or \"\\t\")", t)
		}
		*s = Sep(t[0])
	default:
		v, err := strconv.ParseUint(t, 10, 8)
		if err != nil || v == 0 || v == '"' || v == '\n' || v == '\r' {
			return fmt.Errorf("separator %q: want one character such as \",\", \";\" or \"\\t\" (or its byte value, e.g. 59)", t)
		}
		*s = Sep(v)
	}
	return nil
}

// MarshalText implements encoding.TextMarshaler: the character itself ("\t"
// as the two characters \t, so that a resolved config reads back the same).
func (s Sep) MarshalText() ([]byte, error) {
	switch s {
	case 0:
		return nil, nil
	case '\t':
		return []byte(`\t`), nil
	}
	if s < ' ' || s > '~' || (s >= '0' && s <= '9') {
		return []byte(strconv.Itoa(int(s))), nil
	}
	return []byte{byte(s)}, nil
}

// byte returns the separator, ',' for zero.
func (s Sep) byte() byte {
	if s == 0 {
		return ','
	}
	return byte(s)
}
