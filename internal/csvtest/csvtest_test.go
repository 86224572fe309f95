package csvtest

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestReadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.csv")
	if err := os.WriteFile(path, []byte("name,value\n\"a,b\",1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"name", "value"}, {"a,b", "1"}}
	if got := ReadFile(t, path); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
