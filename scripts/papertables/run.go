package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/selunet/selunet/experiment"
)

// run is one finished run directory.
type run struct {
	Dir  string
	Res  experiment.Result // metrics.json (null numbers read as NaN)
	Wall wall
}

// wall sums the lines of a run's wall.tsv.
type wall struct {
	Seconds  float64
	Commits  []string
	Machines []string
	Start    string
	End      string
	LastRC   int // exit status of the last line
}

func (w wall) String() string {
	if w.Seconds == 0 {
		return "unknown"
	}
	return fmt.Sprintf("%s (%s to %s)", dur(w.Seconds), w.Start, w.End)
}

func dur(s float64) string {
	m := int(math.Round(s / 60))
	if m < 60 {
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%d h %02d min", m/60, m%60)
}

// loadRun reads DIR/metrics.json and DIR/wall.tsv; ok is false when the run
// has not finished.
func loadRun(dir string) (r run, ok bool, err error) {
	r.Dir = dir
	b, err := os.ReadFile(filepath.Join(dir, "metrics.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return r, false, nil
	}
	if err != nil {
		return r, false, err
	}
	if err := json.Unmarshal(b, &r.Res); err != nil {
		return r, false, fmt.Errorf("%s/metrics.json: %w", dir, err)
	}
	r.Wall, err = readWall(filepath.Join(dir, "wall.tsv"))
	return r, true, err
}

func readWall(path string) (w wall, err error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return w, nil
	}
	if err != nil {
		return w, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 6 {
			return w, fmt.Errorf("%s:%d: expected 6 tab-separated fields, got %d", path, line, len(c))
		}
		s, err := strconv.ParseFloat(c[2], 64)
		if err != nil {
			return w, fmt.Errorf("%s:%d: seconds: %w", path, line, err)
		}
		w.Seconds += s
		if w.LastRC, err = strconv.Atoi(c[3]); err != nil {
			return w, fmt.Errorf("%s:%d: exit status: %w", path, line, err)
		}
		if w.Start == "" {
			w.Start = c[0]
		}
		w.End = c[1]
		w.Commits = appendNew(w.Commits, c[4])
		w.Machines = appendNew(w.Machines, c[5])
	}
	return w, sc.Err()
}

func appendNew(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// runFiles are the files of a run directory that a table keeps beside it.
// runConfig reads the resolved config.yaml a run directory holds, as
// train -resume would.
func runConfig(dir string) (experiment.Config, error) {
	return experiment.Load(filepath.Join(dir, "config.yaml"), nil)
}

var runFiles = []string{"config.yaml", "metrics.json", "wall.tsv"}

// copyRunFiles copies dir's runFiles into out as name.config.yaml,
// name.metrics.json and name.wall.tsv.
func copyRunFiles(dir, out, name string) error {
	for _, f := range runFiles {
		if err := copyFile(filepath.Join(dir, f), filepath.Join(out, name+"."+f)); err != nil {
			return err
		}
	}
	return nil
}

// copyFile copies src to dst (both small files).
func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

// writeCSV writes rows to path.
func writeCSV(path string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	if err := w.WriteAll(rows); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// mdTable renders rows (the first is the header) as a Markdown table.
func mdTable(rows [][]string) string {
	var b strings.Builder
	for i, r := range rows {
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
		if i == 0 {
			b.WriteString("|" + strings.Repeat(" --- |", len(r)) + "\n")
		}
	}
	return b.String()
}

func f4(x float64) string {
	if math.IsNaN(x) {
		return "NA"
	}
	return strconv.FormatFloat(x, 'f', 4, 64)
}

func pval(p float64) string {
	if math.IsNaN(p) {
		return "–"
	}
	return strconv.FormatFloat(p, 'e', 1, 64)
}

// isRunning reports whether a process holds the run directory's lock
// (scripts/paper-run.sh keeps RUNDIR.lock locked while it runs).
func isRunning(dir string) bool {
	f, err := os.OpenFile(dir+".lock", os.O_RDWR, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return true
	}
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return false
}

// exitDiverged is cmd/train's ExitDiverged: the run ended because training
// diverged (every grid point, or every split).
const exitDiverged = 3

// unfinishedMark says why the run directory dir has no result: "·" when it
// has not run or is running now, "diverged" when its last invocation ended
// because training diverged, "stopped" when it ended with another error or
// was interrupted. It also returns the run's wall-time log (zero when it
// cannot be read).
func unfinishedMark(dir string) (string, wall) {
	w, err := readWall(filepath.Join(dir, "wall.tsv"))
	switch {
	case err != nil || w.LastRC == 0 || isRunning(dir):
		return "·", w
	case w.LastRC == exitDiverged:
		return "diverged", w
	}
	return "stopped", w
}
