package plots

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

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
// (a metric not computed at some epoch). Marks lists x positions whose
// points are marked with a filled circle in the series' colour (e.g. the
// epoch whose weights were kept); a mark without a finite point at that x
// is left out.
type Series struct {
	Name  string
	X, Y  []float64
	Marks []float64
}

// Option adjusts a LearningCurves figure.
type Option func(*options)

type options struct {
	rangeFrom float64
	markLabel string
}

// YRangeFrom makes only the points with X ≥ x (and the marks) set the
// y-axis range; lines through earlier points are clipped at the frame. YRangeFrom(1) keeps an
// untrained network's epoch-0 loss from squashing the curves of training.
func YRangeFrom(x float64) Option { return func(o *options) { o.rangeFrom = x } }

// MarkLabel names the series' marks in the legend (default "marked").
func MarkLabel(s string) Option { return func(o *options) { o.markLabel = s } }

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
// When every x value is a whole number (epochs) the x axis has integer
// ticks only. It returns an error when a series has len(X) != len(Y) (X
// non-nil), or the file cannot be written; the error names path.
func LearningCurves(path, title, xlabel, ylabel string, series []Series, opts ...Option) error {
	p, err := curves(title, xlabel, ylabel, series, opts...)
	if err != nil {
		return fmt.Errorf("plots: %s: %w", path, err)
	}
	return save(path, Width, CurvesHeight, [][]*plot.Plot{{p}})
}

// curves builds the LearningCurves plot.
func curves(title, xlabel, ylabel string, series []Series, opts ...Option) (*plot.Plot, error) {
	o := options{rangeFrom: math.Inf(-1), markLabel: "marked"}
	for _, f := range opts {
		f(&o)
	}
	p := newPlot(title, xlabel, ylabel)
	var all []plotter.XYs
	var marks plotter.XYs
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for i, s := range series {
		xys, err := s.points()
		if err != nil {
			return nil, err
		}
		all = append(all, xys)
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, fmt.Errorf("series %q: %w", s.Name, err)
		}
		l.Color = plotutil.Color(i)
		l.Width = vg.Points(1.5)
		l.Dashes = plotutil.Dashes(i / 7)
		if len(xys) > 0 {
			p.Add(l)
		}
		p.Legend.Add(s.Name, l)
		for _, pt := range xys {
			if pt.X >= o.rangeFrom {
				ymin, ymax = min(ymin, pt.Y), max(ymax, pt.Y)
			}
		}
		var ms plotter.XYs
		for _, mx := range s.Marks {
			for _, pt := range xys {
				if pt.X == mx {
					ms = append(ms, pt)
					marks = append(marks, pt)
					ymin, ymax = min(ymin, pt.Y), max(ymax, pt.Y) // a mark is always in range
					break
				}
			}
		}
		if len(ms) > 0 {
			sc, err := plotter.NewScatter(ms)
			if err != nil {
				return nil, fmt.Errorf("series %q: %w", s.Name, err)
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: l.Color, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}
			p.Add(sc)
		}
	}
	if len(marks) > 0 {
		sc, _ := plotter.NewScatter(marks[:1])
		sc.GlyphStyle = draw.GlyphStyle{Color: color.Gray{Y: 64}, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}
		p.Legend.Add(o.markLabel, sc)
	}
	if !math.IsInf(o.rangeFrom, -1) && ymin <= ymax {
		pad := 0.05 * (ymax - ymin)
		if pad == 0 {
			pad = 0.05 * max(math.Abs(ymax), 1)
		}
		p.Y.Min, p.Y.Max = ymin-pad, ymax+pad
	}
	integerTicks(p, all...)
	return p, nil
}

// integerTicks gives p's x axis whole-number ticks when every x of pts is a
// whole number (epochs).
func integerTicks(p *plot.Plot, pts ...plotter.XYs) {
	for _, xys := range pts {
		for _, pt := range xys {
			if pt.X != math.Trunc(pt.X) {
				return
			}
		}
	}
	p.X.Tick.Marker = plot.TickerFunc(IntegerTicks)
}

// IntegerTicks is a plot.Ticker with labelled ticks at whole numbers only:
// every 1, 2, 5, 10, 20, 50, ... units, the smallest step giving at most
// nine labels, with unlabelled minor ticks at the whole numbers in between
// when the step is at most 5.
func IntegerTicks(lo, hi float64) []plot.Tick {
	if !(hi >= lo) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return nil
	}
	step := 1.0
	for k := 0; (hi-lo)/step > 8; k++ {
		step *= [...]float64{2, 2.5, 2}[k%3] // 1, 2, 5, 10, 20, 50, ...
	}
	var ticks []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi; v += step {
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', 0, 64)})
	}
	if step > 1 && step <= 5 {
		for v := math.Ceil(lo); v <= hi; v++ {
			if math.Mod(v, step) != 0 {
				ticks = append(ticks, plot.Tick{Value: v})
			}
		}
	}
	return ticks
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
	return LayerStatsRuns(path, title, xlabel, []LayerRun{{X: x, Means: means, Vars: vars}})
}

// LayerRun is the layer statistics of one training run (one fold): X[i],
// Means[i][l] and Vars[i][l] as in LayerStats.
type LayerRun struct {
	Name        string
	X           []float64
	Means, Vars [][]float64
}

// LayerStatsRuns is LayerStats for several runs (the folds of a
// cross-validation) in one figure: every run's lines are drawn, each layer
// in the colour of its relative depth (first layer blue, last layer red),
// so the spread between runs shows as the width of each colour's band.
// Runs may differ in depth (a grid can choose 2 layers in one fold and 8
// in another); the legend names the layers of the deepest run. Whole-number
// x values get integer ticks.
func LayerStatsRuns(path, title, xlabel string, runs []LayerRun) error {
	depth := make([]int, len(runs))
	deepest := 0 // index of the run whose layers the legend names
	var xs []plotter.XYs
	for k, r := range runs {
		n, err := checkRecords(r.X, r.Means, r.Vars)
		if err != nil && len(runs) > 1 {
			return fmt.Errorf("plots: %s: run %d: %w", path, k+1, err)
		}
		if err != nil {
			return fmt.Errorf("plots: %s: %w", path, err)
		}
		if len(r.X) == 0 {
			continue
		}
		depth[k] = n
		if n > depth[deepest] {
			deepest = k
		}
		xs = append(xs, Series{X: r.X, Y: r.X}.mustPoints())
	}
	top := newPlot(title, "", "activation mean")
	bottom := newPlot("", xlabel, "activation variance")
	for k, r := range runs {
		if err := addLayers(top, r.X, r.Means, depth[k], 0, "mean 0", k == 0, k == deepest); err != nil {
			return fmt.Errorf("plots: %s: %w", path, err)
		}
		if err := addLayers(bottom, r.X, r.Vars, depth[k], 1, "variance 1", k == 0, k == deepest); err != nil {
			return fmt.Errorf("plots: %s: %w", path, err)
		}
	}
	integerTicks(top, xs...)
	integerTicks(bottom, xs...)
	return save(path, Width, StatsHeight, [][]*plot.Plot{{top}, {bottom}})
}

// mustPoints is points for a series already checked.
func (s Series) mustPoints() plotter.XYs {
	p, _ := s.points()
	return p
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
// y = ref spanning the x range; refLegend and layerLegend add their legend
// entries.
func addLayers(p *plot.Plot, x []float64, recs [][]float64, layers int, ref float64, refName string, refLegend, layerLegend bool) error {
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
		if refLegend {
			p.Legend.Add(refName, rl)
		}
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
		if layerLegend && (l%every == 0 || l == layers-1) {
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
