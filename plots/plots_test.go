package plots_test

import (
	"bytes"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/selunet/selunet/plots"
)

// Expected PNG size: Width 18 cm and heights 10 cm / 18 cm at 150 DPI,
// i.e. cm/2.54*150 pixels, rounded by the vgimg canvas.
const (
	wantW       = 1063
	wantCurvesH = 591
	wantStatsH  = 1063
)

func checkPNG(t *testing.T, path string, w, h int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: got:%v want:valid PNG", path, err)
	}
	if got := img.Bounds().Size(); got.X != w || got.Y != h {
		t.Errorf("%s: size got:%v want:%dx%d", path, got, w, h)
	}
	// The image is not blank: more than two distinct colours.
	seen := map[uint32]bool{}
	for y := 0; y < h && len(seen) < 3; y += 7 {
		for x := 0; x < w; x += 7 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[r<<16^g<<8^bl] = true
		}
	}
	if len(seen) < 3 {
		t.Errorf("%s: image looks blank", path)
	}
}

// syntheticStats mimics a self-normalizing net: each layer's mean and
// variance decay towards 0 and 1 over the epochs, deeper layers slower.
func syntheticStats(records, layers int) (x []float64, means, vars [][]float64) {
	for i := 0; i < records; i++ {
		x = append(x, float64(i+1))
		m, v := make([]float64, layers), make([]float64, layers)
		for l := 0; l < layers; l++ {
			decay := math.Exp(-float64(i) / float64(2+l))
			m[l] = 0.4 * decay * float64(l+1) / float64(layers)
			v[l] = 1 + 0.8*decay*float64(l+1)/float64(layers)
		}
		means, vars = append(means, m), append(vars, v)
	}
	return x, means, vars
}

// TestLearningCurves writes a figure and checks it decodes as a PNG of the
// documented size; NaN points (missing epochs) are skipped.
func TestLearningCurves(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "curves.png")
	var train, val, auc []float64
	for e := 1; e <= 30; e++ {
		train = append(train, 0.6*math.Exp(-float64(e)/8)+0.05)
		val = append(val, 0.6*math.Exp(-float64(e)/10)+0.08)
		auc = append(auc, 0.97-0.3*math.Exp(-float64(e)/5))
	}
	val[4] = math.NaN()
	err := plots.LearningCurves(path, "HTRU2, SNN 8x256", "epoch", "loss / AUC", []plots.Series{
		{Name: "train loss", Y: train}, {Name: "val loss", Y: val}, {Name: "val AUC", Y: auc},
		{Name: "all NaN", Y: []float64{math.NaN()}},
	})
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path, wantW, wantCurvesH)
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("dir got:%v want:[curves.png]", ents)
	}
}

// TestLayerStats checks the two-panel figure for 8 and 32 layers (legend
// subsampled) and a single record.
func TestLayerStats(t *testing.T) {
	cases := []struct{ records, layers int }{
		{40, 8},  // 0
		{20, 32}, // 1
		{1, 3},   // 2
		{0, 0},   // 3: empty, still a valid (blank-axes) figure
	}
	dir := t.TempDir()
	for i, c := range cases {
		x, m, v := syntheticStats(c.records, c.layers)
		path := filepath.Join(dir, "layers.png")
		if err := plots.LayerStats(path, "activation statistics", "epoch", x, m, v); err != nil {
			t.Errorf("case %d: got:%v want:nil", i, err)
			continue
		}
		checkPNG(t, path, wantW, wantStatsH)
	}
}

// TestErrors: shape mismatches and unwritable paths are errors naming the
// file.
func TestErrors(t *testing.T) {
	x, m, v := syntheticStats(3, 4)
	ragged := [][]float64{{1, 2, 3, 4}, {1, 2}, {1, 2, 3, 4}}
	missing := filepath.Join(t.TempDir(), "no", "such", "dir", "f.png")
	cases := []struct {
		err  error
		want string
	}{
		{plots.LayerStats("a.png", "", "epoch", x[:2], m, v), "plots: a.png: 2 x values but 3 mean and 3 variance records"},                                                     // 0
		{plots.LayerStats("a.png", "", "epoch", x, m, ragged), "plots: a.png: variance record 1 has 2 layers, record 0 has 4"},                                                  // 1
		{plots.LearningCurves("b.png", "", "", "", []plots.Series{{Name: "s", X: []float64{1}, Y: []float64{1, 2}}}), `plots: b.png: series "s" has 1 x values and 2 y values`}, // 2
		{plots.LearningCurves(missing, "", "", "", nil), "checkpoint: write " + missing},                                                                                        // 3
	}
	for i, c := range cases {
		if c.err == nil || !strings.HasPrefix(c.err.Error(), c.want) {
			t.Errorf("case %d: got:%v want:%v", i, c.err, c.want)
		}
	}
}

func BenchmarkLayerStats(b *testing.B) {
	x, m, v := syntheticStats(100, 16)
	path := filepath.Join(b.TempDir(), "layers.png")
	for b.Loop() {
		if err := plots.LayerStats(path, "stats", "epoch", x, m, v); err != nil {
			b.Fatal(err)
		}
	}
}
