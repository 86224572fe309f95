package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestKillAndResume kills `train` with SIGKILL again and again at
// arbitrary points of a run (after its 1st, 2nd or 3rd epoch line, which
// the process has usually passed by the time the signal lands: mid-epoch,
// mid-checkpoint, between grid points) and resumes it each time with
// `train -resume`, until the run finishes. The metrics equal those of an
// uninterrupted run.
func TestKillAndResume(t *testing.T) {
	if args := os.Getenv("SELUNET_TRAIN_CHILD"); args != "" {
		os.Exit(run(context.Background(), strings.Split(args, "\x1f"), os.Stdout, os.Stderr))
	}
	if testing.Short() {
		t.Skip("kills and resumes a run several times")
	}
	cfg := diskConfig(t)
	full := filepath.Join(t.TempDir(), "run")
	if code, _, stderr := call("-config", cfg, "-out", full, "-set", "train.epochs=8", "-q"); code != 0 {
		t.Fatalf("uninterrupted run: code %d: %s", code, stderr)
	}
	want := readResult(t, full)
	dir := filepath.Join(t.TempDir(), "run")
	args := []string{"-config", cfg, "-out", dir, "-set", "train.epochs=8"}
	kills := 0
	for attempt := 0; ; attempt++ {
		if attempt == 30 {
			t.Fatalf("the run did not finish after %d kills", kills)
		}
		if _, err := os.Stat(filepath.Join(dir, "config.yaml")); err == nil {
			args = []string{"-resume", dir}
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillAndResume$")
		cmd.Env = append(os.Environ(), "SELUNET_TRAIN_CHILD="+strings.Join(args, "\x1f"))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		lines, killAt := 0, 1+attempt%3
		killed := false
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "epoch ") {
				if lines++; lines == killAt {
					cmd.Process.Kill()
					killed = true
					break
				}
			}
		}
		err = cmd.Wait()
		if !killed {
			if err != nil {
				t.Fatalf("attempt %d (%v): %v\n%s", attempt, args, err, stderr.String())
			}
			break
		}
		kills++
	}
	t.Logf("finished after %d SIGKILLs", kills)
	if kills == 0 {
		t.Fatal("the run was never killed")
	}
	if got := readResult(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("result after %d kills differs:\n%+v\n%+v", kills, got, want)
	}
}
