package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"

	"github.com/selunet/selunet/bench"
	"github.com/selunet/selunet/graph"
	"github.com/selunet/selunet/internal/cuda/check"
	"github.com/selunet/selunet/internal/cuda/probe"
)

// runGPUCheck is the `gpucheck` subcommand that scripts/cuda.sh check runs
// with bin/train-cuda and bin/train: JSON lines of package
// internal/cuda/check's results, tagged with this build's device.
func runGPUCheck(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("gpucheck", "usage: train gpucheck [-sections env,ops,train,time,copies] [-steps 200] [-time-steps 60] [-warm 10] [-cpuprofile FILE]\n"+
		"Prints JSON lines for scripts/cuda.sh check: op checks (GPU vs CPU), refbench losses, step times, copy times.", stderr)
	var (
		sections  = fs.String("sections", "env,ops,train,time,copies", "comma list of env, ops, train, time, copies")
		steps     = fs.Int("steps", 200, "training steps of the train section (SGD, dropout 0 and 0.05)")
		timeSteps = fs.Int("time-steps", 60, "timed steps per optimizer in the time section (after -warm steps)")
		warm      = fs.Int("warm", 10, "untimed warm-up steps in the time section")
		profile   = fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file (where a GPU step spends its host time)")
	)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			return fmt.Errorf("gpucheck: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("gpucheck: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	enc := json.NewEncoder(stdout)
	emit := func(kind string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return err
		}
		m["kind"], m["build"] = kind, graph.BuildDevice
		return enc.Encode(m)
	}
	for _, s := range strings.Split(*sections, ",") {
		if err := gpuCheckSection(s, emit, *steps, *timeSteps, *warm); err != nil {
			return err
		}
	}
	return nil
}

// gpuCheckSection runs one section. A panic (Gorgonia's VM panics on some
// CUDA failures) becomes an error carrying the stack, for the check's log.
func gpuCheckSection(s string, emit func(string, any) error, steps, timeSteps, warm int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("gpucheck: %s: panic: %v\n%s", s, r, debug.Stack())
		}
	}()
	switch s {
	case "env":
		err = emit("env", struct {
			probe.Device
			GOMAXPROCS int `json:"gomaxprocs"`
		}{probe.Info(), runtime.GOMAXPROCS(0)})
	case "ops":
		for _, r := range check.Ops() {
			if err = emit("op", r); err != nil {
				break
			}
		}
	case "train":
		for _, dropout := range []float64{0, 0.05} {
			cfg := bench.DefaultConfig()
			cfg.Dropout = dropout
			r, terr := check.Train(cfg, steps)
			if terr != nil {
				return fmt.Errorf("gpucheck: train (dropout %v): %w", dropout, terr)
			}
			if err = emit("train", r); err != nil {
				break
			}
		}
	case "time":
		for _, opt := range []string{"sgd", "adam"} {
			cfg := bench.DefaultConfig()
			cfg.Optimizer = opt
			r, terr := check.Time(cfg, warm, timeSteps)
			if terr != nil {
				return fmt.Errorf("gpucheck: time (%s): %w", opt, terr)
			}
			if err = emit("time", r); err != nil {
				break
			}
		}
	case "copies":
		r, cerr := check.Copies(check.WeightBytes(bench.DefaultConfig()), 10)
		if cerr != nil {
			return fmt.Errorf("gpucheck: copies: %w", cerr)
		}
		err = emit("copies", r)
	default:
		return fmt.Errorf("gpucheck: unknown section %q (want env, ops, train, time or copies)", s)
	}
	return err
}
