package datatest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// WriteUCI writes a UCI-121 data set folder under dir/uci121/name in the
// layout of Fernández-Delgado et al.: name.txt, the _R.dat file(s) and the
// two index files. Rows have 4 features; the class (3 classes) is the
// interval of the first feature (below −0.5, up to 0.5, above), so a small
// net learns it. With test > 0 the data set has a separate test file of that many rows.
func WriteUCI(t testing.TB, dir, name string, rows, test int, seed uint64) {
	t.Helper()
	root := filepath.Join(dir, "uci121", name)
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	data := func(n int) string {
		var b strings.Builder
		b.WriteString("\tf1\tf2\tf3\tf4\tclase\n")
		for i := 0; i < n; i++ {
			x := [4]float64{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()}
			c := 1
			switch {
			case x[0] < -0.5:
				c = 0
			case x[0] > 0.5:
				c = 2
			}
			fmt.Fprintf(&b, "%d\t%.5f\t%.5f\t%.5f\t%.5f\t%d\n", i+1, x[0], x[1], x[2], x[3], c)
		}
		return b.String()
	}
	meta := fmt.Sprintf("n_entradas= 4\nn_clases= 3\nn_arquivos= %d\nfich1= %s\nn_patrons1= %d\n", map[bool]int{false: 1, true: 2}[test > 0], name+"_R.dat", rows)
	files := map[string]string{name + "_R.dat": data(rows)}
	if test > 0 {
		meta = fmt.Sprintf("n_entradas= 4\nn_clases= 3\nn_arquivos= 2\nfich1= %s_train_R.dat\nn_patrons1= %d\nfich2= %s_test_R.dat\nn_patrons2= %d\n", name, rows, name, test)
		files = map[string]string{name + "_train_R.dat": files[name+"_R.dat"], name + "_test_R.dat": data(test)}
	}
	files[name+".txt"] = meta
	idx := func(ix []int) string {
		s := make([]string, len(ix))
		for i, v := range ix {
			s[i] = fmt.Sprint(v)
		}
		return strings.Join(s, " ") + "\n"
	}
	perm := rng.Perm(rows)
	files["conxuntos.dat"] = idx(perm[:rows/2]) + idx(perm[rows/2:])
	var kf string
	for f := 0; f < 4; f++ {
		p := rng.Perm(rows)
		kf += idx(p[rows/4:]) + idx(p[:rows/4])
	}
	files["conxuntos_kfold.dat"] = kf
	for f, c := range files {
		if err := os.WriteFile(filepath.Join(root, f), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
