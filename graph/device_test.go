//go:build !cuda

package graph

import (
	"errors"
	"testing"

	"github.com/selunet/selunet/internal/cuda/probe"
)

func TestCheckDeviceDefaultBuild(t *testing.T) {
	cases := []struct {
		device string
		want   error // nil: accepted; probe.ErrNotBuilt; errOther: any other error
	}{
		{CPU, nil},
		{CUDA, probe.ErrNotBuilt},
		{"gpu", errOther},
		{"", errOther},
	}
	for _, c := range cases {
		err := CheckDevice(c.device)
		switch {
		case c.want == nil && err != nil, c.want != nil && err == nil:
			t.Errorf("CheckDevice(%q) = %v, want %v", c.device, err, c.want)
		case c.want == probe.ErrNotBuilt && !errors.Is(err, probe.ErrNotBuilt):
			t.Errorf("CheckDevice(%q) = %v, want ErrNotBuilt", c.device, err)
		}
	}
	if BuildDevice != CPU {
		t.Errorf("BuildDevice = %q in the default build", BuildDevice)
	}
}

var errOther = errors.New("other")
