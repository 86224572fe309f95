package config

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// field is one YAML-visible field of a struct type, after flattening inline
// structs.
type field struct {
	name   string       // YAML key
	index  []int        // reflect index path (may pass through inline *struct)
	goName string       // Go path for messages, e.g. "Spec.Dropout"
	typ    reflect.Type // field type
	rules  *rules       // parsed cfg tag, nil when none
}

// structInfo is the cached field table of a struct type.
type structInfo struct {
	fields []field
	byName map[string]int
}

// tagError is an internal panic value for malformed struct tags (programmer
// error); Decode and Marshal recover it and return it as an error.
type tagError struct{ err error }

// recoverTagError, deferred by an exported function with a named error
// result, turns a tagError panic into that error; other panics go on.
func recoverTagError(err *error) {
	if p := recover(); p != nil {
		te, ok := p.(tagError)
		if !ok {
			panic(p)
		}
		*err = te.err
	}
}

var structCache sync.Map // reflect.Type -> *structInfo (immutable once stored)

// getStructInfo returns the field table of struct type t. It panics with a
// tagError when a tag is malformed or two fields share a key.
func getStructInfo(t reflect.Type) *structInfo {
	if si, ok := structCache.Load(t); ok {
		return si.(*structInfo)
	}
	si := &structInfo{byName: map[string]int{}}
	collectFields(t, nil, t.Name(), si)
	structCache.Store(t, si)
	return si
}

func collectFields(t reflect.Type, index []int, goPrefix string, si *structInfo) {
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("yaml")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		idx := append(append([]int(nil), index...), i)
		goName := goPrefix + "." + sf.Name
		inline := false
		for _, o := range strings.Split(opts, ",") {
			if o == "inline" {
				inline = true
			}
		}
		// Unexported fields are invisible, except an inlined embedded
		// struct (not pointer) whose exported fields stay settable.
		if !sf.IsExported() && !(inline && sf.Anonymous && sf.Type.Kind() == reflect.Struct) {
			continue
		}
		if inline {
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() != reflect.Struct {
				panic(tagError{fmt.Errorf("config: field %s: inline is only supported on struct and *struct fields, not %s", goName, sf.Type)})
			}
			collectFields(ft, idx, goName, si)
			continue
		}
		if name == "" {
			name = strings.ToLower(sf.Name)
		}
		if j, dup := si.byName[name]; dup {
			panic(tagError{fmt.Errorf("config: fields %s and %s both use key %q", si.fields[j].goName, goName, name)})
		}
		r, err := parseRules(sf.Tag.Get("cfg"), sf.Type)
		if err != nil {
			panic(tagError{fmt.Errorf("config: field %s: %w", goName, err)})
		}
		si.byName[name] = len(si.fields)
		si.fields = append(si.fields, field{name: name, index: idx, goName: goName, typ: sf.Type, rules: r})
	}
}

// fieldByIndex walks index from struct value v. With alloc it allocates nil
// inline pointers (v must be settable); without it, it returns the invalid
// Value when it meets a nil pointer.
func fieldByIndex(v reflect.Value, index []int, alloc bool) reflect.Value {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				if !alloc {
					return reflect.Value{}
				}
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v
}

// allowedKeys lists the keys of si in declaration order.
func (si *structInfo) allowedKeys() string {
	names := make([]string, len(si.fields))
	for i, f := range si.fields {
		names[i] = f.name
	}
	return strings.Join(names, ", ")
}

// suggest returns the allowed key closest to name when it is within two
// edits, or "".
func (si *structInfo) suggest(name string) string {
	best, bestD := "", 3
	for _, f := range si.fields {
		if d := editDistance(name, f.name); d < bestD && d < len(name) {
			best, bestD = f.name, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, counting an
// adjacent transposition as one edit (optimal string alignment).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+c)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
