//go:build !cuda

package probe

// Err returns ErrNotBuilt: this build has no CUDA support.
func Err() error { return ErrNotBuilt }

// Info returns the zero Device.
func Info() Device { return Device{} }
