package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/selunet/selunet/stats"
)

// paperTable3 is Table 3 of the paper: mean AUC ± sd over the 10 folds and
// the p-value of the paired Wilcoxon test against the best method (SNN);
// a star marks significantly worse.
var paperTable3 = map[string][3]string{
	"snn":        {"0.9803", "0.010", "–"},
	"msra":       {"0.9791", "0.010", "3.5e-01"},
	"weightnorm": {"0.9786*", "0.010", "2.4e-02"},
	"highway":    {"0.9766*", "0.009", "9.8e-03"},
	"layernorm":  {"0.9762*", "0.011", "1.4e-02"},
	"batchnorm":  {"0.9760", "0.013", "6.5e-02"},
	"resnet":     {"0.9753*", "0.010", "6.8e-03"},
}

var htru2Archs = []string{"snn", "msra", "weightnorm", "highway", "layernorm", "batchnorm", "resnet"}

func htru2(args []string) error {
	fs := flag.NewFlagSet("htru2", flag.ExitOnError)
	runs := fs.String("runs", "/work/runs/htru2", "directory with one run directory per architecture")
	out := fs.String("out", "results/htru2", "output directory")
	fs.Parse(args)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	done := map[string]run{}
	failed := map[string]string{}
	var missing []string
	for _, a := range htru2Archs {
		r, ok, err := loadRun(filepath.Join(*runs, a))
		if err != nil {
			return err
		}
		if !ok {
			if mark, w := unfinishedMark(filepath.Join(*runs, a)); mark != "·" {
				failed[a] = fmt.Sprintf("%s (exit status %d, %s; see NOTES.md)", mark, w.LastRC, strings.Join(w.Commits, ", "))
			}
			missing = append(missing, a)
			continue
		}
		done[a] = r
		if err := copyRunFiles(r.Dir, *out, a); err != nil {
			return err
		}
	}
	// The best method by mean AUC is the reference of the Wilcoxon tests.
	best := ""
	for a, r := range done {
		if best == "" || r.Res.TestAUC > done[best].Res.TestAUC {
			best = a
		}
	}
	header := []string{"method", "AUC mean", "AUC sd", "p vs best (Wilcoxon, two-sided)", "folds", "settings chosen (folds × point)", "wall time", "paper AUC", "paper sd", "paper p"}
	csvRows := [][]string{{"method", "auc_mean", "auc_sd", "p_vs_best", "folds", "fold_aucs", "settings", "wall_seconds", "commit", "paper_auc", "paper_sd", "paper_p"}}
	md := [][]string{header}
	order := append([]string(nil), htru2Archs...)
	sort.SliceStable(order, func(i, j int) bool {
		ri, oki := done[order[i]]
		rj, okj := done[order[j]]
		if oki != okj {
			return oki
		}
		return oki && ri.Res.TestAUC > rj.Res.TestAUC
	})
	for _, a := range order {
		p := paperTable3[a]
		r, ok := done[a]
		if !ok {
			status := "not finished"
			if f, ok := failed[a]; ok {
				status = f
			}
			md = append(md, []string{a, status, "", "", "", "", "", p[0], p[1], p[2]})
			continue
		}
		aucs := foldAUCs(r)
		pv := math.NaN()
		if a != best {
			if w, err := stats.Wilcoxon(aucs, foldAUCs(done[best]), stats.Options{}); err == nil {
				pv = w.P
			}
		}
		fa := make([]string, len(aucs))
		for i, x := range aucs {
			fa[i] = f4(x)
		}
		name := a
		if a == best {
			name = "**" + a + "**"
		}
		md = append(md, []string{name, f4(r.Res.TestAUC), f4(r.Res.TestAUCStd), pval(pv), fmt.Sprint(len(aucs)), chosen(r), dur(r.Wall.Seconds), p[0], p[1], p[2]})
		csvRows = append(csvRows, []string{a, f4(r.Res.TestAUC), f4(r.Res.TestAUCStd), pval(pv), fmt.Sprint(len(aucs)), strings.Join(fa, " "), settings(r), fmt.Sprintf("%.0f", r.Wall.Seconds), strings.Join(r.Wall.Commits, " "), strings.TrimSuffix(p[0], "*"), p[1], p[2]})
	}
	if err := writeCSV(filepath.Join(*out, "table.csv"), csvRows); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("# HTRU2: Table 3 of Klambauer et al. 2017, seven architectures\n\n")
	b.WriteString("Protocol: 10-fold nested cross-validation on HTRU2 (17,898 candidates, seed 1: the same folds for every method); for test fold m the hyperparameters are chosen on validation fold m−1 by the smoothed validation AUC, with early stopping on it. Every method searches a 6-point grid: depth {2, 4, 8} (residual blocks for resnet) × one second axis (snn: alpha dropout {0, 0.05}; msra, highway: dropout {0, 0.5}; batchnorm, layernorm, weightnorm: lr {0.1, 0.01}; resnet: block form {rectangular, diavolo}); 128 units, SGD lr 0.1 unless varied, batch 128, ≤ 100 epochs. The paper's grids (Tables A21–A27) are larger (units {256, 512, 1024}, depth up to 32, lr {0.01, 0.1, 1}, shape): these runs use the same-size slice for every method. p: paired Wilcoxon signed-rank test over the 10 folds against the best method here (exact unless folds tie; package `stats`), two-sided; the paper's p-values are against its best method (SNN), * = significantly worse.\n\n")
	b.WriteString(mdTable(md))
	if len(missing) > 0 {
		fmt.Fprintf(&b, "\n**Partial:** not finished yet: %s. Continue with `scripts/paper-htru2.sh` (resumes each run where it stopped).\n", strings.Join(missing, ", "))
	}
	b.WriteString("\nCommand (all seven, resumable; one run at a time under `nice -n 19`):\n\n    SELUNET_DATA_DIR=/work/shared/data RUNS=/work/runs scripts/paper-htru2.sh\n\nwhich runs, for each method,\n\n    train -config configs/paper/htru2-<method>.yaml -out $RUNS/htru2/<method>   # or -resume $RUNS/htru2/<method>\n\nand then `go run ./scripts/papertables htru2 -runs $RUNS/htru2 -out results/htru2`. Each run's resolved config, metrics and wall-time log are beside this file (`<method>.config.yaml`, `<method>.metrics.json`, `<method>.wall.tsv`).\n\n")
	b.WriteString("| method | commit | machine at start | wall time |\n| --- | --- | --- | --- |\n")
	for _, a := range htru2Archs {
		if r, ok := done[a]; ok {
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", a, strings.Join(r.Wall.Commits, ", "), strings.Join(r.Wall.Machines, "; "), r.Wall)
		}
	}
	return os.WriteFile(filepath.Join(*out, "table.md"), []byte(b.String()), 0o644)
}

func foldAUCs(r run) []float64 {
	x := make([]float64, len(r.Res.Folds))
	for i, f := range r.Res.Folds {
		x[i] = float64(f.TestAUC)
	}
	return x
}

// chosen summarises the settings chosen over the folds, e.g. "2×2, 6×4".
func chosen(r run) string {
	n := map[string]int{}
	var keys []string
	for _, f := range r.Res.Folds {
		s := strings.Join(f.Settings, " ")
		if n[s] == 0 {
			keys = append(keys, s)
		}
		n[s]++
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		k2 := strings.NewReplacer("model.", "", "optimizer.", "").Replace(k)
		parts = append(parts, fmt.Sprintf("%d× %s", n[k], k2))
	}
	return strings.Join(parts, "; ")
}

func settings(r run) string {
	s := make([]string, len(r.Res.Folds))
	for i, f := range r.Res.Folds {
		s[i] = strings.Join(f.Settings, " ")
	}
	return strings.Join(s, " | ")
}
