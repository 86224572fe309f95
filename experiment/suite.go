package experiment

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"

	"github.com/selunet/selunet/checkpoint"
	"github.com/selunet/selunet/datasets"
)

// SuiteEntry is the outcome of one data set of RunSuite.
type SuiteEntry struct {
	// Dataset is the UCI-121 data set name.
	Dataset string
	// Accuracy and AUC are the test metrics (Result.TestAccuracy and
	// Result.TestAUC); NaN when the data set was skipped.
	Accuracy, AUC float64
	// Paper is the SNN test accuracy of the paper's Table A11 for this
	// data set, NaN when the table was not found or lists no value.
	Paper float64
	// Seconds is the wall time of the data set's run (0 when its result
	// was read from an earlier run).
	Seconds float64
	// Skipped says why the data set was not run (its files are missing),
	// empty when it ran.
	Skipped string
}

// PaperTableFile is the name of the paper's Table A11 (test accuracies of
// seven FNNs on the 121 data sets; columns dataset,N,M,SNN,MS,HW,ResNet,
// BN,WN,LN) that RunSuite looks for under <data dir>/uci121/.
const PaperTableFile = "paper_tableA11_fnn_accuracies.csv"

// RunSuite runs cfg (dataset uci) once per UCI-121 data set in names, each
// in its own run directory out/<name>, and writes out/summary.csv (dataset,
// test_accuracy, test_auc, paper_snn_accuracy, seconds, skipped). A data
// set whose files are missing is skipped with its reason; a data set whose
// directory already holds metrics.json is not run again, and one holding
// an interrupted run is resumed, so an interrupted suite continues where
// it stopped. log receives each run's progress and a final table; nil
// discards them.
func RunSuite(ctx context.Context, cfg Config, names []string, out string, log io.Writer) ([]SuiteEntry, error) {
	if cfg.Data.Dataset != "uci" {
		return nil, fmt.Errorf("experiment: a suite runs UCI-121 data sets: the config has data.dataset %q, want uci", cfg.Data.Dataset)
	}
	if out == "" {
		return nil, errors.New("experiment: no output directory for the suite (set output.dir or -out)")
	}
	if log == nil {
		log = io.Discard
	}
	paper, err := readPaperTable(cfg.Data.Dir)
	if err != nil {
		return nil, err
	}
	var entries []SuiteEntry
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return entries, err
		}
		e := SuiteEntry{Dataset: name, Accuracy: math.NaN(), AUC: math.NaN(), Paper: math.NaN()}
		if v, ok := paper[name]; ok {
			e.Paper = v
		}
		c := cfg
		c.Data.UCI.Name = name
		c.Name = name
		dir := filepath.Join(out, name)
		res, err := readResult(filepath.Join(dir, "metrics.json"))
		switch {
		case err == nil:
			fmt.Fprintf(log, "%s: done before (%s)\n", name, filepath.Join(dir, "metrics.json"))
		case errors.Is(err, os.ErrNotExist):
			_, statErr := os.Stat(filepath.Join(dir, "config.yaml")) // started before: resume
			res, err = Run(ctx, c, Options{Out: dir, Resume: statErr == nil, Log: log})
			var nf *datasets.NotFoundError
			if errors.As(err, &nf) {
				e.Skipped = nf.Error()
				fmt.Fprintf(log, "%s: skipped: %v\n", name, err)
				entries = append(entries, e)
				continue
			}
			if err != nil {
				return entries, fmt.Errorf("%s: %w", name, err)
			}
			e.Seconds = res.Seconds
		default:
			return entries, err
		}
		e.Accuracy, e.AUC = res.TestAccuracy, res.TestAUC
		entries = append(entries, e)
	}
	if err := writeSuite(filepath.Join(out, "summary.csv"), entries); err != nil {
		return entries, err
	}
	printSuite(log, entries)
	return entries, nil
}

// readResult reads a run's metrics.json.
func readResult(path string) (*Result, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Result
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("experiment: %s: %w", path, err)
	}
	return &r, nil
}

// readPaperTable reads the SNN column of <dir>/uci121/PaperTableFile (dir
// "" means SELUNET_DATA_DIR); a missing file gives an empty map, a
// malformed one an error naming the line.
func readPaperTable(dir string) (map[string]float64, error) {
	d := datasets.DataDir(dir)
	if d == "" {
		return nil, nil
	}
	path := filepath.Join(d, "uci121", PaperTableFile)
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("experiment: %s: header: %w", path, err)
	}
	col := -1
	for i, h := range head {
		if h == "SNN" {
			col = i
		}
	}
	if len(head) < 2 || head[0] != "dataset" || col < 0 {
		return nil, fmt.Errorf("experiment: %s:1: header %v must start with dataset and have an SNN column", path, head)
	}
	out := map[string]float64{}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("experiment: %s: %w", path, err)
		}
		if rec[col] == "NA" || rec[col] == "" {
			continue
		}
		v, err := strconv.ParseFloat(rec[col], 64)
		if err != nil || v < 0 || v > 1 {
			return nil, fmt.Errorf("experiment: %s:%d: SNN accuracy %q is not a number in [0, 1]", path, line, rec[col])
		}
		out[rec[0]] = v
	}
}

// writeSuite writes the suite's summary.csv atomically.
func writeSuite(path string, entries []SuiteEntry) error {
	return checkpoint.WriteFileAtomic(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write([]string{"dataset", "test_accuracy", "test_auc", "paper_snn_accuracy", "seconds", "skipped"})
		for _, e := range entries {
			cw.Write([]string{e.Dataset, ftoa(e.Accuracy), ftoa(e.AUC), ftoa(e.Paper), strconv.FormatFloat(e.Seconds, 'f', 1, 64), e.Skipped})
		}
		cw.Flush()
		return cw.Error()
	}, 0o644)
}

// printSuite prints one line per data set and the mean accuracy over the
// data sets that ran, next to the paper's mean over the same data sets.
func printSuite(w io.Writer, entries []SuiteEntry) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "\ndataset\ttest accuracy\tpaper SNN\tdifference\n")
	var sum, psum float64
	var n, pn int
	for _, e := range entries {
		if e.Skipped != "" {
			fmt.Fprintf(tw, "%s\tskipped\t%s\t\n", e.Dataset, fmtAcc(e.Paper))
			continue
		}
		diff := ""
		if !math.IsNaN(e.Paper) {
			diff = fmt.Sprintf("%+.4f", e.Accuracy-e.Paper)
			psum += e.Paper
			pn++
		}
		sum += e.Accuracy
		n++
		fmt.Fprintf(tw, "%s\t%.4f\t%s\t%s\n", e.Dataset, e.Accuracy, fmtAcc(e.Paper), diff)
	}
	tw.Flush()
	if n > 0 {
		fmt.Fprintf(w, "\nmean test accuracy over %d data sets: %.4f", n, sum/float64(n))
		if pn == n {
			fmt.Fprintf(w, " (paper's SNN on the same data sets: %.4f)", psum/float64(pn))
		}
		fmt.Fprintln(w)
	}
}

// fmtAcc formats an accuracy, "-" for NaN.
func fmtAcc(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%.4f", v)
}
