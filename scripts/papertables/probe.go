package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// probe tabulates single hold-out runs that each change something in a base
// run's config (a "probe" of one protocol question): what differs from the
// base, the point validation chose, its validation and test AUC, and every
// grid point's numbers.
func probe(args []string) error {
	fs := flag.NewFlagSet("probe", flag.ExitOnError)
	runs := fs.String("runs", "/work/runs/tox21-probe", "directory of the probes' run directories")
	base := fs.String("base", "/work/runs/tox21-table/snn-d2", "the run directory the probes are compared with")
	out := fs.String("out", "results/tox21-table/probe", "output directory")
	title := fs.String("title", "Tox21: probes of the SNN's depth-2 cell", "the table's heading")
	fs.Parse(args)
	baseCfg, err := flatConfig(filepath.Join(*base, "config.yaml"))
	if err != nil {
		return err
	}
	dirs, err := filepath.Glob(filepath.Join(*runs, "*"))
	if err != nil {
		return err
	}
	sort.Strings(dirs)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	all := append([]string{*base}, dirs...)
	md := [][]string{{"run", "differs from " + filepath.Base(*base), "chosen", "validation AUC", "test AUC", "wall time", "commit"}}
	points := [][]string{{"run", "point", "validation AUC", "test AUC"}}
	csvRows := [][]string{{"run", "differs", "point", "chosen", "val_auc", "test_auc", "wall_seconds", "commit"}}
	var missing []string
	for i, d := range all {
		if st, err := os.Stat(d); err != nil || !st.IsDir() {
			continue // RUNDIR.lock, a config file
		}
		name := filepath.Base(d)
		r, ok, err := loadRun(d)
		if err != nil {
			return err
		}
		if !ok {
			if _, err := os.Stat(filepath.Join(d, "config.yaml")); err == nil {
				missing = append(missing, name)
			}
			continue
		}
		if len(r.Res.Folds) != 1 {
			return fmt.Errorf("%s: want one hold-out split, found %d", d, len(r.Res.Folds))
		}
		cfg, err := flatConfig(filepath.Join(d, "config.yaml"))
		if err != nil {
			return err
		}
		diff := "(the base)"
		if i > 0 {
			diff = strings.Join(configDiff(baseCfg, cfg), ", ")
		}
		f := r.Res.Folds[0]
		chosen := strings.Join(f.Settings, " ")
		commit := strings.Join(r.Wall.Commits, " ")
		md = append(md, []string{name, diff, chosen, f4(float64(f.Val)), f4(r.Res.TestAUC), dur(r.Wall.Seconds), commit})
		for _, g := range f.Grid {
			s := strings.Join(g.Settings, " ")
			mark := ""
			if s == chosen {
				mark = " (chosen)"
			}
			points = append(points, []string{name, s + mark, f4(float64(g.Val)), f4(float64(g.TestAUC))})
			csvRows = append(csvRows, []string{name, diff, s, fmt.Sprint(s == chosen), f4(float64(g.Val)), f4(float64(g.TestAUC)), fmt.Sprintf("%.0f", r.Wall.Seconds), commit})
		}
		if i == 0 {
			continue // the base is a table cell, copied with its table
		}
		if err := copyRunFiles(d, *out, name); err != nil {
			return err
		}
	}
	if err := writeCSV(filepath.Join(*out, "table.csv"), csvRows); err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", *title)
	b.WriteString("Each probe is one run of the base cell's config with the changes listed (config keys, resolved), on the same split and seed; validation chooses the point, the test AUC (mean over the 12 assays) is reported beside it and never used to choose.\n\n")
	b.WriteString(mdTable(md))
	b.WriteString("\nEvery grid point:\n\n")
	b.WriteString(mdTable(points))
	if len(missing) > 0 {
		fmt.Fprintf(&b, "\n**Not finished:** %s.\n", strings.Join(missing, ", "))
	}
	b.WriteString("\nEach probe's resolved config, metrics and wall-time log are beside this file; the commands are in ../NOTES.md.\n")
	return os.WriteFile(filepath.Join(*out, "table.md"), []byte(b.String()), 0o644)
}

// flatConfig reads a resolved config.yaml as "dotted.key" → value text
// (lists in flow style, e.g. "[0.05, 0.1]").
func flatConfig(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var root map[string]any
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	flat := map[string]string{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				walk(strings.TrimPrefix(prefix+"."+k, "."), x)
			}
		case []any:
			parts := make([]string, len(v))
			for i, x := range v {
				parts[i] = scalar(x)
			}
			flat[prefix] = "[" + strings.Join(parts, ", ") + "]"
		default:
			flat[prefix] = scalar(v)
		}
	}
	walk("", root)
	return flat, nil
}

func scalar(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1e15 {
			return fmt.Sprintf("%.0f", v)
		}
		return fmt.Sprint(v)
	default:
		return fmt.Sprint(v)
	}
}

// configDiff lists "key: base → probe" for every key whose value differs,
// keys sorted. Unset, null, 0, false, "" and [] count as one value (configs
// written by older commits leave out or zero keys that newer ones write as
// null); the output section (where and how often files are written) and
// the data directory (machine-specific) are left out, as they do not change
// what is trained.
func configDiff(base, probe map[string]string) []string {
	keys := map[string]bool{}
	for k := range base {
		keys[k] = true
	}
	for k := range probe {
		keys[k] = true
	}
	norm := func(v string) string {
		switch v {
		case "null", "0", "false", "", "[]":
			return "unset"
		}
		return v
	}
	var out []string
	for k := range keys {
		if k == "name" || k == "data.dir" || strings.HasPrefix(k, "output.") {
			continue
		}
		b, okb := base[k]
		p, okp := probe[k]
		if norm(b) == norm(p) {
			continue
		}
		if !okb {
			b = "(none)"
		}
		if !okp {
			p = "(none)"
		}
		out = append(out, fmt.Sprintf("%s: %s → %s", k, b, p))
	}
	sort.Strings(out)
	if len(out) == 0 {
		return []string{"nothing"}
	}
	return out
}
