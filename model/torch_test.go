package model

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/selunet/selunet/nets"
)

// python is the interpreter the PyTorch check runs with.
const python = "/usr/bin/python3"

// TestTorchRebuild exports a model of every architecture (binary and
// multi-class heads, float32 and float64) as safetensors and has
// testdata/torch_check.py rebuild each network in PyTorch from the file
// alone: its predictions must match selunet's. It is skipped, with the
// reason, when /usr/bin/python3 cannot import torch (Debian: apt-get install
// python3-torch).
func TestTorchRebuild(t *testing.T) {
	if out, err := exec.Command(python, "-c", "import torch").CombinedOutput(); err != nil {
		t.Skipf("%s cannot import torch (%v: %s); apt-get install python3-torch to run this check", python, err, bytes.TrimSpace(out))
	}
	var dirs []string
	for i, arch := range nets.Archs {
		for _, multi := range []bool{false, true} {
			spec := nets.DefaultSpec()
			spec.Arch, spec.Layers, spec.Units, spec.Dropout = arch, 3, 7, 0.2
			if arch == nets.ResNet && multi {
				spec.Shape, spec.Bottleneck = nets.Diavolo, 0.5
			}
			if arch != nets.ResNet && arch != nets.Highway && !multi {
				spec.Shape = nets.Conic
			}
			head, outputs := nets.Binary, 2
			if multi {
				head, outputs, spec.Dtype = nets.MultiClass, 3, "float64"
			}
			m := testModel(t, spec, 4, outputs, head, uint64(i+1))
			d := filepath.Join(t.TempDir(), fmt.Sprintf("%s-%s", arch, head))
			os.MkdirAll(d, 0o755)
			var buf bytes.Buffer
			if err := m.WriteSafetensors(&buf); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(d, "model.safetensors"), buf.Bytes(), 0o644)
			rows := randRows(50, 4, uint64(i))
			want, err := m.Predict(rows)
			if err != nil {
				t.Fatal(err)
			}
			// rows.csv with the columns in reverse order: the check must
			// match them by name.
			feats := m.Features()
			writeCSV(t, filepath.Join(d, "rows.csv"), []string{feats[3], feats[2], feats[1], feats[0]}, rows, true)
			writeCSV(t, filepath.Join(d, "want.csv"), m.OutputNames(), want, false)
			dirs = append(dirs, d)
		}
	}
	cmd := exec.Command(python, append([]string{filepath.Join("testdata", "torch_check.py")}, dirs...)...)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("PyTorch rebuild disagrees: %v", err)
	}
}

func writeCSV(t *testing.T, path string, hdr []string, rows [][]float64, reverse bool) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(hdr)
	for _, r := range rows {
		rec := make([]string, len(r))
		for j := range r {
			k := j
			if reverse {
				k = len(r) - 1 - j
			}
			rec[j] = strconv.FormatFloat(r[k], 'g', -1, 64)
		}
		w.Write(rec)
	}
	w.Flush()
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
