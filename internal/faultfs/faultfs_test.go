package faultfs

import (
	"errors"
	"fmt"
	"syscall"
	"testing"
)

// TestAfter: the byte budget is shared by the matching files only, a chunk
// that does not fit fails whole, later chunks fail too, other steps pass.
func TestAfter(t *testing.T) {
	f := After(10, syscall.ENOSPC, func(p string) bool { return p == "a" })
	cases := []struct {
		op   Op
		path string
		n    int
		want error
	}{
		{Write, "a", 6, nil},            // 0: 4 left
		{Write, "b", 100, nil},          // 1: another file
		{Sync, "a", 0, nil},             // 2: not a write
		{Write, "a", 5, syscall.ENOSPC}, // 3: does not fit
		{Write, "a", 1, syscall.ENOSPC}, // 4: the disk stays full
	}
	for i, c := range cases {
		if got := f(c.op, c.path, c.n); !errors.Is(got, c.want) || (got == nil) != (c.want == nil) {
			t.Errorf("case %d: got:%v want:%v", i, got, c.want)
		}
	}
}

// TestSetRestore: Set installs a fault, restore puts the previous one back.
func TestSetRestore(t *testing.T) {
	if err := Check(Create, "x", 0); err != nil {
		t.Fatalf("no fault installed: got:%v", err)
	}
	boom := errors.New("boom")
	r1 := Set(func(Op, string, int) error { return boom })
	r2 := Set(nil)
	if err := Check(Create, "x", 0); err != nil {
		t.Errorf("after Set(nil): got:%v want:nil", err)
	}
	r2()
	if err := Check(Create, "x", 0); err != boom {
		t.Errorf("after restore: got:%v want:%v", err, boom)
	}
	r1()
	if err := Check(Create, "x", 0); err != nil {
		t.Errorf("after the last restore: got:%v want:nil", err)
	}
}

func Example() {
	// Fail the fsync of one file with an I/O error.
	restore := Set(func(op Op, path string, n int) error {
		if op == Sync && path == "run/metrics.json" {
			return syscall.EIO
		}
		return nil
	})
	defer restore()
	fmt.Println(Check(Write, "run/metrics.json", 100))
	fmt.Println(Check(Sync, "run/metrics.json", 0))
	// Output:
	// <nil>
	// input/output error
}
