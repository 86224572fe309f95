//go:build !linux

package tmpfs

import "testing"

// Mount skips the test: tmpfs mounts are only done on Linux.
func Mount(t testing.TB, size string) string {
	t.Helper()
	t.Skip("tmpfs mounts are only done on Linux")
	return ""
}

// Remount skips the test: tmpfs mounts are only done on Linux.
func Remount(t testing.TB, dir, size string, readOnly bool) {
	t.Helper()
	t.Skip("tmpfs mounts are only done on Linux")
}
