package plots

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/selunet/selunet/checkpoint"
)

// Size and resolution of the PNGs.
const (
	// Width is the width of every figure, legend column included.
	Width = 18 * vg.Centimeter
	// LegendWidth is the width of the legend column right of the axes, so
	// the legend never hides data.
	LegendWidth = 3.5 * vg.Centimeter
	// CurvesHeight is the height of a LearningCurves figure.
	CurvesHeight = 10 * vg.Centimeter
	// StatsHeight is the height of a LayerStats figure (two panels).
	StatsHeight = 18 * vg.Centimeter
	// DPI is the resolution: Width at DPI gives a 1063 pixel wide image.
	DPI = 150
	// maxLegendLayers is the most layer entries a LayerStats legend lists.
	maxLegendLayers = 8
)

// Series is one curve: Y[i] is plotted at X[i]. A nil X means 1, 2, ...,
// len(Y) (epoch numbers). Points whose X or Y is NaN or ±Inf are left out
// (a metric not computed at some epoch).
type Series struct {
	Name string
	X, Y []float64
}

// points turns s into plotter.XYs, dropping non-finite points.
func (s Series) points() (plotter.XYs, error) {
	if s.X != nil && len(s.X) != len(s.Y) {
		return nil, fmt.Errorf("series %q has %d x values and %d y values", s.Name, len(s.X), len(s.Y))
	}
	xys := make(plotter.XYs, 0, len(s.Y))
	for i, y := range s.Y {
		x := float64(i + 1)
		if s.X != nil {
			x = s.X[i]
		}
		if finite(x) && finite(y) {
			xys = append(xys, plotter.XY{X: x, Y: y})
		}
	}
	return xys, nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// LearningCurves draws one line per series (train loss, validation loss,
// validation AUC, ...) against xlabel/ylabel axes, with a legend, and writes
// the figure as a PNG to path atomically (see checkpoint.WriteFileAtomic).
// Series without finite points are listed in the legend but draw nothing.
// It returns an error when a series has len(X) != len(Y) (X non-nil), or the
// file cannot be written; the error names path.
func LearningCurves(path, title, xlabel, ylabel string, series []Series) error {
	p := newPlot(title, xlabel, ylabel)
	for i, s := range series {
		xys, err := s.points()
		if err != nil {
			return fmt.Errorf("plots: %s: %w", path, err)
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return fmt.Errorf("plots: %s: series %q: %w", path, s.Name, err)
		}
		l.Color = plotutil.Color(i)
		l.Width = vg.Points(1.5)
		l.Dashes = plotutil.Dashes(i / 7)
		if len(xys) > 0 {
			p.Add(l)
		}
		p.Legend.Add(s.Name, l)
	}
	return save(path, Width, CurvesHeight, [][]*plot.Plot{{p}})
}

// LayerStats draws how each layer's activation mean and variance evolve
// during training: the top panel has one line per layer of means[i][l]
// (record i, layer l) against x[i] (epochs or steps, named by xlabel) with a
// dashed reference line at mean 0, the bottom panel the same for vars with a
// reference at variance 1, the fixed point a self-normalizing network is
// drawn to (Klambauer et al. 2017). Lines are coloured by depth from blue
// (first layer) to red (last). The PNG is written to path atomically.
//
// It returns an error when len(means) or len(vars) differs from len(x), when
// the records do not all have the same number of layers, or when the file
// cannot be written.
func LayerStats(path, title, xlabel string, x []float64, means, vars [][]float64) error {
	layers, err := checkRecords(x, means, vars)
	if err != nil {
		return fmt.Errorf("plots: %s: %w", path, err)
	}
	top := newPlot(title, "", "activation mean")
	bottom := newPlot("", xlabel, "activation variance")
	if err := addLayers(top, x, means, layers, 0, "mean 0"); err != nil {
		return fmt.Errorf("plots: %s: %w", path, err)
	}
	if err := addLayers(bottom, x, vars, layers, 1, "variance 1"); err != nil {
		return fmt.Errorf("plots: %s: %w", path, err)
	}
	return save(path, Width, StatsHeight, [][]*plot.Plot{{top}, {bottom}})
}

// checkRecords checks the LayerStats shapes and returns the layer count.
func checkRecords(x []float64, means, vars [][]float64) (int, error) {
	if len(means) != len(x) || len(vars) != len(x) {
		return 0, fmt.Errorf("%d x values but %d mean and %d variance records", len(x), len(means), len(vars))
	}
	layers := -1
	for k, recs := range [][][]float64{means, vars} {
		name := [...]string{"mean", "variance"}[k]
		for i, r := range recs {
			if layers < 0 {
				layers = len(r)
			}
			if len(r) != layers {
				return 0, fmt.Errorf("%s record %d has %d layers, record 0 has %d", name, i, len(r), layers)
			}
		}
	}
	return max(layers, 0), nil
}

// addLayers adds one depth-coloured line per layer and a reference line at
// y = ref spanning the x range.
func addLayers(p *plot.Plot, x []float64, recs [][]float64, layers int, ref float64, refName string) error {
	cmap := moreland.SmoothBlueRed()
	cmap.SetMin(0)
	cmap.SetMax(1)
	every := (layers + maxLegendLayers - 1) / maxLegendLayers // legend shows every k-th layer
	xmin, xmax := math.Inf(1), math.Inf(-1)
	for _, v := range x {
		if finite(v) {
			xmin, xmax = min(xmin, v), max(xmax, v)
		}
	}
	if xmin <= xmax {
		rl, err := plotter.NewLine(plotter.XYs{{X: xmin, Y: ref}, {X: xmax, Y: ref}})
		if err != nil {
			return err
		}
		rl.Color = color.Gray{Y: 96}
		rl.Dashes = []vg.Length{vg.Points(6), vg.Points(4)}
		rl.Width = vg.Points(1.5)
		p.Add(rl)
		p.Legend.Add(refName, rl)
	}
	for l := 0; l < layers; l++ {
		s := Series{X: x, Y: make([]float64, len(recs))}
		for i, r := range recs {
			s.Y[i] = r[l]
		}
		xys, err := s.points()
		if err != nil {
			return err
		}
		line, err := plotter.NewLine(xys)
		if err != nil {
			return err
		}
		depth := 0.0
		if layers > 1 {
			depth = float64(l) / float64(layers-1)
		}
		c, err := cmap.At(depth)
		if err != nil {
			return err
		}
		line.Color = c
		line.Width = vg.Points(1.2)
		if len(xys) > 0 {
			p.Add(line)
		}
		if l%every == 0 || l == layers-1 {
			p.Legend.Add(fmt.Sprintf("layer %d", l+1), line)
		}
	}
	return nil
}

func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Add(plotter.NewGrid())
	p.Legend.Top = true
	p.Legend.Left = true
	return p
}

// render draws a column of plots into a PNG, each plot's legend in a
// column to the right of its axes.
func render(w io.Writer, width, height vg.Length, grid [][]*plot.Plot) error {
	c := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(DPI))
	dc := draw.New(c)
	tiles := draw.Tiles{Rows: len(grid), Cols: 1, PadY: 3 * vg.Millimeter,
		PadTop: vg.Millimeter, PadBottom: vg.Millimeter, PadLeft: vg.Millimeter, PadRight: 2 * vg.Millimeter}
	canvases := plot.Align(grid, tiles, draw.Crop(dc, 0, -LegendWidth, 0, 0))
	for i, row := range grid {
		p := row[0]
		leg := p.Legend
		p.Legend = plot.NewLegend() // empty: drawn separately below
		p.Draw(canvases[i][0])
		lc := canvases[i][0]
		lc.Min.X, lc.Max.X = lc.Max.X+2*vg.Millimeter, dc.Max.X
		if p.Title.Text != "" { // start level with the axes, below the title
			lc.Max.Y -= p.Title.TextStyle.Height(p.Title.Text) + p.Title.Padding
		}
		leg.Draw(lc)
	}
	_, err := vgimg.PngCanvas{Canvas: c}.WriteTo(w)
	return err
}

// save renders into memory, then writes path atomically.
func save(path string, width, height vg.Length, grid [][]*plot.Plot) error {
	var buf bytes.Buffer
	if err := render(&buf, width, height, grid); err != nil {
		return fmt.Errorf("plots: %s: %w", path, err)
	}
	return checkpoint.WriteFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(buf.Bytes())
		return err
	}, 0o644)
}
