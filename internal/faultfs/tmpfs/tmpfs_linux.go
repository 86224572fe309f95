package tmpfs

import (
	"os"
	"syscall"
	"testing"
)

// Mount mounts a tmpfs of the given size ("64k", "16m") on a new
// temporary directory and returns its path; it is unmounted when the test
// ends. The test is skipped, with the reason, when the process is not root
// or the mount is refused (a container without CAP_SYS_ADMIN).
func Mount(t testing.TB, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		t.Skipf("cannot mount a tmpfs on %s: %v", dir, err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// Remount changes a tmpfs from Mount in place: a new size and
// read-only or read-write. Files on it are kept.
func Remount(t testing.TB, dir, size string, readOnly bool) {
	t.Helper()
	flags := uintptr(syscall.MS_REMOUNT)
	if readOnly {
		flags |= syscall.MS_RDONLY
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", flags, "size="+size); err != nil {
		t.Fatalf("remount %s: %v", dir, err)
	}
}
