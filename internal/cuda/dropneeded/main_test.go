package main

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// build links a program against a small shared library libx.so.1 with gcc
// and returns the program's path; it skips the test without gcc.
func build(t *testing.T, ldflags ...string) string {
	t.Helper()
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("needs gcc")
	}
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	lib := write("x.c", "int xinit(void) { return 7; }\n")
	prog := write("p.c", "int xinit(void);\nint main(void) { return xinit(); }\n")
	run := func(args ...string) {
		if out, err := exec.Command("gcc", args...).CombinedOutput(); err != nil {
			t.Fatalf("gcc %v: %v\n%s", args, err, out)
		}
	}
	run("-shared", "-fPIC", "-Wl,-soname,libx.so.1", "-o", filepath.Join(dir, "libx.so.1"), lib)
	if err := os.Symlink("libx.so.1", filepath.Join(dir, "libx.so")); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "p")
	run(append([]string{"-o", exe, prog, "-L" + dir, "-lx"}, ldflags...)...)
	return exe
}

func needed(t *testing.T, path string) []string {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	libs, err := f.ImportedLibraries()
	if err != nil {
		t.Fatal(err)
	}
	return libs
}

func TestDropNeeded(t *testing.T) {
	exe := build(t, "-Wl,-z,lazy")
	cases := []struct {
		libs    []string
		removed int
		left    bool // libx.so.1 still needed afterwards
	}{
		{[]string{"libother.so.2"}, 0, true},
		{[]string{"libx.so.1"}, 1, false},
		{[]string{"libx.so.1"}, 0, false}, // idempotent
	}
	for i, c := range cases {
		n, err := dropNeeded(exe, c.libs)
		if err != nil || n != c.removed {
			t.Fatalf("%d: dropNeeded(%v) = %d, %v; want %d, nil", i, c.libs, n, err, c.removed)
		}
		libs := needed(t, exe)
		if slices.Contains(libs, "libx.so.1") != c.left || !slices.Contains(libs, "libc.so.6") {
			t.Errorf("%d: needed after = %v", i, libs)
		}
	}
}

func TestDropNeededRefusesEagerBinding(t *testing.T) {
	exe := build(t, "-Wl,-z,now")
	if _, err := dropNeeded(exe, []string{"libx.so.1"}); err == nil {
		t.Fatal("dropNeeded accepted a -z now binary")
	}
	if !slices.Contains(needed(t, exe), "libx.so.1") {
		t.Error("the binary was changed although dropNeeded failed")
	}
}
