package nets

import "testing"

// TestParamCount checks Spec.ParamCount against the parameters New creates,
// for every architecture and shape.
func TestParamCount(t *testing.T) {
	i := 0
	for _, arch := range Archs {
		for _, shape := range []string{Rectangular, Conic, Diavolo} {
			if shape == Diavolo && arch != ResNet {
				continue
			}
			for _, dims := range [][3]int{{5, 3, 7}, {16, 16, 1}, {3, 1, 2}} {
				s := DefaultSpec()
				s.Arch, s.Shape, s.Layers, s.Units = arch, shape, dims[1], dims[2]*3
				s.Bottleneck = 0.3
				net, err := New(s, dims[0], dims[2], Binary, 1)
				if err != nil {
					t.Fatal(err)
				}
				got, ok := s.ParamCount(dims[0], dims[2])
				if !ok || got != int64(net.Params.Size()) {
					t.Errorf("%d %s %s %v: got:%d want:%d", i, arch, shape, dims, got, net.Params.Size())
				}
				i++
			}
		}
	}
	if _, ok := (Spec{Arch: SNN, Layers: 2, Units: 1 << 29}).ParamCount(1<<29, 1); ok {
		t.Error("2^58 parameters: no overflow reported")
	}
}
