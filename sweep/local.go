package sweep

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Local runs a sweep's unfinished tasks on this machine.
type Local struct {
	// Workers is the number of tasks run at once (≥ 1).
	Workers int
	// Command returns the command that runs task t of the sweep in dir
	// in a process of its own (e.g. `train sweep work DIR ID`), which must
	// run it with RunTask (RunTask writes the task's LogFile; the
	// process's standard output is discarded, its standard error appended
	// to the LogFile). Without GOMAXPROCS in its environment, Local sets
	// it to the machine's CPUs divided among the workers. Nil runs the
	// tasks in this process.
	Command func(ctx context.Context, dir string, t Task) *exec.Cmd
	// Log receives one line per started and finished task; nil discards.
	Log io.Writer
}

// Run runs every unfinished task of the plan (pending, failed, or
// interrupted, which resumes), Workers at a time, in plan order. Tasks
// already done or diverged are skipped. It returns the number of tasks run
// and an error naming the failed ones, if any; ctx's cancellation stops
// the workers (an interrupted task resumes on the next Run).
func (l Local) Run(ctx context.Context, dir string, p *Plan) (int, error) {
	if l.Workers < 1 {
		return 0, fmt.Errorf("sweep: %d workers, want at least 1", l.Workers)
	}
	log := l.Log
	if log == nil {
		log = io.Discard
	}
	states, err := States(dir, p)
	if err != nil {
		return 0, err
	}
	var todo []Task
	for _, s := range states {
		if !s.Status.Finished() {
			todo = append(todo, s.Task)
		}
	}
	fmt.Fprintf(log, "%s: %d of %d tasks to run, %d worker(s)\n", dir, len(todo), len(p.Tasks), l.Workers)
	var (
		mu     sync.Mutex
		failed []string
		count  int
		wg     sync.WaitGroup
	)
	next := make(chan Task)
	for range min(l.Workers, len(todo)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range next {
				start := time.Now()
				err := l.runOne(ctx, dir, t)
				s, serr := ReadState(dir, t)
				mu.Lock()
				count++
				msg := fmt.Sprintf("[%d/%d] %s %s: ", count, len(todo), t.Dataset, filepath.Base(t.Dir))
				switch {
				case serr != nil:
					err = serr
					fallthrough
				case err != nil && ctx.Err() == nil:
					failed = append(failed, fmt.Sprintf("task %d (%s): %v", t.ID, t.Dir, err))
					msg += "failed: " + err.Error()
				case s.Status == Diverged:
					msg += "diverged (left out of the selection)"
				case s.Status == Done:
					msg += fmt.Sprintf("done, %s %.4f, test accuracy %.4f, %.1fs", p.Metric, s.Result.Folds[0].Val, s.Result.TestAccuracy, time.Since(start).Seconds())
					if ds := s.DivergedSplits(); len(ds) > 0 {
						msg += ", diverged on " + strings.Join(ds, ", ") + " (left out of those splits)"
					}
				default:
					msg += string(s.Status) + " " + s.Reason
				}
				fmt.Fprintln(log, msg)
				mu.Unlock()
			}
		}()
	}
feed:
	for _, t := range todo {
		select {
		case next <- t:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return count, err
	}
	if len(failed) > 0 {
		return count, fmt.Errorf("%d of %d tasks failed:\n  %s", len(failed), len(todo), strings.Join(failed, "\n  "))
	}
	return count, nil
}

// runOne runs one task, in this process or in a worker process whose
// standard error (a crash's trace) is appended to the task's LogFile.
func (l Local) runOne(ctx context.Context, dir string, t Task) error {
	if l.Command == nil {
		return RunTask(ctx, dir, t, nil)
	}
	f, err := openLog(dir, t)
	if err != nil {
		return err
	}
	defer f.Close()
	td := filepath.Join(dir, t.Dir)
	cmd := l.Command(ctx, dir, t)
	cmd.Stderr = f
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	if os.Getenv("GOMAXPROCS") == "" {
		cmd.Env = append(cmd.Env, "GOMAXPROCS="+strconv.Itoa(max(1, runtime.NumCPU()/l.Workers)))
	}
	// On cancellation the worker gets an interrupt and saves its state;
	// it is killed only if it does not stop within a minute.
	dieWithParent(cmd)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = time.Minute
	err = cmd.Run()
	if err != nil && ctx.Err() == nil {
		var ee *exec.ExitError
		reason := err.Error()
		if errors.As(err, &ee) {
			reason = "worker " + ee.String() + " (see " + filepath.Join(td, LogFile) + ")"
		}
		if merr := markFailed(dir, t, reason); merr != nil {
			return merr
		}
		s, _ := ReadState(dir, t)
		if s.Status == Failed {
			return errors.New(s.Reason)
		}
	}
	return nil
}
