package sweep

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/selunet/selunet/experiment"
	"github.com/selunet/selunet/train"
)

// Status is the state of a task.
type Status string

// The states of a task. Done and Diverged are final; the others are
// unfinished, and run again by the next local run or Slurm submission.
const (
	// Pending: never started.
	Pending Status = "pending"
	// Running: started and not finished: running now, or interrupted
	// (killed, preempted, out of time); a new run resumes it.
	Running Status = "running"
	// Failed: ended with an error (the reason says which).
	Failed Status = "failed"
	// Diverged: the training loss diverged on every split; the point is
	// left out of its data set's selection, as in a grid.
	Diverged Status = "diverged"
	// Done: metrics.json written. Under cross-validation some of its
	// splits may have diverged (TaskState.DivergedSplits): the point is
	// left out of those splits' selection only, as in a grid.
	Done Status = "done"
)

// Finished reports whether the state is final (done or diverged).
func (s Status) Finished() bool { return s == Done || s == Diverged }

// LogFile is the name of the file in a task's directory that receives the
// output of the task's runs (appended).
const LogFile = "log.txt"

// StatusFile is the name of the file in a task's directory that records
// its last state (the run directory's metrics.json is what marks it done).
const StatusFile = "task.json"

// State is a task's recorded state, its StatusFile.
type State struct {
	Status Status `json:"status"`
	// Reason is the error of a failed or diverged task.
	Reason string `json:"reason,omitempty"`
	// Host, PID and SlurmJob say where the task last ran (SlurmJob is
	// "<array job>_<index>" under Slurm).
	Host     string `json:"host,omitempty"`
	PID      int    `json:"pid,omitempty"`
	SlurmJob string `json:"slurm_job,omitempty"`
	// Started and Finished are RFC 3339 times; Seconds the last attempt's
	// wall time.
	Started  string  `json:"started,omitempty"`
	Finished string  `json:"finished,omitempty"`
	Seconds  float64 `json:"seconds,omitempty"`
	// Attempts counts the starts of the task.
	Attempts int `json:"attempts,omitempty"`
}

// TaskState is a task with its state and, when done, its result.
type TaskState struct {
	Task
	State
	// Result is the task's metrics.json (Status Done only).
	Result *experiment.Result
}

// DivergedSplits returns the names of the splits of a done task whose
// training diverged (Reason then says why).
func (ts TaskState) DivergedSplits() []string {
	if ts.Result == nil {
		return nil
	}
	var out []string
	for _, f := range ts.Result.Folds {
		if f.StopReason == string(Diverged) {
			out = append(out, f.Name)
		}
	}
	return out
}

// ReadState returns the state of task t of the sweep in dir: Done when its
// metrics.json exists, else what its StatusFile says, else Pending.
func ReadState(dir string, t Task) (TaskState, error) {
	td := filepath.Join(dir, t.Dir)
	ts := TaskState{Task: t, State: State{Status: Pending}}
	b, err := os.ReadFile(filepath.Join(td, StatusFile))
	switch {
	case err == nil:
		if err := json.Unmarshal(b, &ts.State); err != nil {
			return ts, fmt.Errorf("sweep: %s: %w", filepath.Join(td, StatusFile), err)
		}
	case !errors.Is(err, os.ErrNotExist):
		return ts, err
	}
	b, err = os.ReadFile(filepath.Join(td, "metrics.json"))
	switch {
	case err == nil:
		var r experiment.Result
		if err := json.Unmarshal(b, &r); err != nil {
			return ts, fmt.Errorf("sweep: %s: %w", filepath.Join(td, "metrics.json"), err)
		}
		ts.Status, ts.Reason, ts.Result = Done, "", &r
		var why []string
		for _, f := range r.Folds {
			if f.StopReason == string(Diverged) {
				why = append(why, f.Name+": "+f.Error)
			}
		}
		if len(why) > 0 {
			ts.Reason = "diverged on " + strings.Join(why, "; ")
		}
	case !errors.Is(err, os.ErrNotExist):
		return ts, err
	case ts.Status == Done:
		// task.json says done but metrics.json is gone: run it again.
		ts.Status, ts.Reason = Failed, "metrics.json missing"
	}
	return ts, nil
}

// States returns the state of every task of the plan.
func States(dir string, p *Plan) ([]TaskState, error) {
	out := make([]TaskState, len(p.Tasks))
	for i, t := range p.Tasks {
		s, err := ReadState(dir, t)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

// RunTask runs task t of the sweep in dir in this process: the task's
// run directory (made with its config.yaml on the first run) is trained
// by experiment.Run, resuming what an earlier
// attempt left (the task's config.yaml is never rewritten). A finished
// task is left alone. The outcome goes to the task's StatusFile: a
// training that diverges on every split gives Diverged and a nil error,
// any other error Failed and the error. A split that diverges while others
// train is recorded in metrics.json (experiment.Options.KeepDivergedSplits)
// and the task is Done. The run's progress is appended to the task's
// LogFile and written to log too, unless log is nil.
func RunTask(ctx context.Context, dir string, t Task, log io.Writer) error {
	ts, err := ReadState(dir, t)
	if err != nil {
		return err
	}
	if ts.Status.Finished() {
		return nil
	}
	f, err := openLog(dir, t)
	if err != nil {
		return err
	}
	defer f.Close()
	td := filepath.Join(dir, t.Dir)
	if log == nil {
		log = f
	} else {
		log = io.MultiWriter(f, log)
	}
	st := ts.State
	st.Status, st.Reason, st.Finished, st.Seconds = Running, "", "", 0
	st.Host, _ = os.Hostname()
	st.PID = os.Getpid()
	st.SlurmJob = ""
	if id := os.Getenv("SLURM_ARRAY_JOB_ID"); id != "" {
		st.SlurmJob = id + "_" + os.Getenv("SLURM_ARRAY_TASK_ID")
	} else if id := os.Getenv("SLURM_JOB_ID"); id != "" {
		st.SlurmJob = id
	}
	start := time.Now()
	st.Started = start.UTC().Format(time.RFC3339)
	st.Attempts++
	if err := writeState(td, st); err != nil {
		return err
	}
	cfg, err := experiment.Load(filepath.Join(td, ConfigFile), nil)
	if err == nil {
		_, err = experiment.Run(ctx, cfg, experiment.Options{Out: td, Resume: true, Log: log, KeepDivergedSplits: true})
	}
	st.Finished = time.Now().UTC().Format(time.RFC3339)
	st.Seconds = time.Since(start).Seconds()
	switch {
	case err == nil:
		st.Status = Done
	case errors.Is(err, train.ErrDiverged):
		st.Status, st.Reason = Diverged, err.Error()
	default:
		st.Status, st.Reason = Failed, err.Error()
		if ctx.Err() != nil {
			st.Status, st.Reason = Running, "interrupted: "+err.Error()
		}
	}
	if werr := writeState(td, st); werr != nil && err == nil {
		return werr
	}
	if st.Status == Diverged {
		fmt.Fprintf(log, "task %d (%s, point %d): diverged: %v\n", t.ID, t.Dataset, t.Point+1, err)
		return nil
	}
	if err != nil {
		fmt.Fprintf(log, "task %d (%s, point %d): %s: %v\n", t.ID, t.Dataset, t.Point+1, st.Status, err)
	}
	return err
}

// openLog makes task t's run directory (prepare) and opens its LogFile
// for appending.
func openLog(dir string, t Task) (*os.File, error) {
	if err := prepare(dir, t); err != nil {
		return nil, err
	}
	return os.OpenFile(filepath.Join(dir, t.Dir, LogFile), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
}

// writeState writes a task's StatusFile.
func writeState(td string, st State) error {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(td, StatusFile), append(b, '\n'))
}

// markFailed records that task t's worker ended without recording an
// outcome (killed, crashed, or it could not start).
func markFailed(dir string, t Task, reason string) error {
	ts, err := ReadState(dir, t)
	if err != nil {
		return err
	}
	if ts.Status.Finished() || ts.Status == Failed {
		return nil
	}
	st := ts.State
	st.Status, st.Reason = Failed, reason
	st.Finished = time.Now().UTC().Format(time.RFC3339)
	return writeState(filepath.Join(dir, t.Dir), st)
}

// ParseIDs parses task ids ("3", "3,4,7" or several arguments).
func ParseIDs(p *Plan, args []string) ([]Task, error) {
	var out []Task
	for _, a := range args {
		for _, f := range splitList(a) {
			id, err := strconv.Atoi(f)
			if err != nil || id < 0 || id >= len(p.Tasks) {
				return nil, fmt.Errorf("task id %q: want a number in [0, %d]", f, len(p.Tasks)-1)
			}
			out = append(out, p.Tasks[id])
		}
	}
	return out, nil
}
