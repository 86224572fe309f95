package htru2

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/datasets/datatest"
)

// tol bounds |mean| and |var−1| of standardized columns (task requirement 1e-9).
const tol = 1e-9

const row = "140.5625,55.68378214,-0.234571412,-0.699648398,3.199832776,19.11042633,7.975531794,74.24222492,0"

func TestRead(t *testing.T) {
	cases := []struct {
		in      string
		n, pos  int
		errText string // substring of the error ("" = valid), naming line and column
	}{
		{row + "\r" + row[:len(row)-1] + "1", 2, 1, ""},      // 0: lone CR, no final newline (the UCI file)
		{row + "\r\n" + row + "\n", 2, 0, ""},                // 1: CRLF and LF
		{row + "\n\n" + row + "\n", 2, 0, ""},                // 2: blank line skipped
		{"", 0, 0, "no data rows"},                           // 3: empty
		{row + "\r1,2,3", 0, 0, "x.csv:2: 3 fields, want 9"}, // 4: wrong column count
		{strings.Replace(row, "-0.234571412", "abc", 1), 0, 0, "x.csv:1: column 3 (ip_skewness): non-numeric"}, // 5
		{strings.Replace(row, "140.5625", "NaN", 1), 0, 0, "x.csv:1: column 1 (ip_mean): value \"NaN\" is not finite"},
		{strings.Replace(row, "74.24222492", "Inf", 1), 0, 0, "column 8 (dm_kurtosis): value \"Inf\" is not finite"}, // 7
		{row[:len(row)-1] + "2", 0, 0, "x.csv:1: column 9 (class): label \"2\", want 0 or 1"},                        // 8
		{row[:len(row)-1], 0, 0, "column 9 (class): label \"\""},                                                     // 9: missing label
		{"meanprof,sd,a,b,c,d,e,f,class\n" + row, 0, 0, "x.csv:1: column 1 (ip_mean): non-numeric"},                  // 10: header
		{strings.Replace(row, "140.5625", "1e999", 1), 0, 0, "out of float64 range"},                                 // 11
	}
	for i, c := range cases {
		s, err := Read(strings.NewReader(c.in), "x.csv")
		if c.errText != "" {
			var pe *datasets.ParseError
			if err == nil || !strings.Contains(err.Error(), c.errText) || !errors.As(err, &pe) {
				t.Errorf("case %d: got:%v want ParseError containing %q", i, err, c.errText)
			}
			continue
		}
		if err != nil {
			t.Fatalf("case %d: got:%v want:nil", i, err)
		}
		pos, _, _ := s.Counts(0)
		if s.N != c.n || pos != c.pos || s.D != 8 || s.Validate() != nil {
			t.Errorf("case %d: got n:%d pos:%d want n:%d pos:%d", i, s.N, pos, c.n, c.pos)
		}
	}
}

func TestReadTruncatedGzipFile(t *testing.T) {
	// A .gz copy of the data cut short must fail with the file name.
	var buf bytes.Buffer
	zw := newGzip(&buf)
	for i := 0; i < 2000; i++ {
		zw.Write([]byte(row + "\r"))
	}
	zw.Close()
	p := filepath.Join(t.TempDir(), "HTRU_2.csv.gz")
	os.WriteFile(p, buf.Bytes()[:buf.Len()/2], 0o644)
	_, err := ReadFile(p)
	if err == nil || !strings.Contains(err.Error(), "HTRU_2.csv.gz:") || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("got:%v want truncation error naming the file", err)
	}
	if _, err := ReadFile(filepath.Join(t.TempDir(), "none.csv")); err == nil || !strings.Contains(err.Error(), "SELUNET_DATA_DIR") {
		t.Errorf("missing file got:%v want hint naming SELUNET_DATA_DIR", err)
	}
}

// TestRealData checks counts from SOURCE.md (17,898 rows, 8 features, 1,639
// positives), the column means/stds listed there, and the standardization.
func TestRealData(t *testing.T) {
	dir := datatest.DataDir(t, "htru2/HTRU_2.csv")
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	pos, neg, miss := s.Counts(0)
	if s.N != Rows || s.D != Features || pos != Positives || neg != Rows-Positives || miss != 0 {
		t.Fatalf("got N:%d D:%d pos:%d neg:%d miss:%d want %d %d %d %d 0", s.N, s.D, pos, neg, miss, Rows, Features, Positives, Rows-Positives)
	}
	// SOURCE.md column table (4 decimals).
	wantMean := []float64{111.0800, 46.5495, 0.4779, 1.7703, 12.6144, 26.3265, 8.3036, 104.8577}
	wantStd := []float64{25.6522, 6.8430, 1.0640, 6.1677, 29.4721, 19.4700, 4.5060, 106.5116}
	folds, err := datasets.StratifiedKFold(s.PrimaryLabels(), 10, 1)
	if err != nil {
		t.Fatal(err)
	}
	st := datasets.FitStandardizer(s)
	for c := range wantMean {
		if math.Abs(st.Mean[c]-wantMean[c]) > 5e-5 || math.Abs(st.Std[c]-wantStd[c]) > 5e-5 {
			t.Errorf("col %d got mean:%.4f std:%.4f want:%.4f %.4f", c, st.Mean[c], st.Std[c], wantMean[c], wantStd[c])
		}
	}
	train, val, test := datasets.NestedCVFolds(folds, 0)
	if len(train)+len(val)+len(test) != Rows {
		t.Errorf("got %d rows in nested split want:%d", len(train)+len(val)+len(test), Rows)
	}
	tr := s.Subset(train)
	datasets.FitStandardizer(tr).Apply(tr)
	check := datasets.FitStandardizer(tr)
	for c := 0; c < tr.D; c++ {
		if math.Abs(check.Mean[c]) > tol || math.Abs(check.Std[c]*check.Std[c]-1) > tol {
			t.Errorf("col %d after standardizing got mean:%g var:%g want 0, 1", c, check.Mean[c], check.Std[c]*check.Std[c])
		}
	}
}

// TestDownloadRealFile serves the real CSV inside a zip from a loopback server
// and fetches it through the real download path (Remote, Locator.Find), then
// loads it from the cache, checking the published SHA-256;
// a corrupted copy must fail with ErrChecksum and leave nothing in the cache.
func TestDownloadRealFile(t *testing.T) {
	dir := datatest.DataDir(t, "htru2/HTRU_2.csv")
	data, err := os.ReadFile(filepath.Join(dir, "htru2", File))
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Clone(data)
	bad[100] ^= 1
	t.Setenv(datasets.EnvDataDir, "")
	for i, c := range []struct {
		csv  []byte
		want error
	}{{data, nil}, {bad, datasets.ErrChecksum}} { // 0: good copy, 1: one flipped bit
		var zbuf bytes.Buffer
		zw := zip.NewWriter(&zbuf)
		w, _ := zw.Create(File)
		w.Write(c.csv)
		zw.Close()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/ml/machine-learning-databases/00372/HTRU2.zip" {
				http.NotFound(w, r)
				return
			}
			w.Write(zbuf.Bytes())
		}))
		cache := t.TempDir()
		loc := datasets.Locator{CacheDir: cache, BaseURL: srv.URL}
		var s *datasets.Set
		root, err := loc.Find(context.Background(), Remote(), File)
		if err == nil {
			s, err = LoadContext(context.Background(), loc) // now from the cache
			if s != nil && root != filepath.Join(cache, "htru2") {
				t.Errorf("case %d: got root %s want the cache", i, root)
			}
		}
		srv.Close()
		if !errors.Is(err, c.want) || (err == nil && s.N != Rows) {
			t.Errorf("case %d: got:%v want:%v", i, err, c.want)
		}
		if c.want != nil {
			if ents, _ := os.ReadDir(filepath.Join(cache, "htru2")); len(ents) != 0 {
				t.Errorf("case %d: got %d files left in cache want:0", i, len(ents))
			}
		}
	}
}

func BenchmarkRead(b *testing.B) {
	dir := datatest.DataDir(b, "htru2/HTRU_2.csv")
	data, err := os.ReadFile(filepath.Join(dir, "htru2", File))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Read(bytes.NewReader(data), File); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLocalZip loads a data directory that holds only HTRU2.zip (generated).
func TestLocalZip(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "htru2"), 0o755)
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	w, _ := zw.Create("HTRU2/" + File)
	w.Write([]byte(row + "\r" + row))
	zw.Close()
	os.WriteFile(filepath.Join(dir, "htru2", ZipFile), zbuf.Bytes(), 0o644)
	s, err := Load(dir)
	if err != nil || s.N != 2 {
		t.Fatalf("got:%v want 2 rows", err)
	}
	os.WriteFile(filepath.Join(dir, "htru2", ZipFile), zbuf.Bytes()[:40], 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "HTRU2.zip") {
		t.Errorf("truncated zip got:%v want error naming HTRU2.zip", err)
	}
}
