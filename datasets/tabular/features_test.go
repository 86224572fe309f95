package tabular

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/selunet/selunet/config"
	"github.com/selunet/selunet/datasets"
)

func TestReadFeatures(t *testing.T) {
	feats := []string{"a", "b"}
	cases := []struct {
		in    string
		opts  FeatureOptions
		x     []float64
		ids   []string
		error string
	}{
		{"b,a\n1,2\n3,4\n", FeatureOptions{}, []float64{2, 1, 4, 3}, nil, ""},                                                                             // 0: reordered
		{"id;a;b;note\nr1;1;2;x\n", FeatureOptions{ID: "id", Ignore: []string{"note"}, Sep: ';'}, []float64{1, 2}, []string{"r1"}, ""},                    // 1
		{"a,c,d\n1,2,3\n", FeatureOptions{}, nil, nil, `x.csv:1: header does not match the 2 feature columns "a", "b": missing "b"; unexpected "c", "d"`}, // 2
		{"a,b\n1,x\n", FeatureOptions{}, nil, nil, `x.csv:2: column 2 (b): non-numeric value "x"`},                                                        // 3
		{"a,b\n", FeatureOptions{}, nil, nil, "no data rows"},                                                                                             // 4
		{"a,b,a\n1,2,3\n", FeatureOptions{}, nil, nil, "repeated"},                                                                                        // 5
		{"a,b\n1,2\n", FeatureOptions{ID: "id"}, nil, nil, `missing "id (the ID column)"`},                                                                // 6
		{"a\tb\n1\t2\n", FeatureOptions{Sep: '\t'}, []float64{1, 2}, nil, ""},                                                                             // 7
		{"a,b,y\n1,2,0\n", FeatureOptions{Ignore: []string{"y", "b"}}, nil, nil, `x.csv: cannot ignore "b": it is a feature column`},                      // 8: a needed column
		{"a,y\n1,0\n", FeatureOptions{Ignore: []string{"b", "y", "b"}}, nil, nil, `x.csv: cannot ignore "b": it is a feature column`},                     // 9: even when absent
		{"a,b\n1,2\n", FeatureOptions{ID: "a"}, []float64{1, 2}, []string{"1"}, ""},                                                                       // 10: the ID may be a feature
	}
	for i, c := range cases {
		s, err := ReadFeatures(strings.NewReader(c.in), "x.csv", feats, c.opts)
		if c.error != "" {
			var pe *datasets.ParseError
			if err == nil || !strings.Contains(err.Error(), c.error) || !errors.As(err, &pe) {
				t.Errorf("%d: got %v want ParseError containing %q", i, err, c.error)
			}
			if strings.Contains(c.error, "cannot ignore") != errors.Is(err, ErrIgnoredFeature) {
				t.Errorf("%d: %v: errors.Is ErrIgnoredFeature is %v", i, err, errors.Is(err, ErrIgnoredFeature))
			}
			continue
		}
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		if !slices.Equal(s.X, c.x) || !slices.Equal(s.IDs, c.ids) || s.D != 2 || s.T != 0 || s.Validate() != nil {
			t.Errorf("%d: got X %v IDs %v", i, s.X, s.IDs)
		}
	}
}

// TestSepConfig decodes sep in every accepted spelling through the config
// package, and checks that the resolved config reads back the same.
func TestSepConfig(t *testing.T) {
	type cfg struct {
		Sep Sep `yaml:"sep"`
	}
	cases := []struct {
		yaml string
		want Sep
		err  string
	}{
		{`sep: ";"`, ';', ""},                  // 0
		{`sep: ","`, ',', ""},                  // 1
		{`sep: "\t"`, '\t', ""},                // 2: YAML escape
		{`sep: '\t'`, '\t', ""},                // 3: backslash t
		{`sep: tab`, '\t', ""},                 // 4
		{`sep: 59`, ';', ""},                   // 5: byte value (old configs)
		{`sep: 9`, '\t', ""},                   // 6
		{`sep: "|"`, '|', ""},                  // 7
		{`sep: ""`, 0, ""},                     // 8: default
		{`sep: 0`, 0, ""},                      // 8b: the default as older resolved configs wrote it
		{`sep: ";;"`, 0, "want one character"}, // 9
		{`sep: 300`, 0, "want one character"},  // 10
		{`sep: '"'`, 0, "cannot separate"},     // 11
	}
	for i, c := range cases {
		var v cfg
		err := config.Decode(strings.NewReader(c.yaml), "c.yaml", nil, &v)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) || !strings.Contains(err.Error(), "c.yaml:1") {
				t.Errorf("%d: got %v want an error at c.yaml:1 containing %q", i, err, c.err)
			}
			continue
		}
		if err != nil || v.Sep != c.want {
			t.Errorf("%d: got %q %v want %q", i, v.Sep, err, c.want)
			continue
		}
		b, err := config.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var back cfg
		if err := config.Decode(strings.NewReader(string(b)), "m.yaml", nil, &back); err != nil || back != v {
			t.Errorf("%d: %q read back as %q (%v)", i, b, back.Sep, err)
		}
	}
}
