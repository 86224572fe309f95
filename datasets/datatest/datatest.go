package datatest

import (
	"os"
	"path/filepath"
	"testing"
)

// EnvRequire names the variable that turns a missing SELUNET_DATA_DIR into a
// test failure.
const EnvRequire = "SELUNET_REQUIRE_DATA"

// DataDir returns the value of SELUNET_DATA_DIR after checking that each of
// files (paths relative to it, e.g. "htru2/HTRU_2.csv") exists. It skips or
// fails t as described in the package comment; it never returns "".
func DataDir(t testing.TB, files ...string) string {
	t.Helper()
	d := os.Getenv("SELUNET_DATA_DIR")
	if d == "" {
		if os.Getenv(EnvRequire) == "1" {
			t.Fatalf("SELUNET_DATA_DIR is not set but %s=1: point it at the data folder (e.g. shared/data)", EnvRequire)
		}
		t.Skip("SELUNET_DATA_DIR not set: skipping test on real data (set it to the data folder, e.g. shared/data)")
	}
	if st, err := os.Stat(d); err != nil || !st.IsDir() {
		t.Fatalf("SELUNET_DATA_DIR=%q is not a readable folder: %v", d, err)
	}
	for _, f := range files {
		p := filepath.Join(d, filepath.FromSlash(f))
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("SELUNET_DATA_DIR=%q lacks %s: %v", d, f, err)
		}
	}
	return d
}
