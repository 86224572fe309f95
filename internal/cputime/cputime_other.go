//go:build !linux

package cputime

import "time"

// Process returns 0: the process CPU time is only read on Linux.
func Process() time.Duration { return 0 }
