package sweep

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Slurm submits a sweep's unfinished tasks to Slurm as job arrays and a
// dependent collect job.
type Slurm struct {
	// Exe is the absolute path of the train binary the jobs run; it must
	// be readable on the compute nodes (the sweep directory is a good
	// place).
	Exe string
	// TasksPerJob is the number of tasks one array element runs, one
	// after the other (≥ 1); many tiny jobs burden a scheduler.
	TasksPerJob int
	// Cap is the number of array elements of one array that may run at
	// once (sbatch --array=…%Cap); 0 sets none.
	Cap int
	// Args are extra sbatch arguments for every job (partition, time,
	// CPUs, account), e.g. --time=2:00:00 --cpus-per-task=2.
	Args []string
	// DryRun writes the scripts and prints the sbatch commands without
	// submitting anything.
	DryRun bool
	// Log receives what is submitted; nil discards.
	Log io.Writer
}

// Submission is one call of Submit, recorded in slurm/jobs.json.
type Submission struct {
	// Time is when it was submitted (RFC 3339).
	Time string `json:"time"`
	// Arrays are the job arrays, one per MaxArraySize elements.
	Arrays []ArrayJob `json:"arrays"`
	// Collect is the job id of the collect job (runs after every array,
	// whatever their outcome).
	Collect string `json:"collect"`
}

// ArrayJob is one submitted job array.
type ArrayJob struct {
	// JobID is Slurm's array job id.
	JobID string `json:"job_id"`
	// Batch is the file (relative to the sweep directory) whose line i
	// holds the task ids that array element i runs.
	Batch string `json:"batch"`
	// Tasks are the task ids of the array, in element order.
	Tasks []int `json:"tasks"`
}

// Files of a sweep directory used with Slurm.
const (
	SbatchFile  = "sweep.sbatch"
	CollectFile = "collect.sbatch"
	SlurmDir    = "slurm"
	JobsFile    = "slurm/jobs.json"
)

// ErrNoSbatch is returned when sbatch is not on the PATH.
var ErrNoSbatch = errors.New("sbatch not found in PATH: install the Slurm client (Debian/Ubuntu: apt-get install slurm-client; on a cluster, load its Slurm module), or use -runner local")

// Submit writes dir/sweep.sbatch and dir/collect.sbatch, groups the
// plan's unfinished tasks TasksPerJob per array element, splits the
// elements into arrays of at most the cluster's MaxArraySize (read from
// `scontrol show config`; 1001 when scontrol is missing in a dry run),
// and submits the arrays and a collect job that depends on all of them
// (afterany). It refuses while jobs of an earlier submission are still
// queued or running, so that no task runs twice at once. It returns nil
// and no error when every task is finished already.
func (s Slurm) Submit(ctx context.Context, dir string, p *Plan) (*Submission, error) {
	log := s.Log
	if log == nil {
		log = io.Discard
	}
	if s.TasksPerJob < 1 {
		return nil, fmt.Errorf("sweep: %d tasks per job, want at least 1", s.TasksPerJob)
	}
	if s.Cap < 0 {
		return nil, fmt.Errorf("sweep: concurrency cap %d, want ≥ 0", s.Cap)
	}
	if !s.DryRun {
		if _, err := exec.LookPath("sbatch"); err != nil {
			return nil, ErrNoSbatch
		}
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	subs, err := ReadJobs(dir)
	if err != nil {
		return nil, err
	}
	if !s.DryRun {
		if err := Idle(ctx, dir); err != nil {
			return nil, err
		}
	}
	states, err := States(dir, p)
	if err != nil {
		return nil, err
	}
	var todo []int
	for _, st := range states {
		if !st.Status.Finished() {
			todo = append(todo, st.ID)
		}
	}
	if len(todo) == 0 {
		fmt.Fprintf(log, "%s: all %d tasks are finished; nothing to submit\n", dir, len(p.Tasks))
		return nil, nil
	}
	maxArray, err := maxArraySize(ctx, s.DryRun)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dir, SlurmDir), 0o755); err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(dir, SbatchFile), []byte(s.arrayScript(dir))); err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(dir, CollectFile), []byte(s.collectScript(dir))); err != nil {
		return nil, err
	}
	sub := &Submission{Time: time.Now().UTC().Format(time.RFC3339)}
	n := len(subs) + 1
	for c, arr := range layout(todo, s.TasksPerJob, maxArray) {
		var b strings.Builder
		var ids []int
		for _, e := range arr {
			for i, id := range e {
				if i > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(strconv.Itoa(id))
				ids = append(ids, id)
			}
			b.WriteByte('\n')
		}
		batch := filepath.Join(SlurmDir, fmt.Sprintf("submit%03d-array%02d.tasks", n, c+1))
		if err := writeFile(filepath.Join(dir, batch), []byte(b.String())); err != nil {
			return nil, err
		}
		spec := fmt.Sprintf("--array=0-%d", len(arr)-1)
		if s.Cap > 0 {
			spec += "%" + strconv.Itoa(s.Cap)
		}
		args := append(append([]string{"--parsable", spec}, s.Args...), filepath.Join(dir, SbatchFile), filepath.Join(dir, batch))
		id, err := s.sbatch(ctx, log, args)
		if err != nil {
			return sub, s.record(dir, subs, sub, err)
		}
		sub.Arrays = append(sub.Arrays, ArrayJob{JobID: id, Batch: batch, Tasks: ids})
		fmt.Fprintf(log, "array job %s: %d tasks in %d elements (%s)\n", id, len(ids), len(arr), batch)
	}
	dep := "afterany"
	for _, a := range sub.Arrays {
		dep += ":" + a.JobID
	}
	args := append(append([]string{"--parsable", "--dependency=" + dep}, s.Args...), filepath.Join(dir, CollectFile))
	id, err := s.sbatch(ctx, log, args)
	if err != nil {
		return sub, s.record(dir, subs, sub, err)
	}
	sub.Collect = id
	fmt.Fprintf(log, "collect job %s: runs `train collect %s` after the arrays\n", id, dir)
	return sub, s.record(dir, subs, sub, nil)
}

// record appends sub to the sweep's jobs file (not in a dry run) and
// returns err.
func (s Slurm) record(dir string, subs []Submission, sub *Submission, err error) error {
	if s.DryRun || len(sub.Arrays) == 0 {
		return err
	}
	b, jerr := json.MarshalIndent(append(subs, *sub), "", "  ")
	if jerr == nil {
		jerr = writeFile(filepath.Join(dir, JobsFile), append(b, '\n'))
	}
	return errors.Join(err, jerr)
}

// sbatch runs sbatch with args (or prints it in a dry run) and returns
// the job id.
func (s Slurm) sbatch(ctx context.Context, log io.Writer, args []string) (string, error) {
	if s.DryRun {
		fmt.Fprintf(log, "dry run: sbatch %s\n", strings.Join(args, " "))
		return "<jobid>", nil
	}
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, "sbatch", args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("sbatch %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	// --parsable prints "jobid" or "jobid;cluster".
	id, _, _ := strings.Cut(strings.TrimSpace(out.String()), ";")
	if _, err := strconv.Atoi(id); err != nil {
		return "", fmt.Errorf("sbatch %s: unexpected output %q", strings.Join(args, " "), out.String())
	}
	return id, nil
}

// layout groups task ids perJob to an array element and the elements
// into arrays of at most maxArray elements.
func layout(ids []int, perJob, maxArray int) [][][]int {
	return slices.Collect(slices.Chunk(slices.Collect(slices.Chunk(ids, perJob)), maxArray))
}

// quote quotes s for a POSIX shell.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// arrayScript is sweep.sbatch: an array element runs the tasks on line
// SLURM_ARRAY_TASK_ID of the batch file given as its argument.
func (s Slurm) arrayScript(dir string) string {
	return fmt.Sprintf(`#!/bin/bash
# selunet sweep %[1]s: written by train sweep -runner slurm.
# Submitted as: sbatch --array=0-N[%%CAP] [ARGS] sweep.sbatch slurm/submitNNN-arrayNN.tasks
# Array element i runs the tasks listed on line i (0-based) of that file, one
# after the other, each in its run directory tasks/<dataset>/<point>/.
#SBATCH --job-name=selunet-sweep
#SBATCH --output=%[1]s/slurm/%%A_%%a.out
set -eu
export GOMAXPROCS="${SLURM_CPUS_PER_TASK:-1}"
exec %[2]s sweep work -batch "$1" -element "$SLURM_ARRAY_TASK_ID" %[3]s
`, dir, quote(s.Exe), quote(dir))
}

// collectScript is collect.sbatch.
func (s Slurm) collectScript(dir string) string {
	return fmt.Sprintf(`#!/bin/bash
# selunet sweep %[1]s: collects the results into summary.csv, points.csv, report.md.
#SBATCH --job-name=selunet-collect
#SBATCH --output=%[1]s/slurm/collect-%%j.out
set -eu
export GOMAXPROCS=1
exec %[2]s collect %[3]s
`, dir, quote(s.Exe), quote(dir))
}

// ReadJobs reads the sweep's recorded submissions (none when the file
// does not exist).
func ReadJobs(dir string) ([]Submission, error) {
	b, err := os.ReadFile(filepath.Join(dir, JobsFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var subs []Submission
	if err := json.Unmarshal(b, &subs); err != nil {
		return nil, fmt.Errorf("sweep: %s: %w", filepath.Join(dir, JobsFile), err)
	}
	return subs, nil
}

// JobIDs returns the ids of a submission's jobs: its arrays, then the
// collect job.
func (s Submission) JobIDs() []string {
	var ids []string
	for _, a := range s.Arrays {
		ids = append(ids, a.JobID)
	}
	if s.Collect != "" {
		ids = append(ids, s.Collect)
	}
	return ids
}

// Idle returns an error naming the jobs of the sweep in dir that squeue
// still lists as queued or running, nil when there are none.
func Idle(ctx context.Context, dir string) error {
	subs, err := ReadJobs(dir)
	if err != nil {
		return err
	}
	live, err := liveJobs(ctx, subs)
	if err != nil {
		return err
	}
	if len(live) > 0 {
		return fmt.Errorf("jobs %s of an earlier submission of %s are still queued or running: wait for them, or cancel them with scancel %s",
			strings.Join(live, ", "), dir, strings.Join(live, " "))
	}
	return nil
}

// liveJobs returns the ids of the recorded jobs squeue still lists (its
// %F is the array job id of array elements, the job id of others).
func liveJobs(ctx context.Context, subs []Submission) ([]string, error) {
	want := map[string]bool{}
	for _, s := range subs {
		for _, id := range s.JobIDs() {
			want[id] = true
		}
	}
	if len(want) == 0 {
		return nil, nil
	}
	out, err := exec.CommandContext(ctx, "squeue", "-h", "-u", strconv.Itoa(os.Getuid()), "-o", "%F").Output()
	if err != nil {
		return nil, fmt.Errorf("squeue: %w%s", err, stderrOf(err))
	}
	var live []string
	for _, f := range strings.Fields(string(out)) {
		if want[f] && !slices.Contains(live, f) {
			live = append(live, f)
		}
	}
	return live, nil
}

// maxArraySize reads MaxArraySize from `scontrol show config`: the
// number of elements an array may have (indices 0 to MaxArraySize−1).
func maxArraySize(ctx context.Context, dryRun bool) (int, error) {
	out, err := exec.CommandContext(ctx, "scontrol", "show", "config").Output()
	if err != nil {
		if dryRun {
			return 1001, nil // Slurm's default
		}
		return 0, fmt.Errorf("scontrol show config: %w%s", err, stderrOf(err))
	}
	return parseMaxArraySize(out)
}

// stderrOf returns ": " and the trimmed standard error of a failed
// exec.Cmd.Output (what the command said was wrong), or "" when there is
// none.
func stderrOf(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if msg := strings.TrimSpace(string(ee.Stderr)); msg != "" {
			return ": " + msg
		}
	}
	return ""
}

// parseMaxArraySize finds "MaxArraySize = N" in scontrol's output.
func parseMaxArraySize(out []byte) (int, error) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok || strings.TrimSpace(k) != "MaxArraySize" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 1 {
			return 0, fmt.Errorf("scontrol show config: MaxArraySize %q is not a positive number", strings.TrimSpace(v))
		}
		return n, nil
	}
	return 1001, nil // not listed: Slurm's default
}

// splitList splits a comma- or space-separated list.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
}

// ElementTasks returns the tasks of array element i of a batch file.
func ElementTasks(p *Plan, batchFile string, i int) ([]Task, error) {
	b, err := os.ReadFile(batchFile)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if i < 0 || i >= len(lines) {
		return nil, fmt.Errorf("%s: no line for array element %d (it has %d)", batchFile, i, len(lines))
	}
	return ParseIDs(p, []string{lines[i]})
}
