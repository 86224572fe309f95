//go:build !cuda

package check

import "github.com/selunet/selunet/internal/cuda/probe"

// Copies needs the cuda build; here it returns probe.ErrNotBuilt.
func Copies(bytes int64, repeats int) (CopyResult, error) {
	return CopyResult{Bytes: bytes, Repeats: repeats}, probe.ErrNotBuilt
}
