package sweep

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/selunet/selunet/checkpoint"
	"github.com/selunet/selunet/experiment"
)

// Row is one data set of a collected sweep.
type Row struct {
	Dataset string
	// Status is done (every point finished and one chosen), incomplete
	// (points unfinished: no selection yet), failed (every point
	// diverged, or the points' results disagree) or skipped (the data
	// set's files are missing).
	Status string
	// Chosen are the chosen point's settings (per split, "; "-separated,
	// when cross-validation splits chose differently).
	Chosen string
	// Val is the chosen point's validation metric (mean over splits),
	// TestAccuracy and TestAUC the test metrics of the chosen points: the
	// numbers `train -config` with the grid gives. NaN when not done.
	Val, TestAccuracy, TestAUC float64
	// Paper is the paper's SNN test accuracy (Table A11) where known.
	Paper float64
	// Finished and Points count the data set's finished and planned
	// points.
	Finished, Points int
	// Dirs are the chosen tasks' run directories, relative to the sweep
	// directory (one per distinct choice, in split order): their
	// models/ hold the chosen models (`train predict -model`).
	Dirs []string
	// Reason says why a data set is not done.
	Reason string
	// Result is the selected result (nil when not done).
	Result *experiment.Result
}

// Summary is a collected sweep.
type Summary struct {
	Plan *Plan
	Rows []Row
	// Tasks is every task with its state.
	Tasks []TaskState
}

// Collect reads the states and results of every task of the sweep in dir,
// selects each data set's point by the validation rule of the grid
// (experiment.SelectPoints), and writes dir/summary.csv (one row per data
// set: dataset, status, chosen, the validation metric, test_accuracy,
// test_auc, paper_snn_accuracy, points_finished, points, task_dir,
// reason), dir/points.csv (one row per task with its status, metrics,
// epochs, seconds, attempts, Slurm job and reason) and dir/report.md. A data set
// with unfinished tasks gets a row without numbers and its tasks are
// listed as missing: collecting a partial sweep gives a partial table.
func Collect(dir string) (*Summary, error) {
	p, err := Open(dir)
	if err != nil {
		return nil, err
	}
	cfg, err := LoadConfig(dir)
	if err != nil {
		return nil, err
	}
	states, err := States(dir, p)
	if err != nil {
		return nil, err
	}
	paper := map[string]float64{}
	if p.Dataset == "uci" {
		if paper, err = experiment.PaperTable(cfg.Data.Dir); err != nil {
			return nil, err
		}
	}
	s := &Summary{Plan: p, Tasks: states}
	byDataset := map[string][]TaskState{}
	for _, ts := range states {
		byDataset[ts.Dataset] = append(byDataset[ts.Dataset], ts)
	}
	for _, name := range p.Datasets {
		s.Rows = append(s.Rows, selectRow(cfg, p, name, byDataset[name], paper))
	}
	for _, sk := range p.Skipped {
		s.Rows = append(s.Rows, Row{Dataset: sk.Dataset, Status: "skipped", Reason: sk.Reason, Paper: lookup(paper, sk.Dataset),
			Val: math.NaN(), TestAccuracy: math.NaN(), TestAUC: math.NaN()})
	}
	if err := writeAtomic(filepath.Join(dir, "summary.csv"), s.writeSummary); err != nil {
		return nil, err
	}
	if err := writeAtomic(filepath.Join(dir, "points.csv"), s.writePoints); err != nil {
		return nil, err
	}
	if err := writeAtomic(filepath.Join(dir, "report.md"), s.writeReport); err != nil {
		return nil, err
	}
	return s, nil
}

func lookup(m map[string]float64, k string) float64 {
	if v, ok := m[k]; ok {
		return v
	}
	return math.NaN()
}

// selectRow selects the point of one data set.
func selectRow(cfg experiment.Config, p *Plan, name string, tasks []TaskState, paper map[string]float64) Row {
	r := Row{Dataset: name, Points: len(tasks), Paper: lookup(paper, name),
		Val: math.NaN(), TestAccuracy: math.NaN(), TestAUC: math.NaN()}
	var outs []experiment.PointOutcome
	unfinished := map[Status][]string{}
	for _, t := range tasks {
		if t.Status.Finished() {
			r.Finished++
		} else {
			unfinished[t.Status] = append(unfinished[t.Status], strconv.Itoa(t.Point+1))
		}
		outs = append(outs, experiment.PointOutcome{Settings: p.Points[t.Point], Result: t.Result, Diverged: t.Status == Diverged})
	}
	if r.Finished < len(tasks) {
		// e.g. "3 of 4 points unfinished: failed 2; running 3; pending 4"
		var parts []string
		for _, st := range []Status{Failed, Running, Pending} {
			if pts := unfinished[st]; len(pts) > 0 {
				parts = append(parts, string(st)+" "+strings.Join(pts, " "))
			}
		}
		r.Status, r.Reason = "incomplete", fmt.Sprintf("%d of %d points unfinished: %s", len(tasks)-r.Finished, len(tasks), strings.Join(parts, "; "))
		return r
	}
	res, err := experiment.SelectPoints(datasetConfig(cfg, name), outs)
	if err != nil {
		r.Status, r.Reason = "failed", err.Error()
		return r
	}
	r.Status, r.Result = "done", res
	r.TestAccuracy, r.TestAUC = res.TestAccuracy, res.TestAUC
	var chosen []string
	var val float64
	for _, f := range res.Folds {
		c := strings.Join(f.Settings, " ")
		if len(chosen) == 0 || chosen[len(chosen)-1] != c {
			chosen = append(chosen, c)
			for _, t := range tasks {
				if strings.Join(p.Points[t.Point], " ") == c {
					r.Dirs = append(r.Dirs, t.Dir)
				}
			}
		}
		val += float64(f.Val)
	}
	r.Chosen = strings.Join(chosen, "; ")
	r.Val = val / float64(len(res.Folds))
	return r
}

// writeAtomic writes path atomically through write.
func writeAtomic(path string, write func(io.Writer) error) error {
	return checkpoint.WriteFileAtomic(path, write, 0o644)
}

// ftoa formats a metric exactly ("" for NaN).
func ftoa(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// writeSummary writes summary.csv.
func (s *Summary) writeSummary(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"dataset", "status", "chosen", "val_" + strings.TrimPrefix(s.Plan.Metric, "val_"), "test_accuracy", "test_auc", "paper_snn_accuracy", "points_finished", "points", "task_dir", "reason"})
	for _, r := range s.Rows {
		cw.Write([]string{r.Dataset, r.Status, r.Chosen, ftoa(r.Val), ftoa(r.TestAccuracy), ftoa(r.TestAUC), ftoa(r.Paper),
			strconv.Itoa(r.Finished), strconv.Itoa(r.Points), strings.Join(r.Dirs, "; "), r.Reason})
	}
	cw.Flush()
	return cw.Error()
}

// writePoints writes points.csv.
func (s *Summary) writePoints(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"task", "dataset", "point", "settings", "status", "diverged_splits", "val", "test_accuracy", "test_auc", "epochs", "seconds", "attempts", "slurm_job", "reason", "dir"})
	for _, t := range s.Tasks {
		val, acc, auc, epochs := math.NaN(), math.NaN(), math.NaN(), ""
		if t.Result != nil {
			acc, auc = t.Result.TestAccuracy, t.Result.TestAUC
			val = 0
			n, trained := 0, 0
			for _, f := range t.Result.Folds {
				if f.StopReason != string(Diverged) {
					val += float64(f.Val)
					trained++
				}
				n += f.Epochs
			}
			val /= float64(max(1, trained))
			epochs = strconv.Itoa(n)
		}
		cw.Write([]string{strconv.Itoa(t.ID), t.Dataset, strconv.Itoa(t.Point + 1), strings.Join(s.Plan.Points[t.Point], " "), string(t.Status),
			strings.Join(t.DivergedSplits(), "; "), ftoa(val), ftoa(acc), ftoa(auc), epochs, strconv.FormatFloat(t.Seconds, 'f', 1, 64), strconv.Itoa(t.Attempts), t.SlurmJob, t.Reason, t.Dir})
	}
	cw.Flush()
	return cw.Error()
}

// partlyDiverged counts the done tasks with splits that diverged.
func (s *Summary) partlyDiverged() int {
	n := 0
	for _, t := range s.Tasks {
		if len(t.DivergedSplits()) > 0 {
			n++
		}
	}
	return n
}

// Counts returns the number of tasks in each state.
func (s *Summary) Counts() map[Status]int {
	c := map[Status]int{}
	for _, t := range s.Tasks {
		c[t.Status]++
	}
	return c
}

// fmt4 formats a metric to 4 places ("-" for NaN).
func fmt4(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%.4f", v)
}

// writeReport writes report.md.
func (s *Summary) writeReport(w io.Writer) error {
	c := s.Counts()
	fmt.Fprintf(w, "# Sweep report\n\n%d data sets × %d grid points = %d tasks: %d done (%d of them with diverged splits), %d diverged, %d failed, %d running or interrupted, %d pending.\n",
		len(s.Plan.Datasets), len(s.Plan.Points), len(s.Tasks), c[Done], s.partlyDiverged(), c[Diverged], c[Failed], c[Running], c[Pending])
	fmt.Fprintf(w, "Selection: per data set (per split), the point with the best %s (ties to the earlier point in grid order; a point is left out of the splits where it diverged).\n\n", s.Plan.Metric)
	fmt.Fprintf(w, "| data set | status | chosen | %s | test accuracy | test AUC | paper SNN |\n| --- | --- | --- | --- | --- | --- | --- |\n", s.Plan.Metric)
	var sum, psum float64
	var n, pn int
	for _, r := range s.Rows {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", r.Dataset, r.Status, r.Chosen, fmt4(r.Val), fmt4(r.TestAccuracy), fmt4(r.TestAUC), fmt4(r.Paper))
		if r.Status == "done" {
			sum += r.TestAccuracy
			n++
			if !math.IsNaN(r.Paper) {
				psum += r.Paper
				pn++
			}
		}
	}
	if n > 0 {
		fmt.Fprintf(w, "\nMean test accuracy over the %d data sets done: %.4f", n, sum/float64(n))
		if pn == n {
			fmt.Fprintf(w, " (paper's SNN on the same data sets: %.4f)", psum/float64(pn))
		}
		fmt.Fprintln(w, ".")
	}
	var problems []string
	for _, r := range s.Rows {
		if r.Status != "done" {
			problems = append(problems, fmt.Sprintf("- data set %s: %s: %s", r.Dataset, r.Status, r.Reason))
		}
	}
	for _, t := range s.Tasks {
		if ds := t.DivergedSplits(); len(ds) > 0 {
			problems = append(problems, fmt.Sprintf("- task %d, %s: done, %s (left out of those splits only)", t.ID, t.Dir, t.Reason))
		}
		if t.Status != Done {
			reason := t.Reason
			if reason == "" {
				reason = "not run yet"
			}
			problems = append(problems, fmt.Sprintf("- task %d, %s: %s: %s", t.ID, t.Dir, t.Status, reason))
		}
	}
	if len(problems) > 0 {
		fmt.Fprintf(w, "\n## Not done\n\n%s\n", strings.Join(problems, "\n"))
	}
	return nil
}

// Print writes the summary as a table: one line per data set and the
// task counts.
func (s *Summary) Print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "dataset\tstatus\tchosen\t%s\ttest accuracy\ttest AUC\tpaper SNN\n", s.Plan.Metric)
	for _, r := range s.Rows {
		chosen := r.Chosen
		if r.Status != "done" {
			chosen = r.Reason
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Dataset, r.Status, chosen, fmt4(r.Val), fmt4(r.TestAccuracy), fmt4(r.TestAUC), fmt4(r.Paper))
	}
	tw.Flush()
	c := s.Counts()
	fmt.Fprintf(w, "%d tasks: %d done (%d with diverged splits), %d diverged, %d failed, %d running or interrupted, %d pending\n", len(s.Tasks), c[Done], s.partlyDiverged(), c[Diverged], c[Failed], c[Running], c[Pending])
}
