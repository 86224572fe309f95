package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func tox21(args []string) error {
	fs := flag.NewFlagSet("tox21", flag.ExitOnError)
	runs := fs.String("runs", "/work/runs/tox21-features", "directory of run directories <variant>-s<seed>")
	out := fs.String("out", "results/tox21-features", "output directory")
	fs.Parse(args)
	dirs, err := filepath.Glob(filepath.Join(*runs, "*-s*"))
	if err != nil {
		return err
	}
	sort.Strings(dirs)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	csvRows := [][]string{{"run", "features", "min_count_frac", "seed", "val_auc", "test_auc", "task_aucs", "wall_seconds", "commit"}}
	md := [][]string{{"run", "features", "min_count_frac", "validation AUC", "test AUC (mean of 12 assays)", "wall time", "commit"}}
	var missing []string
	best, bestVal, bestTest := "", 0.0, 0.0
	for _, d := range dirs {
		if st, err := os.Stat(d); err != nil || !st.IsDir() {
			continue // RUNDIR.lock
		}
		r, ok, err := loadRun(d)
		if err != nil {
			return err
		}
		name := filepath.Base(d)
		if !ok {
			missing = append(missing, name)
			continue
		}
		cfg, err := runConfig(d)
		if err != nil {
			return err
		}
		feat := featureList(cfg)
		mcf := fmt.Sprint(cfg.Data.Tox21.MinCountFrac)
		seed := fmt.Sprint(cfg.Seed)
		if len(r.Res.Folds) != 1 || math.IsNaN(float64(r.Res.Folds[0].Val)) {
			return fmt.Errorf("%s: want one hold-out split with a validation metric", d)
		}
		val := float64(r.Res.Folds[0].Val)
		if best == "" || val > bestVal {
			best, bestVal, bestTest = name, val, r.Res.TestAUC
		}
		var ta []string
		for i, t := range r.Res.Tasks {
			if i < len(r.Res.TaskAUC) && !math.IsNaN(float64(r.Res.TaskAUC[i])) {
				ta = append(ta, t+"="+f4(float64(r.Res.TaskAUC[i])))
			}
		}
		csvRows = append(csvRows, []string{name, feat, mcf, seed, f4(val), f4(r.Res.TestAUC), strings.Join(ta, " "), fmt.Sprintf("%.0f", r.Wall.Seconds), strings.Join(r.Wall.Commits, " ")})
		md = append(md, []string{name, feat, mcf, f4(val), f4(r.Res.TestAUC), dur(r.Wall.Seconds), strings.Join(r.Wall.Commits, " ")})
		if err := copyRunFiles(d, *out, name); err != nil {
			return err
		}
	}
	if err := writeCSV(filepath.Join(*out, "table.csv"), csvRows); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("# Tox21: does the SNN gain from the count features?\n\n")
	b.WriteString("The SNN of `configs/tox21.yaml` (3×512, alpha dropout 0.1, SGD lr 0.1, L2 1e-4, batch 128, ≤ 60 epochs with early stopping on the smoothed validation AUC) on the official split (12,060 training / 647 test compounds; a seeded, stratified 10% of the training compounds validates), with the input feature groups varied (`configs/paper/tox21-snn.yaml`, `-set data.tox21.features=[...]`). Count features are log1p-transformed, kept when non-zero in more than `min_count_frac` of the training compounds, then every column is standardized on the training rows and clipped at ±6. A feature set is to be chosen by its validation AUC; the test AUC is reported beside it, never used to choose. The features are substitutes for DeepTox's (see `tox21/SOURCE.md` in the data directory): the paper's SNN reaches 0.845 on DeepTox's own features.\n\n")
	b.WriteString(mdTable(md))
	if best != "" {
		fmt.Fprintf(&b, "\nChosen on validation: **%s** (validation AUC %s, test AUC %s).\n", best, f4(bestVal), f4(bestTest))
	}
	if len(missing) > 0 {
		fmt.Fprintf(&b, "\n**Partial:** not finished: %s.\n", strings.Join(missing, ", "))
	}
	b.WriteString("\nCommand (resumable, one run at a time under `nice -n 19`):\n\n    SELUNET_DATA_DIR=/work/shared/data RUNS=/work/runs SEEDS=\"1\" scripts/paper-tox21-features.sh\n\nEach run's resolved config, metrics and wall-time log (start, end, seconds, exit status, commit, machine and load at start) are beside this file.\n")
	return os.WriteFile(filepath.Join(*out, "table.md"), []byte(b.String()), 0o644)
}
