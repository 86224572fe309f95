//go:build !unix

package sweep

// LockFile is the file in a sweep directory that Lock holds.
const LockFile = "sweep.lock"

// Lock does nothing off Unix (no flock): keep to one runner per sweep
// directory there.
func Lock(dir string) (unlock func(), err error) { return func() {}, nil }
