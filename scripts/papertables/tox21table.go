package main

import (
	"flag"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/selunet/selunet/experiment"
	"github.com/selunet/selunet/stats"
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
	sel := [][]string{head}
	valTab := [][]string{head}
	csvRows := [][]string{{"method", "depth", "test_auc", "val_auc", "settings", "wall_seconds", "commit", "paper"}}
	var details [][]string
	features, validations := map[string]bool{}, map[string]bool{}
	partial := false               // a cell the paper has is not finished
	ours := map[string][]float64{} // test AUC by method and depth index, NaN if not finished
	for _, a := range htru2Archs {
		row := []string{a}
		selRow := []string{a}
		valRow := []string{a}
		ours[a] = make([]float64, len(table2Depths))
		for k, d := range table2Depths {
			ours[a][k] = math.NaN()
			name := fmt.Sprintf("%s-d%d", a, d)
			r, ok, err := loadRun(filepath.Join(*runs, name))
			if err != nil {
				return err
			}
			if !ok {
				if paperTable2[a][k] != "na" {
					partial = true
				}
				mark, _ := unfinishedMark(filepath.Join(*runs, name))
				row = append(row, mark+" / "+paperTable2[a][k])
				selRow = append(selRow, "·")
				valRow = append(valRow, "·")
				continue
			}
			cfg, err := runConfig(r.Dir)
			if err != nil {
				return err
			}
			features[featureList(cfg)] = true
			validations[cfg.Data.Tox21.Validation] = true
			f := r.Res.Folds[0]
			val := ""
			if !math.IsNaN(float64(f.Val)) {
				val = f4(float64(f.Val))
			}
			ours[a][k] = r.Res.TestAUC
			row = append(row, fmt.Sprintf("**%.1f** / %s", 100*r.Res.TestAUC, paperTable2[a][k]))
			selRow = append(selRow, selectionCell(f.Grid))
			valRow = append(valRow, pct(float64(f.Val)))
			csvRows = append(csvRows, []string{a, fmt.Sprint(d), f4(r.Res.TestAUC), val, strings.Join(f.Settings, " "), fmt.Sprintf("%.0f", r.Wall.Seconds), strings.Join(r.Wall.Commits, " "), paperTable2[a][k]})
			details = append(details, []string{name, f4(r.Res.TestAUC), val, strings.Join(f.Settings, " "), dur(r.Wall.Seconds), strings.Join(r.Wall.Commits, " ")})
			if err := copyRunFiles(r.Dir, *out, name); err != nil {
				return err
			}
		}
		md = append(md, row)
		sel = append(sel, selRow)
		valTab = append(valTab, valRow)
	}
	if err := writeCSV(filepath.Join(*out, "table.csv"), csvRows); err != nil {
		return err
	}
	var fl []string
	for f := range features {
		fl = append(fl, f)
	}
	var b strings.Builder
	title := "# Tox21: Table 2 of Klambauer et al. 2017"
	if partial {
		title += " (partial)"
	}
	b.WriteString(title + "\n\n")
	b.WriteString("Each cell: **our mean test AUC (%) over the 12 assays** / the paper's (± over its 5 repeats); · = not run yet, diverged = every grid point diverged, stopped = the run ended with another error or was interrupted (see NOTES.md). Official split (12,060 / 647 compounds), " + validationText(validations) + "; in every cell a 6-point grid (learning rate {0.01, 0.05, 0.1} × alpha dropout {0.05, 0.1} for snn, dropout {0, 0.5} for msra, layernorm, weightnorm and highway, L2 {1e-4, 1e-5} for batchnorm, block form {rectangular, diavolo} for resnet) is chosen on validation AUC; 512 units, SGD, batch 128, ≤ 60 epochs with early stopping; one seed (the paper: 5 repeats, 1024 or 2048 units). **The features differ from the paper's**: these are RDKit substitutes (features " + strings.Join(fl, ", ") + "; see `tox21/SOURCE.md` in the data directory), the paper used DeepTox's own.\n\n")
	b.WriteString(mdTable(md))
	b.WriteString(depthRanks(ours))
	b.WriteString("\nHow much the selection costs. Each cell: the test AUC (%) of the grid point validation chose → the best test AUC of the cell's grid, and that best point's rank by validation AUC among the points whose training finished (1st: validation chose it; ties go to the earlier point). The best test AUC is an upper bound that no selection rule on these grids can pass; it is a diagnosis, never a result.\n\n")
	b.WriteString(mdTable(sel))
	b.WriteString("\nThe validation AUC (%) of each cell's chosen point: how the methods rank on the compounds that chose their settings, to set beside how they rank on the test compounds (the first table).\n\n")
	b.WriteString(mdTable(valTab))
	b.WriteString("\n| run | test AUC | validation AUC | chosen | wall time | commit |\n| --- | --- | --- | --- | --- | --- |\n")
	for _, d := range details {
		b.WriteString("| " + strings.Join(d, " | ") + " |\n")
	}
	env := ""
	for _, v := range slices.Sorted(maps.Keys(validations)) {
		if v != "" && v != "random" {
			env = "VALIDATION=" + v + " "
		}
	}
	b.WriteString("\nCommand (resumable, one run at a time under `nice -n 19`; `DEPTHS`, `ARCHS` and `FEATURES` select a part):\n\n    SELUNET_DATA_DIR=/work/shared/data RUNS=/work/runs " + env + "scripts/paper-tox21-table.sh\n")
	return os.WriteFile(filepath.Join(*out, "table.md"), []byte(b.String()), 0o644)
}

// featureList writes a run's Tox21 feature groups as its config does, e.g.
// "[rdkit, ecfp4]".
func featureList(cfg experiment.Config) string {
	return "[" + strings.Join(cfg.Data.Tox21.Features, ", ") + "]"
}

// depthRanks ranks the methods at each depth where every method the paper
// has is finished (1 = the highest test AUC, ties share their mean rank),
// ours and the paper's side by side, and averages the ranks over those
// depths. Empty while no depth is complete.
func depthRanks(ours map[string][]float64) string {
	get := func(a string, k int) float64 {
		if k < len(ours[a]) {
			return ours[a][k]
		}
		return math.NaN()
	}
	head := []string{"method"}
	var done []int
	for k, d := range table2Depths {
		ok := true
		for _, a := range htru2Archs {
			if paperTable2[a][k] != "na" && math.IsNaN(get(a, k)) {
				ok = false
			}
		}
		if ok {
			done = append(done, k)
			head = append(head, fmt.Sprint(d))
		}
	}
	if len(done) == 0 {
		return ""
	}
	head = append(head, "mean rank: ours (paper's)")
	cells := map[string]map[int]string{} // method → depth index → "ours (paper's)"
	sum, sumPaper, n := map[string]float64{}, map[string]float64{}, map[string]float64{}
	for _, k := range done {
		var archs []string
		var x, p []float64
		for _, a := range htru2Archs {
			if paperTable2[a][k] == "na" {
				continue
			}
			v, err := strconv.ParseFloat(strings.Fields(paperTable2[a][k])[0], 64)
			if err != nil {
				panic(err) // paperTable2 is a constant
			}
			archs = append(archs, a)
			x = append(x, -get(a, k))
			p = append(p, -v)
		}
		rx, rp := stats.Ranks(x), stats.Ranks(p)
		for i, a := range archs {
			if cells[a] == nil {
				cells[a] = map[int]string{}
			}
			cells[a][k] = fmt.Sprintf("%g (%g)", rx[i], rp[i])
			sum[a] += rx[i]
			sumPaper[a] += rp[i]
			n[a]++
		}
	}
	md := [][]string{head}
	for _, a := range htru2Archs {
		row := []string{a}
		for _, k := range done {
			c, ok := cells[a][k]
			if !ok {
				c = "–" // the paper lacks the method at this depth (ResNet at 32): ranked over its other depths
			}
			row = append(row, c)
		}
		md = append(md, append(row, fmt.Sprintf("%.2f (%.2f)", sum[a]/n[a], sumPaper[a]/n[a])))
	}
	return "\nRank of each method at each depth where all are finished (1 = highest test AUC of the seven, or of the six at depth 32, where the paper has no ResNet; ties share their mean rank), ours and, in brackets, the paper's on its own values; the last column averages over these depths. One seed per cell here, so differences under about one point are within noise.\n\n" + mdTable(md)
}

// pct writes an AUC as a percentage with one decimal, "-" for NaN.
func pct(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return fmt.Sprintf("%.1f", 100*x)
}

// validationText says which compounds validated the runs, from the
// data.tox21.validation values of their configs.
func validationText(vals map[string]bool) string {
	var out []string
	for _, v := range slices.Sorted(maps.Keys(vals)) {
		switch v {
		case "leaderboard":
			out = append(out, "the challenge's 296 leaderboard compounds validate (the other 11,764 train)")
		case "", "random":
			out = append(out, "a seeded, stratified 10% of the training compounds validates")
		default:
			out = append(out, "validation "+v)
		}
	}
	if len(out) == 0 {
		return "a seeded, stratified 10% of the training compounds validates"
	}
	return strings.Join(slices.Compact(out), "; in other runs, ")
}

// selectionCell describes a cell's grid for the selection table: the test
// AUC of the point validation chose, the best test AUC of the grid and the
// validation rank of that best point, e.g. "80.7 → 81.4 (3rd of 6)", or
// "80.7 = best of 6" when validation chose the best; "-"
// without a grid. The chosen point is the grid's first with the highest
// validation metric, as experiment selects.
func selectionCell(grid []experiment.GridPoint) string {
	chosen, best := -1, -1
	for i, p := range grid {
		if math.IsNaN(float64(p.Val)) || math.IsNaN(float64(p.TestAUC)) {
			continue
		}
		if chosen < 0 || p.Val > grid[chosen].Val {
			chosen = i
		}
		if best < 0 || p.TestAUC > grid[best].TestAUC {
			best = i
		}
	}
	if chosen < 0 {
		return "-"
	}
	n, rank := 0, 1
	for _, p := range grid {
		if math.IsNaN(float64(p.Val)) || math.IsNaN(float64(p.TestAUC)) {
			continue
		}
		n++
		if p.Val > grid[best].Val {
			rank++
		}
	}
	if best == chosen {
		return fmt.Sprintf("%.1f = best of %d", 100*grid[chosen].TestAUC, n)
	}
	return fmt.Sprintf("%.1f → %.1f (%s of %d)", 100*grid[chosen].TestAUC, 100*grid[best].TestAUC, ordinal(rank), n)
}

// ordinal writes 1 as "1st", 2 as "2nd" and so on.
func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprint(n, suffix)
}
