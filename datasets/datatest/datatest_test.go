package datatest

import (
	"os"
	"testing"
)

// fakeTB records Skip/Fatal calls without stopping the real test.
type fakeTB struct {
	testing.TB
	skipped, failed bool
}

func (f *fakeTB) Helper()               {}
func (f *fakeTB) Skip(args ...any)      { f.skipped = true; panic(f) }
func (f *fakeTB) Fatalf(string, ...any) { f.failed = true; panic(f) }
func (f *fakeTB) Skipf(string, ...any)  { f.skipped = true; panic(f) }
func (f *fakeTB) Fatal(args ...any)     { f.failed = true; panic(f) }
func run(f *fakeTB, files ...string) string {
	defer func() { recover() }()
	return DataDir(f, files...)
}

func TestDataDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/a.txt", []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		dataDir, require string
		files            []string
		skip, fail       bool
	}{
		{"", "", nil, true, false},                      // 0: unset → skip
		{"", "1", nil, false, true},                     // 1: unset but required → fail
		{dir, "", []string{"a.txt"}, false, false},      // 2: present
		{dir, "", []string{"missing.txt"}, false, true}, // 3: set but file missing → fail, not skip
		{dir + "/nope", "", nil, false, true},           // 4: folder missing → fail
	}
	for i, c := range cases {
		t.Setenv("SELUNET_DATA_DIR", c.dataDir)
		t.Setenv(EnvRequire, c.require)
		f := &fakeTB{}
		got := run(f, c.files...)
		if f.skipped != c.skip || f.failed != c.fail {
			t.Errorf("case %d: got skip:%v fail:%v want skip:%v fail:%v", i, f.skipped, f.failed, c.skip, c.fail)
		}
		if !c.skip && !c.fail && got != c.dataDir {
			t.Errorf("case %d: got:%q want:%q", i, got, c.dataDir)
		}
	}
}
