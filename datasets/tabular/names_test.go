package tabular

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestCheckUCINames(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"abalone", "iris", "wine", "wine-quality-red", "adult"} {
		os.MkdirAll(filepath.Join(dir, "uci121", n), 0o755)
	}
	if err := CheckUCINames(dir, []string{"iris", "wine"}); err != nil {
		t.Errorf("known names: %v", err)
	}
	err := CheckUCINames(dir, []string{"iris", "irs", "abalon"})
	for _, want := range []string{`"irs" (closest: iris,`, `"abalon" (closest: abalone,`, "uci121"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v want %q", err, want)
		}
	}
	if err := CheckUCINames(filepath.Join(dir, "none"), []string{"iris"}); err == nil {
		t.Error("missing directory: no error")
	}
	if got := Closest("Wine", []string{"adult", "wine-quality-red", "wine"}, 2); !slices.Equal(got, []string{"wine", "adult"}) {
		t.Errorf("Closest got:%v", got)
	}
}
