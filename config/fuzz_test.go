package config_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/selunet/selunet/config"
)

// FuzzDecode decodes arbitrary YAML plus "-set" overrides (one per line of
// sets) over the defaults of the test experiment type. Properties: no
// panic; an error is an ErrorList whose every element names the file or the
// override it comes from; an accepted config marshals, decodes back (onto a
// zero value) to an equal struct, and marshals again to the same bytes.
func FuzzDecode(f *testing.F) {
	f.Add("seed: 2\nmodel:\n  units: 3\n  layers: 2\n  widths: [4, 5]\n", "train.epochs=5")
	f.Add("model: {dropout: 0.5, activation: relu}\noptimizer: null\n", "")
	f.Add("name: &a x\ntags: {k: *a}\ntrain:\n  every: 90s\n", "tags.z=1\nmodel.widths=[1]")
	f.Add("model:\n  units: 3\n bad\n", "optimizer.name=adam\noptimizer.momentum=0.9")
	f.Add("small: 300\nseed: -1\n---\nx: 1\n", "model.dropuot=0.1\n=\nmodel..units=2")
	f.Add("a: &a [1, *a]\n", "model.dropout=.nan")
	f.Fuzz(func(t *testing.T, doc, sets string) {
		var ss []string
		if sets != "" {
			ss = strings.Split(sets, "\n")
		}
		e := defaults()
		err := config.Decode(strings.NewReader(doc), "fuzz.yaml", ss, &e)
		if err != nil {
			var list config.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %v (%T) is not an ErrorList", err, err)
			}
			for _, x := range list {
				if x.File != "fuzz.yaml" && !strings.HasPrefix(x.File, "-set ") {
					t.Fatalf("error %q names neither the file nor an override", x)
				}
			}
			return
		}
		out, err := config.Marshal(&e)
		if err != nil {
			t.Fatalf("Marshal of an accepted config: %v", err)
		}
		var got experiment
		if err := config.Decode(strings.NewReader(string(out)), "out.yaml", nil, &got); err != nil {
			t.Fatalf("decoding the marshalled config: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(got, e) {
			t.Fatalf("round trip changed the config:\ngot:  %+v\nwant: %+v\nyaml:\n%s", got, e, out)
		}
		out2, err := config.Marshal(&got)
		if err != nil || string(out2) != string(out) {
			t.Fatalf("marshal is not stable (err %v):\n%s\n---\n%s", err, out, out2)
		}
	})
}
