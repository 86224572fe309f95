// Package tmpfs gives tests a real, tiny file system to fill up or to turn
// read-only: Mount mounts a tmpfs of a chosen size on a temporary directory
// (Linux, as root; otherwise the test is skipped with the reason) and
// unmounts it when the test ends.
package tmpfs
