package config

import (
	"bytes"
	"encoding"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Marshal returns v (a struct or pointer to one, normally a fully resolved
// configuration) as YAML: every field in declaration order, including zero
// values and fields tagged omitempty, with maps sorted by key, durations as
// strings ("1m30s") and floats in the shortest form that reads back exactly.
// Nil pointers, slices and maps are written as null and empty ones as
// [] or {}, so Decode of the output onto a zero value gives a value
// reflect.DeepEqual to v. It returns an error for values YAML cannot hold
// (channels, functions, complex numbers) and for malformed struct tags.
func Marshal(v any) (out []byte, err error) {
	defer recoverTagError(&err) // out stays nil
	n, err := encodeNode(reflect.ValueOf(v))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, fmt.Errorf("config: marshal: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("config: marshal: %w", err)
	}
	return buf.Bytes(), nil
}

func scalarNode(tag, value string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
}

func nullNode() *yaml.Node { return scalarNode("!!null", "null") }

// formatFloat writes f so that YAML resolves it back to the same float.
func formatFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return ".nan"
	case math.IsInf(f, 1):
		return ".inf"
	case math.IsInf(f, -1):
		return "-.inf"
	}
	s := strconv.FormatFloat(f, 'g', -1, bits)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

func isScalarKind(t reflect.Type) bool {
	t = deref(t)
	if t == durationType || t.Kind() == reflect.String || t.Kind() == reflect.Bool {
		return true
	}
	if reflect.PointerTo(t).Implements(textMarshalerType) {
		return true
	}
	return isNumber(t.Kind())
}

var (
	textMarshalerType = reflect.TypeOf((*encoding.TextMarshaler)(nil)).Elem()
	yamlMarshalerType = reflect.TypeOf((*yaml.Marshaler)(nil)).Elem()
)

// sortedKeys returns the keys of map v ordered by their printed form.
func sortedKeys(v reflect.Value) []reflect.Value {
	keys := v.MapKeys()
	sort.Slice(keys, func(i, j int) bool {
		return fmt.Sprint(keys[i].Interface()) < fmt.Sprint(keys[j].Interface())
	})
	return keys
}

func encodeNode(v reflect.Value) (*yaml.Node, error) {
	if !v.IsValid() {
		return nullNode(), nil
	}
	t := v.Type()
	if t == durationType {
		return scalarNode("!!str", time.Duration(v.Int()).String()), nil
	}
	if t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface {
		// Use an addressable copy so pointer-receiver methods are found.
		p := reflect.New(t)
		p.Elem().Set(v)
		if t.Implements(yamlMarshalerType) || p.Type().Implements(yamlMarshalerType) {
			out, err := p.Interface().(yaml.Marshaler).MarshalYAML()
			if err != nil {
				return nil, fmt.Errorf("config: marshal %s: %w", t, err)
			}
			n := &yaml.Node{}
			if err := n.Encode(out); err != nil {
				return nil, fmt.Errorf("config: marshal %s: %w", t, err)
			}
			return n, nil
		}
		if p.Type().Implements(textMarshalerType) {
			b, err := p.Interface().(encoding.TextMarshaler).MarshalText()
			if err != nil {
				return nil, fmt.Errorf("config: marshal %s: %w", t, err)
			}
			return scalarNode("!!str", string(b)), nil
		}
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nullNode(), nil
		}
		return encodeNode(v.Elem())
	case reflect.Struct:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for _, f := range getStructInfo(t).fields {
			fv := fieldByIndex(v, f.index, false)
			if !fv.IsValid() {
				continue // inside a nil inline pointer
			}
			c, err := encodeNode(fv)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, scalarNode("!!str", f.name), c)
		}
		return n, nil
	case reflect.Map:
		if v.IsNil() {
			return nullNode(), nil
		}
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		if v.Len() == 0 {
			n.Style = yaml.FlowStyle
		}
		for _, k := range sortedKeys(v) {
			kn, err := encodeNode(k)
			if err != nil {
				return nil, err
			}
			c, err := encodeNode(v.MapIndex(k))
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, kn, c)
		}
		return n, nil
	case reflect.Slice, reflect.Array:
		if t.Kind() == reflect.Slice && v.IsNil() {
			return nullNode(), nil
		}
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		if v.Len() == 0 || isScalarKind(t.Elem()) {
			n.Style = yaml.FlowStyle
		}
		for i := 0; i < v.Len(); i++ {
			c, err := encodeNode(v.Index(i))
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, c)
		}
		return n, nil
	case reflect.Bool:
		return scalarNode("!!bool", strconv.FormatBool(v.Bool())), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return scalarNode("!!int", strconv.FormatInt(v.Int(), 10)), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return scalarNode("!!int", strconv.FormatUint(v.Uint(), 10)), nil
	case reflect.Float32:
		return scalarNode("!!float", formatFloat(v.Float(), 32)), nil
	case reflect.Float64:
		return scalarNode("!!float", formatFloat(v.Float(), 64)), nil
	case reflect.String:
		return scalarNode("!!str", v.String()), nil
	}
	return nil, fmt.Errorf("config: marshal: cannot represent %s in YAML", t)
}
