package tox21

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFile writes content to dir/rel, gzip-compressed when rel ends in .gz.
func writeFile(t testing.TB, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	data := []byte(content)
	if strings.HasSuffix(rel, ".gz") {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(data)
		zw.Close()
		data = buf.Bytes()
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

var taskHeader = strings.Join(Tasks, ",")

// challengeFixture is a tiny data set in the shared-data layout: 4 training
// compounds (A..D) and 2 test compounds (E, F; F unsanitizable). Feature files
// list rows in a different order than the label files, to test keying by ID.
//
// Descriptors: d1 varies (missing for C), d2 is empty everywhere (dropped like
// Ipc), d3 is constant 5 in training (dropped). Bits: 0 set in A,B,C (75%),
// 1 set in A (25%), 2 never set in training (dropped), 3 set in every training
// row (constant, dropped).
var challengeFixture = map[string]string{
	"tox21/tox21_train.csv": "sample_id,subset,smiles," + taskHeader + "\n" +
		"A,train,C,1,0,,0,0,0,0,0,0,0,0,0\n" +
		"B,train,CC,0,,0,0,0,0,0,0,0,0,0,1\n" +
		"C,leaderboard,CCC,,1,0,0,0,0,0,0,0,0,0,0\n" +
		"D,leaderboard,CCCC,0,0,0,0,0,0,0,0,0,0,0,0\n",
	"tox21/tox21_test.csv": "sample_id,subset,smiles," + taskHeader + "\n" +
		"E,score,O,1,1,1,1,1,1,1,1,1,1,1,1\n" +
		"F,score,N,,,,,,,,,,,,0\n",
	"tox21/derived/tox21_train_ecfp4_2048.csv.gz": "sample_id,parse_status,n_on_bits,on_bits\n" +
		"D,ok,1,3\nC,ok,2,0 3\nB,ok,2,0 3\nA,partial-sanitize,3,0 1 3\n",
	"tox21/derived/tox21_test_ecfp4_2048.csv.gz": "sample_id,parse_status,n_on_bits,on_bits\n" +
		"F,unsanitizable,,\nE,ok,3,1 2 2047\n",
	"tox21/derived/tox21_train_rdkit_descriptors.csv.gz": "sample_id,parse_status,d1,d2,d3\n" +
		"B,ok,2,,5\nA,ok,-1,,5\nD,ok,10,,5\nC,ok,,,5\n",
	"tox21/derived/tox21_test_rdkit_descriptors.csv.gz": "sample_id,parse_status,d1,d2,d3\n" +
		"E,ok,3e2,,7\nF,unsanitizable,,,\n",
}

// deepToxFixture is a tiny archive in the DeepTox format (pandas-style
// labels with 1.0/0.0 and empty = NaN; dense with an index column; sparse
// Matrix Market, rows in label order). Training: 4 compounds. Sparse columns
// (1-based): 1 set in 3 of 4 (75%), 2 in 1 of 4 (25%), 3 never; column 4 has a
// duplicate entry for row 2 (summed to 3).
var deepToxFixture = map[string]string{
	"tox21_labels_train.csv.gz": "," + strings.ReplaceAll(taskHeader, "-", ".") + "\n" +
		"A,1.0,0.0,,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0\n" +
		"B,0.0,,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,1.0\n" +
		"C,,1.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0\n" +
		"D,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0\n",
	"tox21_labels_test.csv.gz": "," + strings.ReplaceAll(taskHeader, "-", ".") + "\n" +
		"E,1.0,1.0,1.0,1.0,1.0,1.0,1.0,1.0,1.0,1.0,1.0,1.0\n" +
		"F,NaN,,,,,,,,,,,0.0\n",
	"tox21_dense_train.csv.gz": ",AW,Zagreb\nB,2.0,1\nA,-1.0,2\nC,NaN,3\nD,10,4\n",
	"tox21_dense_test.csv.gz":  ",AW,Zagreb\nE,300,5\nF,,6\n",
	"tox21_sparse_train.mtx.gz": "%%MatrixMarket matrix coordinate real general\n% made by a test\n4 4 6\n" +
		"1 1 2\n2 1 1\n3 1 1\n1 2 1\n2 4 1\n2 4 2\n",
	"tox21_sparse_test.mtx.gz": "%%MatrixMarket matrix coordinate real general\n2 4 2\n1 2 4\n2 3 1\n",
}

func writeFixture(t testing.TB, files map[string]string, prefix string) string {
	dir := t.TempDir()
	for rel, c := range files {
		writeFile(t, dir, prefix+rel, c)
	}
	return dir
}

func zipFixture(t testing.TB, files map[string]string) []byte {
	dir := writeFixture(t, files, "")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for rel := range files {
		data, _ := os.ReadFile(filepath.Join(dir, rel))
		w, _ := zw.Create("tox21/" + rel)
		w.Write(data)
	}
	zw.Close()
	return buf.Bytes()
}
