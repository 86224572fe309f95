package config

import (
	"encoding"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// maxErrors caps the number of errors one Decode reports.
const maxErrors = 25

// Validator is implemented by configuration structs (or any field type) that
// check their own values. The loader calls Validate on every value in the
// decoded tree, innermost first, after the cfg tag rules passed; see
// FieldError for how to blame one key.
type Validator interface {
	Validate() error
}

// Load reads the YAML file at path onto dst, applies the overrides in sets
// and validates the result; see Decode. Errors name path.
func Load(path string, sets []string, dst any) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	return Decode(f, path, sets, dst)
}

// Decode overlays the YAML document read from r onto dst, then applies each
// override of sets in order ("a.b.c=value", the value parsed as a YAML scalar
// or flow collection, e.g. "model.widths=[512,256]"), then validates: first
// the cfg tag rules of every field, then, if they all pass, the Validate
// method of every value that has one (only when nothing else failed, so
// Validate methods may assume well-formed, in-range fields).
//
// dst must be a non-nil pointer to a struct, normally already filled with
// defaults: keys absent from the YAML keep their value. Structs and maps are
// merged key by key; slices and scalars are replaced. name is used in error
// messages (the file path). An empty r is a valid document that changes
// nothing.
//
// The returned error is an ErrorList naming the file, line, column and key of
// every problem, or a plain error when dst is not a pointer to a struct or a
// struct tag is malformed. On error dst may be partly updated.
func Decode(r io.Reader, name string, sets []string, dst any) (err error) {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("config: Decode needs a non-nil pointer to a struct, got %T", dst)
	}
	defer recoverTagError(&err)
	l := &loader{name: name, src: name, set: map[string]pos{}, synthetic: map[*yaml.Node]bool{}}
	root := rv.Elem()

	dec := yaml.NewDecoder(r)
	var doc yaml.Node
	switch derr := dec.Decode(&doc); {
	case derr == io.EOF:
	case derr != nil:
		l.syntaxError(name, derr)
	default:
		var extra yaml.Node
		if xerr := dec.Decode(&extra); xerr == nil {
			// extra is the document node, positioned at its "---" line.
			l.errorAt(&extra, "", "found a second YAML document; a config file holds exactly one")
		} else if xerr != io.EOF {
			l.syntaxError(name, xerr)
		}
		if len(l.errs) == 0 && len(doc.Content) > 0 && !isNull(doc.Content[0]) {
			l.decode(doc.Content[0], root, "")
		}
	}
	for _, s := range sets {
		l.applySet(root, s)
	}
	l.checkRules(root, "")
	if len(l.errs) == 0 {
		l.validate(root, "")
	}
	if len(l.errs) > 0 {
		if len(l.errs) > maxErrors {
			l.errs = append(l.errs[:maxErrors], &Error{File: name, Msg: "too many errors"})
		}
		return l.errs
	}
	return nil
}

// pos is where a key was last set.
type pos struct {
	src       string
	line, col int
}

type loader struct {
	name      string              // file name given to Decode
	src       string              // current source: name or "-set ..."
	errs      ErrorList           // problems so far
	set       map[string]pos      // key path -> where it was last set
	synthetic map[*yaml.Node]bool // nodes built for -set key paths
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError converts a yaml.v3 parse error into an Error.
func (l *loader) syntaxError(src string, err error) {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		l.errs = append(l.errs, &Error{File: src, Line: line, Msg: "YAML syntax: " + m[2]})
		return
	}
	l.errs = append(l.errs, &Error{File: src, Msg: "YAML syntax: " + strings.TrimPrefix(msg, "yaml: ")})
}

// errorAt records an error positioned at node n.
func (l *loader) errorAt(n *yaml.Node, key, msg string) {
	e := &Error{File: l.src, Key: key, Msg: msg}
	if !l.inSet() {
		e.Line, e.Column = n.Line, n.Column
	}
	l.errs = append(l.errs, e)
}

// errorKey records an error for a key path, at the place the key was set, or
// at the longest set prefix when withPrefix, or without a position.
func (l *loader) errorKey(key, msg string, withPrefix bool, defaultNote bool) {
	k := key
	for {
		if p, ok := l.set[k]; ok {
			l.errs = append(l.errs, &Error{File: p.src, Line: p.line, Column: p.col, Key: key, Msg: msg})
			return
		}
		if !withPrefix || k == "" {
			break
		}
		k = parentKey(k)
	}
	if defaultNote {
		msg += " (default value)"
	}
	l.errs = append(l.errs, &Error{File: l.name, Key: key, Msg: msg})
}

// parentKey strips the last ".name" or "[i]" from a key path.
func parentKey(k string) string {
	i := strings.LastIndexAny(k, ".[")
	if i < 0 {
		return ""
	}
	return k[:i]
}

// record notes where key was set: at the key node kn when the value val is
// a block mapping (so errors about a whole struct point at its name), else
// at the value. Key paths built for a -set override are not recorded; its
// value is, without a line.
func (l *loader) record(key string, kn, val *yaml.Node) {
	if key == "" || l.synthetic[val] {
		return
	}
	p := pos{src: l.src}
	if !l.inSet() {
		n := val
		if val.Kind == yaml.MappingNode && val.Style&yaml.FlowStyle == 0 {
			n = kn
		}
		p.line, p.col = n.Line, n.Column
	}
	l.set[key] = p
}

// inSet reports whether a -set override is being applied.
func (l *loader) inSet() bool { return l.src != l.name }

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe names what node n holds, for "got ..." in messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a sequence"
	case yaml.ScalarNode:
		if isNull(n) {
			return "null"
		}
		return strconv.Quote(n.Value)
	}
	return "an unsupported YAML node"
}

// expected names what a Go type accepts, for "expected ..." in messages.
func expected(t reflect.Type) string {
	if t == durationType {
		return `duration (e.g. "90s", "1h30m")`
	}
	switch t.Kind() {
	case reflect.Bool:
		return "boolean (true or false)"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "integer"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "non-negative integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.String:
		return "string"
	case reflect.Struct, reflect.Map:
		return "mapping"
	case reflect.Slice:
		return "sequence"
	case reflect.Array:
		return fmt.Sprintf("sequence of %d elements", t.Len())
	case reflect.Pointer:
		return expected(t.Elem())
	}
	return t.String()
}

func (l *loader) typeError(n *yaml.Node, key string, t reflect.Type) {
	msg := fmt.Sprintf("expected %s, got %s", expected(t), describe(n))
	switch {
	case t.Kind() == reflect.String && isNull(n):
		msg += ` (write "" for an empty string)`
	case (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && n.Kind == yaml.ScalarNode && !isNull(n):
		msg += fmt.Sprintf(" (a list is written [%s] or one \"- item\" line per item)", n.Value)
	}
	l.errorAt(n, key, msg)
}

// decode overlays node n onto the settable value v at key path key.
func (l *loader) decode(n *yaml.Node, v reflect.Value, key string) {
	if len(l.errs) >= maxErrors+1 {
		return
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	t := v.Type()
	if t == durationType {
		if n.Kind != yaml.ScalarNode || isNull(n) {
			l.typeError(n, key, t)
			return
		}
		d, err := time.ParseDuration(n.Value)
		if err != nil {
			l.typeError(n, key, t)
			return
		}
		v.SetInt(int64(d))
		return
	}
	if t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface && v.CanAddr() {
		switch u := v.Addr().Interface().(type) {
		case yaml.Unmarshaler:
			if err := u.UnmarshalYAML(n); err != nil {
				l.errorAt(n, key, err.Error())
			}
			return
		case encoding.TextUnmarshaler:
			if n.Kind != yaml.ScalarNode || isNull(n) {
				l.typeError(n, key, reflect.TypeOf(""))
				return
			}
			if err := u.UnmarshalText([]byte(n.Value)); err != nil {
				l.errorAt(n, key, err.Error())
			}
			return
		}
	}
	switch t.Kind() {
	case reflect.Pointer:
		if isNull(n) {
			v.Set(reflect.Zero(t))
			return
		}
		// Decode into a fresh copy, never through the pointer: a struct
		// copied from the defaults (or from a grid's base config) shares
		// its pointers, and an overlay must not change the original.
		p := reflect.New(t.Elem())
		if !v.IsNil() {
			p.Elem().Set(v.Elem())
		}
		v.Set(p)
		l.decode(n, p.Elem(), key)
	case reflect.Interface:
		if isNull(n) {
			v.Set(reflect.Zero(t))
			return
		}
		if t.NumMethod() != 0 {
			l.errorAt(n, key, fmt.Sprintf("cannot decode into interface type %s", t))
			return
		}
		var x any
		if err := n.Decode(&x); err != nil {
			l.errorAt(n, key, err.Error())
			return
		}
		if x != nil {
			v.Set(reflect.ValueOf(x))
		}
	case reflect.Struct:
		l.decodeStruct(n, v, key)
	case reflect.Map:
		l.decodeMap(n, v, key)
	case reflect.Slice:
		if isNull(n) {
			v.Set(reflect.Zero(t))
			return
		}
		if n.Kind != yaml.SequenceNode {
			l.typeError(n, key, t)
			return
		}
		s := reflect.MakeSlice(t, len(n.Content), len(n.Content))
		l.decodeElems(n, s, key)
		v.Set(s)
	case reflect.Array:
		if n.Kind != yaml.SequenceNode || len(n.Content) != v.Len() {
			got := describe(n)
			if n.Kind == yaml.SequenceNode {
				got = fmt.Sprintf("%d elements", len(n.Content))
			}
			l.errorAt(n, key, fmt.Sprintf("expected %s, got %s", expected(t), got))
			return
		}
		l.decodeElems(n, v, key)
	default:
		l.decodeScalar(n, v, key)
	}
}

// decodeElems decodes the items of sequence n into the elements of the
// slice or array v, which has as many, at keys key[0], key[1], ….
func (l *loader) decodeElems(n *yaml.Node, v reflect.Value, key string) {
	for i, c := range n.Content {
		k := fmt.Sprintf("%s[%d]", key, i)
		l.record(k, c, c)
		l.decode(c, v.Index(i), k)
	}
}

func (l *loader) decodeScalar(n *yaml.Node, v reflect.Value, key string) {
	t := v.Type()
	if n.Kind != yaml.ScalarNode || isNull(n) {
		l.typeError(n, key, t)
		return
	}
	switch t.Kind() {
	case reflect.Bool:
		var b bool
		if l.decodeTagged(n, key, t, &b, "!!bool") {
			v.SetBool(b)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		var i int64
		if l.decodeTagged(n, key, t, &i, "!!int") && l.fits(n, key, t, !v.OverflowInt(i)) {
			v.SetInt(i)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		var u uint64
		if l.decodeTagged(n, key, t, &u, "!!int") && l.fits(n, key, t, !v.OverflowUint(u)) {
			v.SetUint(u)
		}
	case reflect.Float32, reflect.Float64:
		var f float64
		if l.decodeTagged(n, key, t, &f, "!!float", "!!int") && l.fits(n, key, t, !v.OverflowFloat(f)) {
			v.SetFloat(f)
		}
	case reflect.String:
		v.SetString(n.Value)
	default:
		l.errorAt(n, key, fmt.Sprintf("cannot decode into field of type %s", t))
	}
}

// decodeTagged decodes scalar n into *x if its tag is one of tags;
// otherwise, or if that fails, it reports a type error (t at key) and
// returns false.
func (l *loader) decodeTagged(n *yaml.Node, key string, t reflect.Type, x any, tags ...string) bool {
	if !slices.Contains(tags, n.ShortTag()) || n.Decode(x) != nil {
		l.typeError(n, key, t)
		return false
	}
	return true
}

// fits reports that n's value overflows t unless ok, and returns ok.
func (l *loader) fits(n *yaml.Node, key string, t reflect.Type, ok bool) bool {
	if !ok {
		l.errorAt(n, key, fmt.Sprintf("value %s overflows %s", n.Value, t))
	}
	return ok
}

// checkMapping reports a non-mapping node and duplicate keys; it returns
// false when n is not a mapping.
func (l *loader) checkMapping(n *yaml.Node, key string, t reflect.Type) bool {
	if n.Kind != yaml.MappingNode {
		l.typeError(n, key, t)
		return false
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if first, dup := seen[k.Value]; dup && k.Kind == yaml.ScalarNode {
			msg := fmt.Sprintf("duplicate key %q in %s", k.Value, where(key))
			if !l.inSet() && first.Line > 0 {
				msg += fmt.Sprintf(" (first at line %d)", first.Line)
			}
			l.errorAt(k, "", msg)
		}
		seen[k.Value] = k
	}
	return true
}

// where names the mapping at key path key for messages.
func where(key string) string {
	if key == "" {
		return "top level"
	}
	return key
}

func (l *loader) decodeStruct(n *yaml.Node, v reflect.Value, key string) {
	if !l.checkMapping(n, key, v.Type()) {
		return
	}
	si := getStructInfo(v.Type())
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			l.errorAt(k, key, fmt.Sprintf("expected a key name, got %s", describe(k)))
			continue
		}
		j, ok := si.byName[k.Value]
		if !ok {
			in := "in " + key
			if key == "" {
				in = "at top level"
			}
			msg := fmt.Sprintf("unknown key %q %s (allowed: %s)", k.Value, in, si.allowedKeys())
			if s := si.suggest(k.Value); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			l.errorAt(k, "", msg)
			continue
		}
		f := si.fields[j]
		fk := joinKey(key, f.name)
		l.record(fk, k, val)
		l.decode(val, fieldByIndex(v, f.index, true), fk)
	}
}

func (l *loader) decodeMap(n *yaml.Node, v reflect.Value, key string) {
	t := v.Type()
	if isNull(n) {
		v.Set(reflect.Zero(t))
		return
	}
	if !l.checkMapping(n, key, t) {
		return
	}
	if v.IsNil() {
		v.Set(reflect.MakeMap(t))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, val := n.Content[i], n.Content[i+1]
		if kn.Kind != yaml.ScalarNode {
			l.errorAt(kn, key, fmt.Sprintf("expected a scalar map key, got %s", describe(kn)))
			continue
		}
		kv := reflect.New(t.Key()).Elem()
		childKey := joinKey(key, kn.Value)
		if t.Key().Kind() == reflect.String {
			kv.SetString(kn.Value)
		} else {
			before := len(l.errs)
			l.decode(kn, kv, childKey)
			if len(l.errs) > before {
				continue
			}
		}
		l.record(childKey, kn, val)
		ev := reflect.New(t.Elem()).Elem()
		if old := v.MapIndex(kv); old.IsValid() {
			ev.Set(old)
		}
		l.decode(val, ev, childKey)
		v.SetMapIndex(kv, ev)
	}
}

// applySet applies one "-set a.b.c=value" override to root.
func (l *loader) applySet(root reflect.Value, s string) {
	src := "-set " + s
	path, val, ok := strings.Cut(s, "=")
	path = strings.TrimSpace(path)
	if !ok || path == "" {
		l.errs = append(l.errs, &Error{File: src, Msg: "expected key=value, e.g. -set train.epochs=5"})
		return
	}
	segs := strings.Split(path, ".")
	for _, sg := range segs {
		if sg == "" {
			l.errs = append(l.errs, &Error{File: src, Msg: fmt.Sprintf("empty key segment in %q", path)})
			return
		}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(val), &doc); err != nil {
		l.errs = append(l.errs, &Error{File: src, Msg: "value is not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")})
		return
	}
	leaf := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		leaf = doc.Content[0]
	}
	n := leaf
	for i := len(segs) - 1; i >= 0; i-- {
		kn := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: segs[i]}
		n = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{kn, n}}
		if i > 0 {
			l.synthetic[n] = true
		}
	}
	l.src = src
	l.decode(n, root, "")
	l.src = l.name
}

// checkRules applies the cfg tag rules of every struct field under v.
func (l *loader) checkRules(v reflect.Value, key string) {
	walkRules(v, key, func(k, msg string) {
		_, set := l.set[k]
		l.errorKey(k, msg, false, !set)
	})
}

// walkRules applies the cfg tag rules of every struct field under v,
// calling report with the key path of each violation.
func walkRules(v reflect.Value, key string, report func(key, msg string)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkRules(v.Elem(), key, report)
		}
	case reflect.Struct:
		if v.Type() == durationType {
			return
		}
		si := getStructInfo(v.Type())
		for _, f := range si.fields {
			fv := fieldByIndex(v, f.index, false)
			if !fv.IsValid() {
				continue
			}
			fk := joinKey(key, f.name)
			if f.rules != nil {
				f.rules.check(fv, fk, report)
			}
			walkRules(fv, fk, report)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkRules(v.Index(i), fmt.Sprintf("%s[%d]", key, i), report)
		}
	case reflect.Map:
		for _, k := range sortedKeys(v) {
			walkRules(v.MapIndex(k), joinKey(key, fmt.Sprint(k.Interface())), report)
		}
	}
}

// Check applies the cfg tag rules of v's fields, and of the fields of the
// structs, slices and maps it holds, to v as it is: the check Decode runs
// after loading, for values built in code. A Validate method calls it so
// that each rule lives once, in its tag, and the method adds only
// cross-field conditions:
//
//	func (c Config) Validate() error {
//		if err := config.Check(c); err != nil {
//			return err
//		}
//		... cross-field rules ...
//	}
//
// It returns nil, every violation as a FieldError keyed relative to v
// ("epochs", "csv.path", "widths[2]"; several joined with errors.Join), or
// a plain error when a tag is malformed or v is not a struct or a pointer
// to one. The messages are the loader's ("must be >= 1, got 0").
func Check(v any) (err error) {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return fmt.Errorf("config: Check needs a struct or a pointer to one, got %T", v)
	}
	defer recoverTagError(&err)
	var errs []error
	walkRules(rv, "", func(k, msg string) { errs = append(errs, FieldError{Key: k, Msg: msg}) })
	return errors.Join(errs...)
}

// validate calls Validate on every value under v, innermost first.
func (l *loader) validate(v reflect.Value, key string) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			l.validate(v.Elem(), key)
		}
		return
	case reflect.Interface:
		return
	case reflect.Struct:
		if v.Type() != durationType {
			for _, f := range getStructInfo(v.Type()).fields {
				if fv := fieldByIndex(v, f.index, false); fv.IsValid() {
					l.validate(fv, joinKey(key, f.name))
				}
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			l.validate(v.Index(i), fmt.Sprintf("%s[%d]", key, i))
		}
	case reflect.Map:
		for _, k := range sortedKeys(v) {
			l.validate(v.MapIndex(k), joinKey(key, fmt.Sprint(k.Interface())))
		}
	}
	var val Validator
	if v.CanAddr() {
		val, _ = v.Addr().Interface().(Validator)
	} else if v.CanInterface() {
		if x, ok := v.Interface().(Validator); ok {
			val = x
		} else {
			p := reflect.New(v.Type())
			p.Elem().Set(v)
			val, _ = p.Interface().(Validator)
		}
	}
	if val == nil {
		return
	}
	if err := val.Validate(); err != nil {
		for _, e := range flatten(err) {
			var fe FieldError
			var pfe *FieldError
			switch {
			case errors.As(e, &fe):
				l.errorKey(joinKey(key, fe.Key), fe.Msg, true, false)
			case errors.As(e, &pfe) && pfe != nil:
				l.errorKey(joinKey(key, pfe.Key), pfe.Msg, true, false)
			default:
				l.errorKey(key, e.Error(), true, false)
			}
		}
	}
}

// flatten splits joined errors (Unwrap() []error) into their leaves.
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			if e != nil {
				out = append(out, flatten(e)...)
			}
		}
		return out
	}
	return []error{err}
}
