package config_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/selunet/selunet/config"
)

// TestCheck applies the tag rules to values built in code: the keys are
// relative to the value, every violation is reported, and the messages are
// the loader's.
func TestCheck(t *testing.T) {
	ok := defaults()
	if err := config.Check(ok); err != nil {
		t.Fatalf("defaults: got:%v want:nil", err)
	}
	bad := defaults()
	bad.Model.Layers, bad.Optim.LR, bad.Train.Every = 0, -1, time.Millisecond
	bad.Model.Widths = []int{4, 0}
	err := config.Check(&bad)
	want := []string{
		"model.layers: must be in [1, 64], got 0",
		"model.widths[1]: must be >= 1, got 0",
		"optimizer.lr: must be > 0, got -1",
		"train.every: must be >= 1s, got 1ms",
	}
	var got []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe config.FieldError
		if !errors.As(e, &fe) {
			t.Fatalf("%v is %T, want a FieldError", e, e)
		}
		got = append(got, fe.Error())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if err := config.Check(3); err == nil || !strings.Contains(err.Error(), "needs a struct") {
		t.Errorf("Check(3): got:%v want: needs a struct", err)
	}
	type badTag struct {
		N int `cfg:"min=x"`
	}
	if err := config.Check(badTag{}); err == nil || !strings.Contains(err.Error(), "field badTag.N") {
		t.Errorf("malformed tag: got:%v want: an error naming field badTag.N", err)
	}
}
