package config

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

var durationType = reflect.TypeOf(time.Duration(0))

// rules is a parsed `cfg:"..."` struct tag; see doc.go for the grammar.
type rules struct {
	min, max             float64
	hasMin, hasMax       bool
	exclMin, exclMax     bool
	oneof                []string
	required             bool
	minLen, maxLen       int
	hasMinLen, hasMaxLen bool
	dur                  bool // bounds and values are time.Duration
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func isContainer(k reflect.Kind) bool {
	return k == reflect.Slice || k == reflect.Array || k == reflect.Map
}

func isNumber(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// parseRules parses a cfg tag for a field of type t. It returns nil for an
// empty tag and an error for a malformed tag or one that does not fit t.
func parseRules(tag string, t reflect.Type) (*rules, error) {
	if strings.TrimSpace(tag) == "" {
		return nil, nil
	}
	ct := deref(t)
	vt := ct
	if isContainer(ct.Kind()) {
		vt = deref(ct.Elem())
	}
	r := &rules{dur: vt == durationType}
	parseBound := func(s string) (float64, error) {
		if r.dur {
			d, err := time.ParseDuration(s)
			return float64(d), err
		}
		return strconv.ParseFloat(s, 64)
	}
	for _, item := range strings.Split(tag, ",") {
		item = strings.TrimSpace(item)
		k, val, hasVal := strings.Cut(item, "=")
		var err error
		switch k {
		case "min", "max":
			if !hasVal {
				return nil, fmt.Errorf("bad cfg tag %q: %s needs a value", tag, k)
			}
			if !isNumber(vt.Kind()) {
				return nil, fmt.Errorf("bad cfg tag %q: %s needs a numeric or duration field, not %s", tag, k, t)
			}
			if k == "min" {
				r.min, err = parseBound(val)
				r.hasMin = true
			} else {
				r.max, err = parseBound(val)
				r.hasMax = true
			}
		case "exclusive_min":
			r.exclMin = true
		case "exclusive_max":
			r.exclMax = true
		case "oneof":
			if !hasVal || val == "" {
				return nil, fmt.Errorf("bad cfg tag %q: oneof needs values a|b|c", tag)
			}
			switch vt.Kind() {
			case reflect.String, reflect.Bool:
			default:
				if !isNumber(vt.Kind()) || r.dur {
					return nil, fmt.Errorf("bad cfg tag %q: oneof needs a string, bool or number field, not %s", tag, t)
				}
			}
			r.oneof = strings.Split(val, "|")
		case "required":
			r.required = true
		case "minlen", "maxlen":
			if !isContainer(ct.Kind()) && ct.Kind() != reflect.String {
				return nil, fmt.Errorf("bad cfg tag %q: %s needs a slice, array, map or string field, not %s", tag, k, t)
			}
			var n int
			n, err = strconv.Atoi(val)
			if k == "minlen" {
				r.minLen, r.hasMinLen = n, true
			} else {
				r.maxLen, r.hasMaxLen = n, true
			}
		default:
			return nil, fmt.Errorf("bad cfg tag %q: unknown rule %q (allowed: min, max, exclusive_min, exclusive_max, oneof, required, minlen, maxlen)", tag, k)
		}
		if err != nil {
			return nil, fmt.Errorf("bad cfg tag %q: %s: %v", tag, k, err)
		}
	}
	if (r.exclMin && !r.hasMin) || (r.exclMax && !r.hasMax) {
		return nil, fmt.Errorf("bad cfg tag %q: exclusive_min/exclusive_max need min/max", tag)
	}
	return r, nil
}

// check applies r to v (the field value) at key path, calling report for the
// first violation of each value.
func (r *rules) check(v reflect.Value, path string, report func(path, msg string)) {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			if r.required {
				report(path, "is required")
			}
			return
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		n := v.Len()
		if r.required && n == 0 {
			report(path, "must not be empty")
			return
		}
		if r.checkLen(n, path, report) {
			return
		}
		if v.Kind() == reflect.Map {
			keys := v.MapKeys()
			sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
			for _, k := range keys {
				r.checkValue(v.MapIndex(k), joinKey(path, fmt.Sprint(k)), report)
			}
			return
		}
		for i := 0; i < n; i++ {
			r.checkValue(v.Index(i), fmt.Sprintf("%s[%d]", path, i), report)
		}
		return
	case reflect.String:
		if r.required && v.Len() == 0 {
			report(path, "must not be empty")
			return
		}
		if r.checkLen(utf8.RuneCountInString(v.String()), path, report) {
			return
		}
	default:
		if r.required && v.IsZero() {
			report(path, "is required (must be non-zero)")
			return
		}
	}
	r.checkValue(v, path, report)
}

// checkLen reports a length outside [minlen, maxlen] and says whether it did.
func (r *rules) checkLen(n int, path string, report func(path, msg string)) bool {
	if r.hasMinLen && n < r.minLen {
		report(path, fmt.Sprintf("must have at least %d elements, got %d", r.minLen, n))
		return true
	}
	if r.hasMaxLen && n > r.maxLen {
		report(path, fmt.Sprintf("must have at most %d elements, got %d", r.maxLen, n))
		return true
	}
	return false
}

// checkValue applies the value rules (min, max, oneof) to one scalar value.
func (r *rules) checkValue(v reflect.Value, path string, report func(path, msg string)) {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	if len(r.oneof) > 0 {
		s := scalarText(v)
		for _, o := range r.oneof {
			if s == o {
				goto bounds
			}
		}
		got := s
		if v.Kind() == reflect.String {
			got = strconv.Quote(s)
		}
		report(path, fmt.Sprintf("must be one of %s, got %s", strings.Join(r.oneof, ", "), got))
		return
	}
bounds:
	if !r.hasMin && !r.hasMax {
		return
	}
	var x float64
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		x = float64(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		x = float64(v.Uint())
	case reflect.Float32, reflect.Float64:
		x = v.Float()
	default:
		return
	}
	below := r.hasMin && (x < r.min || (r.exclMin && x == r.min))
	above := r.hasMax && (x > r.max || (r.exclMax && x == r.max))
	if !below && !above && x == x { // x != x: NaN is never in range
		return
	}
	report(path, fmt.Sprintf("must be %s, got %s", r.rangeText(), scalarText(v)))
}

// rangeText describes the allowed range: "in [0, 1)", ">= 0", "< 1".
func (r *rules) rangeText() string {
	f := func(x float64) string {
		if r.dur {
			return time.Duration(x).String()
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	switch {
	case r.hasMin && r.hasMax:
		lo, hi := "[", "]"
		if r.exclMin {
			lo = "("
		}
		if r.exclMax {
			hi = ")"
		}
		return fmt.Sprintf("in %s%s, %s%s", lo, f(r.min), f(r.max), hi)
	case r.hasMin:
		if r.exclMin {
			return "> " + f(r.min)
		}
		return ">= " + f(r.min)
	default:
		if r.exclMax {
			return "< " + f(r.max)
		}
		return "<= " + f(r.max)
	}
}

// scalarText formats a scalar value the way it is written in YAML.
func scalarText(v reflect.Value) string {
	if v.Type() == durationType {
		return time.Duration(v.Int()).String()
	}
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Float32:
		return strconv.FormatFloat(v.Float(), 'g', -1, 32)
	case reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	}
	return fmt.Sprint(v.Interface())
}

// joinKey joins a parent key path and a child key.
func joinKey(parent, child string) string {
	switch {
	case parent == "":
		return child
	case child == "":
		return parent
	case strings.HasPrefix(child, "["):
		return parent + child
	}
	return parent + "." + child
}
