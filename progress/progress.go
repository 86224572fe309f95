package progress

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Metric is one named value printed at the end of an epoch. Reporters print
// metrics in the order given, so a []Metric (not a map) keeps lines stable.
type Metric struct {
	Name  string
	Value float64
}

// Reporter shows training progress. Epochs are numbered from 1; step is the
// number of steps done so far in the epoch (1..steps). A Reporter is not
// safe for concurrent use. Output errors are ignored: progress output never
// stops training.
type Reporter interface {
	// StartEpoch begins epoch (1-based) of steps steps (0 if unknown).
	StartEpoch(epoch, steps int)
	// Step reports that step steps of the current epoch are done and the
	// last batch had loss loss.
	Step(step int, loss float64)
	// EndEpoch finishes epoch and prints one summary line:
	// "epoch 3/100  train_loss 0.1234  val_loss 0.2345  val_auc 0.9712  12.3s".
	EndEpoch(epoch int, metrics []Metric, elapsed time.Duration)
	// Printf prints a message on its own line (e.g. "saved checkpoint"),
	// without garbling a progress bar. A trailing newline is added if
	// missing.
	Printf(format string, args ...any)
	// Close finishes the output (clears an unfinished bar).
	Close()
}

// Option configures New.
type Option func(*options)

type options struct {
	terminal  *bool
	stepEvery int
}

// WithTerminal forces the bar (true) or the plain-line (false) reporter
// instead of detecting whether w is a terminal.
func WithTerminal(on bool) Option {
	return func(o *options) { o.terminal = &on }
}

// WithStepEvery makes the plain-line reporter also print a line every n
// steps: "epoch 3/100  step 200/1000  loss 0.1234", loss being the mean
// batch loss of the epoch so far. n <= 0 (the default) prints no step lines.
// The bar reporter ignores it.
func WithStepEvery(n int) Option {
	return func(o *options) { o.stepEvery = n }
}

// New returns a Reporter writing to w for a run of epochs epochs (<= 0 if
// unknown; the total is then left out of "epoch 3/100"). When w is a
// terminal (an *os.File for which golang.org/x/term.IsTerminal is true) it
// shows a progress bar per epoch and keeps one summary line per epoch;
// otherwise (files, pipes, CI logs, buffers) it prints only plain lines.
func New(w io.Writer, epochs int, opts ...Option) Reporter {
	var o options
	for _, f := range opts {
		f(&o)
	}
	tty := IsTerminal(w)
	if o.terminal != nil {
		tty = *o.terminal
	}
	l := &lines{w: w, epochs: epochs, every: o.stepEvery}
	if tty {
		return &bars{lines: l}
	}
	return l
}

// IsTerminal reports whether w is a terminal: it has an Fd method (as
// *os.File does) and golang.org/x/term.IsTerminal says so.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}

// FormatValue formats a metric value: %.4f for 0 and magnitudes in
// [1e-3, 1e6), otherwise %.4g (so a learning rate of 1e-5 is not printed as
// 0.0000); NaN and infinities as NaN, +Inf, -Inf.
func FormatValue(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case v == 0 || (a >= 1e-3 && a < 1e6):
		return fmt.Sprintf("%.4f", v)
	}
	return fmt.Sprintf("%.4g", v)
}

// lines is the plain-line reporter.
type lines struct {
	w      io.Writer
	epochs int
	every  int
	epoch  int
	steps  int
	sum    float64 // sum of this epoch's batch losses
	n      int     // number of losses in sum
}

func (l *lines) epochText(epoch int) string {
	if l.epochs > 0 {
		return fmt.Sprintf("epoch %d/%d", epoch, l.epochs)
	}
	return fmt.Sprintf("epoch %d", epoch)
}

func (l *lines) StartEpoch(epoch, steps int) {
	l.epoch, l.steps, l.sum, l.n = epoch, steps, 0, 0
}

func (l *lines) Step(step int, loss float64) {
	l.sum += loss
	l.n++
	if l.every > 0 && step%l.every == 0 {
		fmt.Fprintln(l.w, l.stepText(step))
	}
}

// stepText is "epoch 3/100  step 200/1000  loss 0.1234".
func (l *lines) stepText(step int) string {
	s := fmt.Sprintf("%s  step %d", l.epochText(l.epoch), step)
	if l.steps > 0 {
		s += fmt.Sprintf("/%d", l.steps)
	}
	if l.n > 0 {
		s += "  loss " + FormatValue(l.sum/float64(l.n))
	}
	return s
}

// summary is the end-of-epoch line without newline.
func (l *lines) summary(epoch int, metrics []Metric, elapsed time.Duration) string {
	var b strings.Builder
	b.WriteString(l.epochText(epoch))
	for _, m := range metrics {
		b.WriteString("  ")
		b.WriteString(m.Name)
		b.WriteString(" ")
		b.WriteString(FormatValue(m.Value))
	}
	fmt.Fprintf(&b, "  %.1fs", elapsed.Seconds())
	return b.String()
}

func (l *lines) EndEpoch(epoch int, metrics []Metric, elapsed time.Duration) {
	fmt.Fprintln(l.w, l.summary(epoch, metrics, elapsed))
}

func (l *lines) Printf(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	io.WriteString(l.w, s)
}

func (l *lines) Close() {}

// bars is the terminal reporter: a progressbar per epoch, then the summary
// line of lines.
type bars struct {
	*lines
	bar *progressbar.ProgressBar
}

func (b *bars) StartEpoch(epoch, steps int) {
	b.lines.StartEpoch(epoch, steps)
	b.clear()
	max := steps
	if max <= 0 {
		max = -1 // unknown length: spinner
	}
	b.bar = progressbar.NewOptions(max,
		progressbar.OptionSetWriter(b.w),
		progressbar.OptionSetDescription(b.epochText(epoch)),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowCount(),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetRenderBlankState(true),
	)
}

func (b *bars) Step(step int, loss float64) {
	b.lines.sum += loss
	b.lines.n++
	if b.bar == nil {
		return
	}
	b.bar.Describe(fmt.Sprintf("%s  loss %s", b.epochText(b.epoch), FormatValue(b.sum/float64(b.n))))
	b.bar.Set(step)
}

// clear removes the current bar from the screen.
func (b *bars) clear() {
	if b.bar != nil {
		b.bar.Clear()
		b.bar = nil
	}
}

func (b *bars) EndEpoch(epoch int, metrics []Metric, elapsed time.Duration) {
	b.clear()
	b.lines.EndEpoch(epoch, metrics, elapsed)
}

func (b *bars) Printf(format string, args ...any) {
	if b.bar != nil {
		b.bar.Clear()
	}
	b.lines.Printf(format, args...)
}

func (b *bars) Close() { b.clear() }
