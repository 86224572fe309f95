package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/selunet/selunet/checkpoint"
	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/datasets/tabular"
	"github.com/selunet/selunet/experiment"
)

// Plan is a sweep's plan.json: its data sets, grid points and tasks.
type Plan struct {
	// Version is the plan format, 1.
	Version int `json:"version"`
	// Source is the config file the sweep was planned from and Sets its
	// -set overrides (informational; the resolved config is config.yaml).
	Source string   `json:"source,omitempty"`
	Sets   []string `json:"sets,omitempty"`
	// Dataset is the config's data.dataset; Metric its train.metric, the
	// validation metric that selects a point.
	Dataset string `json:"dataset"`
	Metric  string `json:"metric"`
	// Datasets are the data sets swept, in order.
	Datasets []string `json:"datasets"`
	// Skipped are the data sets of -datasets all left out because their
	// files are missing.
	Skipped []Skip `json:"skipped,omitempty"`
	// Points are the grid points' overrides in grid order.
	Points [][]string `json:"points"`
	// Tasks are all (data set, point) pairs, data set by data set.
	Tasks []Task `json:"tasks"`
}

// Skip is a data set left out of a sweep and why.
type Skip struct {
	Dataset string `json:"dataset"`
	Reason  string `json:"reason"`
}

// Task is one grid point on one data set: an ordinary run directory.
type Task struct {
	// ID is the task's index in Plan.Tasks.
	ID int `json:"id"`
	// Dataset is the data set's name (the UCI-121 folder name, or the
	// config's data.dataset for other configs).
	Dataset string `json:"dataset"`
	// Point is the index of the grid point in Plan.Points.
	Point int `json:"point"`
	// Dir is the run directory relative to the sweep directory,
	// tasks/<dataset>/<point>.
	Dir string `json:"dir"`
}

// Version is the plan format this package writes.
const Version = 1

// File names inside a sweep directory.
const (
	PlanFile   = "plan.json"
	ConfigFile = "config.yaml"
)

// NewPlan plans the sweep of cfg (with its grid) over names, and checks
// every data set by loading it (experiment.CheckData) so that a config or
// data error is found before anything runs. For a config with
// data.dataset uci, names are UCI-121 data sets (nil: the config's
// data.uci.name; all: every folder under <data dir>/uci121, leaving out
// with a Skip the ones whose files are missing); for any other config the
// sweep has one data set, the config's own, and names must be nil or name
// it. cfg.Data.Dir is made absolute so that tasks run from any directory.
func NewPlan(ctx context.Context, cfg experiment.Config, names []string) (*Plan, experiment.Config, error) {
	if d := datasets.DataDir(cfg.Data.Dir); d != "" {
		abs, err := filepath.Abs(d)
		if err != nil {
			return nil, cfg, err
		}
		cfg.Data.Dir = abs
	}
	pts, err := experiment.Points(cfg)
	if err != nil {
		return nil, cfg, err
	}
	p := &Plan{Version: Version, Dataset: cfg.Data.Dataset, Metric: cfg.Train.Metric}
	for _, pt := range pts {
		p.Points = append(p.Points, pt.Settings)
		for _, s := range pt.Settings {
			if cfg.Data.Dataset == "uci" && strings.HasPrefix(s, "data.uci.name=") {
				return nil, cfg, fmt.Errorf("grid: a sweep over UCI data sets cannot vary data.uci.name (use -datasets)")
			}
		}
	}
	all := len(names) == 1 && names[0] == "all"
	switch {
	case cfg.Data.Dataset != "uci":
		if len(names) > 1 || len(names) == 1 && names[0] != cfg.Data.Dataset {
			return nil, cfg, fmt.Errorf("-datasets %s: the config's data.dataset %s is one data set; -datasets picks UCI-121 data sets (data.dataset uci)", strings.Join(names, ","), cfg.Data.Dataset)
		}
		names = []string{cfg.Data.Dataset}
	case all:
		if names, err = tabular.UCINames(cfg.Data.Dir); err != nil {
			return nil, cfg, err
		}
	case len(names) == 0:
		names = []string{cfg.Data.UCI.Name}
	}
	seen := map[string]bool{}
	for _, name := range names {
		if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
			return nil, cfg, fmt.Errorf("-datasets: %q is not a data set name", name)
		}
		if seen[name] {
			return nil, cfg, fmt.Errorf("-datasets: %s is listed twice", name)
		}
		seen[name] = true
	}
	if cfg.Data.Dataset == "uci" && !all {
		if err := tabular.CheckUCINames(cfg.Data.Dir, names); err != nil {
			return nil, cfg, fmt.Errorf("-datasets: %w", err)
		}
	}
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return nil, cfg, err
		}
		err := experiment.CheckData(ctx, datasetConfig(cfg, name))
		var nf *datasets.NotFoundError
		switch {
		case err != nil && all && errors.As(err, &nf):
			p.Skipped = append(p.Skipped, Skip{Dataset: name, Reason: err.Error()})
			continue
		case err != nil:
			return nil, cfg, fmt.Errorf("data set %s: %w", name, err)
		}
		p.Datasets = append(p.Datasets, name)
		for i, pt := range pts {
			p.Tasks = append(p.Tasks, Task{ID: len(p.Tasks), Dataset: name, Point: i,
				Dir: filepath.Join("tasks", name, pointName(i, pt.Settings))})
		}
	}
	if len(p.Tasks) == 0 {
		return nil, cfg, errors.New("no data set to sweep (every one was skipped)")
	}
	return p, cfg, nil
}

// datasetConfig is cfg set to data set name (a UCI-121 folder for uci
// configs; other configs have only their own).
func datasetConfig(cfg experiment.Config, name string) experiment.Config {
	if cfg.Data.Dataset == "uci" {
		cfg.Data.UCI.Name = name
		cfg.Name = name
	}
	return cfg
}

// pointName is the folder name of grid point i: p<i+1>, then its settings
// (characters other than letters, digits and ._=,+- replaced by _).
func pointName(i int, settings []string) string {
	name := fmt.Sprintf("p%03d", i+1)
	if len(settings) == 0 {
		return name
	}
	s := []rune(strings.Join(settings, ","))
	for k, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._=,+-", r)
		if !ok {
			s[k] = '_'
		}
	}
	name += "-" + string(s)
	if len(name) > 200 {
		name = name[:200]
	}
	return name
}

// Write writes dir/plan.json and dir/config.yaml (cfg, the resolved config
// with its grid). A task's directory is made when the task first runs. A
// directory that already holds a plan must hold this very plan (the same
// command run again); otherwise Write fails and changes nothing.
func Write(dir string, p *Plan, cfg experiment.Config) error {
	base, err := experiment.Marshal(cfg)
	if err != nil {
		return err
	}
	planJSON, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	old, err := Open(dir)
	switch {
	case err == nil:
		oldBase, err := os.ReadFile(filepath.Join(dir, ConfigFile))
		if err != nil {
			return err
		}
		if diff := planDiff(old, p); diff != "" || !bytes.Equal(oldBase, base) {
			if diff == "" {
				diff = "the resolved config differs from " + filepath.Join(dir, ConfigFile)
			}
			return fmt.Errorf("%s already holds another sweep (%s): use another -out, or run `train sweep -out %s` without -config to continue it", dir, diff, dir)
		}
	case !errors.Is(err, os.ErrNotExist):
		return err
	}
	if err := writeFile(filepath.Join(dir, ConfigFile), base); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, PlanFile), append(planJSON, '\n'))
}

// planDiff describes how two plans differ in what they run ("" when
// they run the same tasks).
func planDiff(a, b *Plan) string {
	switch {
	case strings.Join(a.Datasets, ",") != strings.Join(b.Datasets, ","):
		return fmt.Sprintf("data sets %v, not %v", a.Datasets, b.Datasets)
	case fmt.Sprint(a.Points) != fmt.Sprint(b.Points):
		return fmt.Sprintf("grid points %v, not %v", a.Points, b.Points)
	}
	return ""
}

// Open reads dir/plan.json.
func Open(dir string) (*Plan, error) {
	b, err := os.ReadFile(filepath.Join(dir, PlanFile))
	if err != nil {
		return nil, err
	}
	var p Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("sweep: %s: %w", filepath.Join(dir, PlanFile), err)
	}
	if p.Version != Version {
		return nil, fmt.Errorf("sweep: %s: plan version %d, this program reads version %d", filepath.Join(dir, PlanFile), p.Version, Version)
	}
	for i, t := range p.Tasks {
		if t.ID != i || t.Point < 0 || t.Point >= len(p.Points) || !filepath.IsLocal(t.Dir) {
			return nil, fmt.Errorf("sweep: %s: task %d is malformed", filepath.Join(dir, PlanFile), i)
		}
	}
	return &p, nil
}

// prepare makes task t's run directory and its config.yaml (its point on
// its data set, without a grid, output.dir the directory) unless it has
// one, so that the task is a run directory `train -resume` continues.
func prepare(dir string, t Task) error {
	td := filepath.Join(dir, t.Dir)
	if _, err := os.Stat(filepath.Join(td, ConfigFile)); err == nil {
		return nil
	}
	cfg, err := LoadConfig(dir)
	if err != nil {
		return err
	}
	pts, err := experiment.Points(cfg)
	if err != nil {
		return err
	}
	if t.Point >= len(pts) {
		return fmt.Errorf("sweep: task %d: grid point %d, %s has %d", t.ID, t.Point+1, filepath.Join(dir, ConfigFile), len(pts))
	}
	tc := datasetConfig(pts[t.Point].Config, t.Dataset)
	if tc.Output.Dir, err = filepath.Abs(td); err != nil {
		return err
	}
	b, err := experiment.Marshal(tc)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(td, 0o755); err != nil {
		return err
	}
	return writeFile(filepath.Join(td, ConfigFile), b)
}

// LoadConfig reads the sweep's resolved config, dir/config.yaml.
func LoadConfig(dir string) (experiment.Config, error) {
	return experiment.Load(filepath.Join(dir, ConfigFile), nil)
}

// writeFile writes b to path atomically.
func writeFile(path string, b []byte) error {
	return checkpoint.WriteFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	}, 0o644)
}
