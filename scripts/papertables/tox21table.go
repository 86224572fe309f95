package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
)

// paperTable2 is Table 2 of the paper: mean test AUC (%) ± sd over 5
// repeats, by method and depth (DeepTox features).
var paperTable2 = map[string][7]string{
	"snn":        {"83.7 ± 0.3", "84.4 ± 0.5", "84.2 ± 0.4", "83.9 ± 0.5", "84.5 ± 0.2", "83.5 ± 0.5", "82.5 ± 0.7"},
	"batchnorm":  {"80.0 ± 0.5", "79.8 ± 1.6", "77.2 ± 1.1", "77.0 ± 1.7", "75.0 ± 0.9", "73.7 ± 2.0", "76.0 ± 1.1"},
	"weightnorm": {"83.7 ± 0.8", "82.9 ± 0.8", "82.2 ± 0.9", "82.5 ± 0.6", "81.9 ± 1.2", "78.1 ± 1.3", "56.6 ± 2.6"},
	"layernorm":  {"84.3 ± 0.3", "84.3 ± 0.5", "84.0 ± 0.2", "82.5 ± 0.8", "80.9 ± 1.8", "78.7 ± 2.3", "78.8 ± 0.8"},
	"highway":    {"83.3 ± 0.9", "83.0 ± 0.5", "82.6 ± 0.9", "82.4 ± 0.8", "80.3 ± 1.4", "80.3 ± 2.4", "79.6 ± 0.8"},
	"msra":       {"82.7 ± 0.4", "81.6 ± 0.9", "81.1 ± 1.7", "80.6 ± 0.6", "80.9 ± 1.1", "80.2 ± 1.1", "80.4 ± 1.9"},
	"resnet":     {"82.2 ± 1.1", "80.0 ± 2.0", "80.5 ± 1.2", "81.2 ± 0.7", "81.8 ± 0.6", "81.2 ± 0.6", "na"},
}

var table2Depths = []int{2, 3, 4, 6, 8, 16, 32}

func tox21Table(args []string) error {
	fs := flag.NewFlagSet("tox21table", flag.ExitOnError)
	runs := fs.String("runs", "/work/runs/tox21-table", "directory of run directories <arch>-d<depth>")
	out := fs.String("out", "results/tox21-table", "output directory")
	fs.Parse(args)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	head := []string{"method"}
	for _, d := range table2Depths {
		head = append(head, fmt.Sprint(d))
	}
	md := [][]string{head}
	csvRows := [][]string{{"method", "depth", "test_auc", "val_auc", "settings", "wall_seconds", "commit", "paper"}}
	var details [][]string
	features := map[string]bool{}
	for _, a := range htru2Archs {
		row := []string{a}
		for k, d := range table2Depths {
			name := fmt.Sprintf("%s-d%d", a, d)
			r, ok, err := loadRun(filepath.Join(*runs, name))
			if err != nil {
				return err
			}
			if !ok {
				mark := "·"
				if w, err := readWall(filepath.Join(*runs, name, "wall.tsv")); err == nil && w.LastRC != 0 && !isRunning(filepath.Join(*runs, name)) {
					mark = "stopped"
				}
				row = append(row, mark+" / "+paperTable2[a][k])
				continue
			}
			cfg, err := os.ReadFile(filepath.Join(r.Dir, "config.yaml"))
			if err != nil {
				return err
			}
			features[yamlValue(cfg, "features")] = true
			f := r.Res.Folds[0]
			val := ""
			if !math.IsNaN(float64(f.Val)) {
				val = f4(float64(f.Val))
			}
			row = append(row, fmt.Sprintf("**%.1f** / %s", 100*r.Res.TestAUC, paperTable2[a][k]))
			csvRows = append(csvRows, []string{a, fmt.Sprint(d), f4(r.Res.TestAUC), val, strings.Join(f.Settings, " "), fmt.Sprintf("%.0f", r.Wall.Seconds), strings.Join(r.Wall.Commits, " "), paperTable2[a][k]})
			details = append(details, []string{name, f4(r.Res.TestAUC), val, strings.Join(f.Settings, " "), dur(r.Wall.Seconds), strings.Join(r.Wall.Commits, " ")})
			if err := copyRunFiles(r.Dir, *out, name); err != nil {
				return err
			}
		}
		md = append(md, row)
	}
	if err := writeCSV(filepath.Join(*out, "table.csv"), csvRows); err != nil {
		return err
	}
	var fl []string
	for f := range features {
		fl = append(fl, f)
	}
	var b strings.Builder
	b.WriteString("# Tox21: Table 2 of Klambauer et al. 2017 (partial)\n\n")
	b.WriteString("Each cell: **our mean test AUC (%) over the 12 assays** / the paper's (± over its 5 repeats); · = not run yet, stopped = the run ended with an error or was interrupted (see NOTES.md). Official split (12,060 / 647 compounds), a seeded, stratified 10% of the training compounds validates; in every cell a 6-point grid (learning rate {0.01, 0.05, 0.1} × alpha dropout {0.05, 0.1} for snn, dropout {0, 0.5} for msra, layernorm, weightnorm and highway, L2 {1e-4, 1e-5} for batchnorm, block form {rectangular, diavolo} for resnet) is chosen on validation AUC; 512 units, SGD, batch 128, ≤ 60 epochs with early stopping; one seed (the paper: 5 repeats, 1024 or 2048 units). **The features differ from the paper's**: these are RDKit substitutes (features " + strings.Join(fl, ", ") + "; see `tox21/SOURCE.md` in the data directory), the paper used DeepTox's own.\n\n")
	b.WriteString(mdTable(md))
	b.WriteString("\n| run | test AUC | validation AUC | chosen | wall time | commit |\n| --- | --- | --- | --- | --- | --- |\n")
	for _, d := range details {
		b.WriteString("| " + strings.Join(d, " | ") + " |\n")
	}
	b.WriteString("\nCommand (resumable, one run at a time under `nice -n 19`; `DEPTHS`, `ARCHS` and `FEATURES` select a part):\n\n    SELUNET_DATA_DIR=/work/shared/data RUNS=/work/runs scripts/paper-tox21-table.sh\n")
	return os.WriteFile(filepath.Join(*out, "table.md"), []byte(b.String()), 0o644)
}
