package tox21

import (
	"context"
	"errors"
	"io/fs"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/datasets/datatest"
)

// tol is the tolerance for hand-computed feature values and for the
// standardized mean 0 / variance 1 check (task requirement 1e-9).
const tol = 1e-9

func slog(x float64) float64 { return math.Copysign(math.Log1p(math.Abs(x)), x) }

func TestChallengeFixture(t *testing.T) {
	dir := writeFixture(t, challengeFixture, "")
	cases := []struct {
		opts      Options
		names     []string
		trainRowA []float64 // features of A
		trainRowC []float64 // C: d1 missing → median
		testRowF  []float64 // F: unsanitizable
	}{
		// 0: defaults. d1 train values -1, 2, 10 → median 2 (hand-computed); slog1p applied.
		// Bits: keep > 1% → bit 0 (75%), bit 1 (25%); bit 3 constant, bit 2 absent.
		{Options{Dir: dir, MinBitFrac: 0.01}, []string{"rdkit:d1", "ecfp4:0", "ecfp4:1"},
			[]float64{slog(-1), 1, 1}, []float64{slog(2), 1, 0}, []float64{slog(2), 0, 0}},
		// 1: MinBitFrac 0.3 drops bit 1 (25% ≤ 30%), transform none.
		{Options{Dir: dir, MinBitFrac: 0.3, Transform: "none"}, []string{"rdkit:d1", "ecfp4:0"},
			[]float64{-1, 1}, []float64{2, 1}, []float64{2, 0}},
		// 2: ECFP4 only.
		{Options{Dir: dir, Features: []string{GroupECFP4}}, []string{"ecfp4:0", "ecfp4:1"},
			[]float64{1, 1}, []float64{1, 0}, []float64{0, 0}},
	}
	for i, c := range cases {
		tr, te, err := Load(c.opts)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if !reflect.DeepEqual(tr.FeatureNames, c.names) || !reflect.DeepEqual(tr.IDs, []string{"A", "B", "C", "D"}) {
			t.Fatalf("case %d: got names:%v ids:%v want:%v", i, tr.FeatureNames, tr.IDs, c.names)
		}
		for _, chk := range []struct {
			got, want []float64
		}{{tr.Row(0), c.trainRowA}, {tr.Row(2), c.trainRowC}, {te.Row(1), c.testRowF}} {
			for k := range chk.want {
				if math.Abs(chk.got[k]-chk.want[k]) > tol {
					t.Errorf("case %d: got:%v want:%v", i, chk.got, chk.want)
					break
				}
			}
		}
		if err := tr.Validate(); err != nil {
			t.Errorf("case %d: %v", i, err)
		}
		// Labels: A NR-AhR=1, A NR-AR-LBD missing; F only SR-p53 present (0).
		if y, ok := tr.Label(0, 0); y != 1 || !ok {
			t.Errorf("case %d: A NR-AhR got:%v,%v want:1,true", i, y, ok)
		}
		if _, ok := tr.Label(0, 2); ok {
			t.Errorf("case %d: A NR-AR-LBD got present want missing", i)
		}
		if p, n, m := te.Counts(11); p != 1 || n != 1 || m != 0 {
			t.Errorf("case %d: test SR-p53 got:%d,%d,%d want:1,1,0", i, p, n, m)
		}
	}
}

func TestDeepToxFixture(t *testing.T) {
	dir := writeFixture(t, deepToxFixture, "tox21/")
	cases := []struct {
		frac  float64
		names []string
		rowB  []float64
		rowF  []float64
	}{
		// 0: DeepTox rule 5%: sparse cols 1 (75%), 2 (25%), 4 (25%, B's duplicate summed to 3).
		// AW median of -1, 2, 10 = 2 for the missing C and F cells (hand-computed).
		{0.05, []string{"dense:AW", "dense:Zagreb", "sparse:1", "sparse:2", "sparse:4"},
			[]float64{slog(2), slog(1), 1, 0, 3}, []float64{slog(2), slog(6), 0, 0, 0}},
		// 1: 30% keeps only sparse column 1.
		{0.3, []string{"dense:AW", "dense:Zagreb", "sparse:1"},
			[]float64{slog(2), slog(1), 1}, []float64{slog(2), slog(6), 0}},
	}
	for i, c := range cases {
		tr, te, err := Load(Options{Dir: dir, Source: SourceDeepTox, MinSparseFrac: c.frac})
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if !reflect.DeepEqual(tr.FeatureNames, c.names) {
			t.Fatalf("case %d: got:%v want:%v", i, tr.FeatureNames, c.names)
		}
		for k := range c.rowB {
			if math.Abs(tr.Row(1)[k]-c.rowB[k]) > tol || math.Abs(te.Row(1)[k]-c.rowF[k]) > tol {
				t.Errorf("case %d: got B:%v F:%v want:%v %v", i, tr.Row(1), te.Row(1), c.rowB, c.rowF)
				break
			}
		}
		if p, n, m := tr.Counts(0); p != 1 || n != 2 || m != 1 {
			t.Errorf("case %d: NR-AhR got:%d,%d,%d want:1,2,1", i, p, n, m)
		}
	}
}

// TestDeepToxDownload loads the DeepTox fixture through the real download path
// from a loopback server; the cache records the files as unverified.
func TestDeepToxDownload(t *testing.T) {
	t.Setenv(datasets.EnvDataDir, "")
	body := zipFixture(t, deepToxFixture)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/research/DeepTox/tox21.zip" {
			http.NotFound(w, r)
			return
		}
		w.Write(body)
	}))
	defer srv.Close()
	cache := t.TempDir()
	opts := Options{Source: SourceDeepTox, Locator: datasets.Locator{CacheDir: cache, BaseURL: srv.URL}}
	tr, te, err := LoadContext(context.Background(), opts)
	if err != nil || tr.N != 4 || te.N != 2 {
		t.Fatalf("got err:%v want 4+2 rows", err)
	}
	log, _ := os.ReadFile(filepath.Join(cache, "tox21", "SOURCE.txt"))
	if !strings.Contains(string(log), "tox21_dense_train.csv.gz (unverified") {
		t.Errorf("SOURCE.txt got:%q want unverified entries", log)
	}
	// The challenge source has no download: a clear NotFoundError.
	_, _, err = LoadContext(context.Background(), Options{Locator: datasets.Locator{CacheDir: cache, BaseURL: srv.URL}})
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), datasets.EnvDataDir) {
		t.Errorf("challenge without data dir got:%v want NotFoundError naming %s", err, datasets.EnvDataDir)
	}
}

func TestErrors(t *testing.T) {
	const lab = "tox21/tox21_train.csv"
	const desc = "tox21/derived/tox21_train_rdkit_descriptors.csv.gz"
	const ecfp = "tox21/derived/tox21_train_ecfp4_2048.csv.gz"
	const dl = "tox21/tox21_labels_train.csv.gz"
	const sp = "tox21/tox21_sparse_train.mtx.gz"
	head := "sample_id,subset,smiles," + taskHeader + "\n"
	cases := []struct {
		deeptox bool
		file    string
		content string // replaces the fixture file; "" with remove = delete
		remove  bool
		want    string // substring naming file, line and column
	}{
		{false, lab, head + "A,train,C,2,0,,0,0,0,0,0,0,0,0,0\n", false, "tox21_train.csv:2: column 4 (NR-AhR): label \"2\""},                                    // 0
		{false, lab, head + "A,train,C,1,0\n", false, "tox21_train.csv:2: 5 fields, want 15"},                                                                    // 1
		{false, lab, "sample_id,subset,smiles,NR-AR\n", false, "header has 4 columns"},                                                                           // 2
		{false, lab, head + "A,t,C,,,,,,,,,,,,\nA,t,C,,,,,,,,,,,,\n", false, "tox21_train.csv:3: column 1 (sample_id): empty or duplicate"},                      // 3
		{false, desc, "sample_id,parse_status,d1,d2,d3\nA,ok,1,,5\nB,ok,abc,,5\n", false, "rdkit_descriptors.csv.gz:3: column 3 (d1): non-numeric"},              // 4
		{false, desc, "sample_id,parse_status,d1,d2,d3\nA,ok,nan,,5\n", false, "column 3 (d1): value \"nan\" is not finite"},                                     // 5
		{false, desc, "sample_id,parse_status,d1,d2,d3\nA,ok,1,,5\nB,ok,1,,5\nC,ok,1,,5\n", false, "1 sample_ids of the label file have no row here (first: D)"}, // 6
		{false, desc, "sample_id,parse_status,d1,d2,d3\nZ,ok,1,,5\n", false, ":2: column 1 (sample_id): sample_id \"Z\" is not in the label file"},               // 7
		{false, ecfp, "sample_id,parse_status,n_on_bits,on_bits\nA,ok,1,2048\n", false, "ecfp4_2048.csv.gz:2: column 4 (on_bits): bit \"2048\""},                 // 8
		{false, ecfp, "sample_id,parse_status,n_on_bits,on_bits\nA,ok,2,5\n", false, "column 3 (n_on_bits)"},                                                     // 9
		{false, ecfp, "", true, "SELUNET_DATA_DIR"},            // 10: missing file → how to obtain it
		{true, dl, ",NR.AhR\n", false, "header has 2 columns"}, // 11
		{true, sp, "%%MatrixMarket matrix coordinate real general\n4 4 3\n1 1 1\n", false, "1 entries, the size line promises 3"}, // 12
		{true, sp, "%%MatrixMarket matrix coordinate real general\n4 4 1\n5 1 1\n", false, ":3: column 1 (row): row \"5\""},       // 13
		{true, sp, "%%MatrixMarket matrix coordinate real general\n3 4 0\n", false, "3 rows, but the label file has 4"},           // 14
		{true, sp, "%%MatrixMarket matrix array real general\n", false, "want %%MatrixMarket matrix coordinate"},                  // 15
	}
	for i, c := range cases {
		var dir string
		opts := Options{}
		if c.deeptox {
			dir = writeFixture(t, deepToxFixture, "tox21/")
			opts.Source = SourceDeepTox
		} else {
			dir = writeFixture(t, challengeFixture, "")
		}
		opts.Dir = dir
		if c.remove {
			os.Remove(filepath.Join(dir, c.file))
		} else {
			writeFile(t, dir, c.file, c.content)
		}
		_, _, err := Load(opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("case %d: got:%v want error containing %q", i, err, c.want)
		}
	}
	// Truncated gzip: cut a valid .gz in half.
	dir := writeFixture(t, challengeFixture, "")
	p := filepath.Join(dir, desc)
	data, _ := os.ReadFile(p)
	os.WriteFile(p, data[:len(data)-12], 0o644)
	if _, _, err := Load(Options{Dir: dir}); err == nil || !strings.Contains(err.Error(), "rdkit_descriptors.csv.gz") {
		t.Errorf("truncated gzip got:%v want error naming the file", err)
	}
	// Invalid options.
	for i, o := range []Options{{Source: "x"}, {Features: []string{GroupDense}}, {MinBitFrac: 1}, {Transform: "log"},
		{Validation: "scaffold"}, {Source: SourceDeepTox, Validation: ValidationLeaderboard}} {
		if err := o.Validate(); err == nil {
			t.Errorf("options case %d: got:nil want error", i)
		}
	}
}

func TestValidationSplit(t *testing.T) {
	dir := writeFixture(t, challengeFixture, "")
	tr, _, err := Load(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	a, v, err := ValidationSplit(tr, 0.5, 1)
	if err != nil || len(a) != 2 || len(v) != 2 {
		t.Fatalf("got:%v %v %v want 2+2 rows", a, v, err)
	}
	// A, B, C are active somewhere, D is not: the held-out half must hold 1 or 2 actives.
	any := tr.AnyPositive()
	pos := any[v[0]] + any[v[1]]
	if pos < 1 {
		t.Errorf("got %v actives in validation want >= 1", pos)
	}
}

// fixtureTrain loads the challenge fixture's training set with the given
// validation setting.
func fixtureTrain(t *testing.T, validation string) (Options, *datasets.Set) {
	t.Helper()
	opts := Options{Dir: writeFixture(t, challengeFixture, ""), Validation: validation}
	tr, _, err := Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	return opts, tr
}

// rowsErrorCase is a call of LeaderboardRows or FingerprintGroups that
// must fail with an error containing want.
type rowsErrorCase struct {
	name  string
	opts  Options
	train *datasets.Set
	want  string
}

// checkRowsErrors calls f for every case and checks its error.
func checkRowsErrors[T any](t *testing.T, f func(context.Context, Options, *datasets.Set) (T, error), cases []rowsErrorCase) {
	t.Helper()
	for _, c := range cases {
		_, err := f(context.Background(), c.opts, c.train)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestLeaderboardRows(t *testing.T) {
	opts, tr := fixtureTrain(t, ValidationLeaderboard)
	dir := opts.Dir
	rows, err := LeaderboardRows(context.Background(), opts, tr)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, i := range rows {
		ids = append(ids, tr.IDs[i])
	}
	if want := []string{"C", "D"}; !slices.Equal(ids, want) {
		t.Errorf("leaderboard rows hold %v, want %v", ids, want)
	}

	checkRowsErrors(t, LeaderboardRows, []rowsErrorCase{
		{"deeptox source", Options{Dir: dir, Source: SourceDeepTox}, tr, `need source "challenge", not "deeptox"`},
		{"no leaderboard compound", Options{Dir: dir}, tr.Subset([]int{0, 1}), `0 of the 2 training compounds are in subset "leaderboard"`},
		{"nothing left to train on", Options{Dir: dir}, tr.Subset(rows), `2 of the 2 training compounds`},
		{"no label file", Options{Dir: t.TempDir(), Locator: datasets.Locator{Offline: true}}, tr, "tox21_train.csv"},
	})
}

func TestFingerprintGroups(t *testing.T) {
	opts, tr := fixtureTrain(t, ValidationGrouped)
	groups, err := FingerprintGroups(context.Background(), opts, tr)
	if err != nil {
		t.Fatal(err)
	}
	// Bits: A {0 1 3}, B {0 3}, C {0 3}, D {3}: B and C share a group.
	g := map[string]int{}
	for i, id := range tr.IDs {
		g[id] = groups[i]
	}
	if g["B"] != g["C"] || g["A"] == g["B"] || g["D"] == g["B"] || g["A"] == g["D"] {
		t.Errorf("groups %v, want B and C together and A, D apart", g)
	}

	other := tr.Subset([]int{0})
	other.IDs = []string{"Z"}
	checkRowsErrors(t, FingerprintGroups, []rowsErrorCase{
		{"deeptox source", Options{Dir: opts.Dir, Source: SourceDeepTox}, tr, `need source "challenge", not "deeptox"`},
		{"unknown sample ID", opts, other, `row 0 of the training set has sample ID "Z"`},
		{"no fingerprint file", Options{Dir: writeFixture(t, map[string]string{"tox21/tox21_train.csv": challengeFixture["tox21/tox21_train.csv"]}, ""), Locator: datasets.Locator{Offline: true}}, tr, "tox21_train_ecfp4_2048.csv.gz"},
	})
}

// SOURCE.md per-assay label balance (pos, neg, missing) for train and test.
var sourceCounts = map[string][2][3]int{
	"NR-AhR": {{981, 7460, 3619}, {73, 537, 37}}, "NR-AR": {{383, 9271, 2406}, {12, 574, 61}},
	"NR-AR-LBD": {{307, 8545, 3208}, {8, 574, 65}}, "NR-Aromatase": {{378, 7062, 4620}, {39, 489, 119}},
	"NR-ER": {{964, 6998, 4098}, {51, 465, 131}}, "NR-ER-LBD": {{456, 8584, 3020}, {20, 580, 47}},
	"NR-PPAR-gamma": {{237, 8214, 3609}, {31, 574, 42}}, "SR-ARE": {{1146, 6255, 4659}, {93, 462, 92}},
	"SR-ATAD5": {{363, 9000, 2697}, {38, 584, 25}}, "SR-HSE": {{438, 7979, 3643}, {22, 588, 37}},
	"SR-MMP": {{1180, 6378, 4502}, {60, 483, 104}}, "SR-p53": {{565, 8338, 3157}, {41, 575, 31}},
}

func TestRealData(t *testing.T) {
	dir := datatest.DataDir(t, "tox21/tox21_train.csv", "tox21/tox21_test.csv",
		"tox21/derived/tox21_train_ecfp4_2048.csv.gz", "tox21/derived/tox21_train_rdkit_descriptors.csv.gz")
	opts := DefaultOptions()
	opts.Dir = dir
	tr, te, err := Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	if tr.N != TrainRows || te.N != TestRows || tr.T != 12 || tr.D != te.D {
		t.Fatalf("got train %d×%d test %d×%d want %d and %d rows", tr.N, tr.D, te.N, te.D, TrainRows, TestRows)
	}
	for k, name := range tr.TaskNames {
		for s, set := range []*datasets.Set{tr, te} {
			p, n, m := set.Counts(k)
			if w := sourceCounts[name][s]; [3]int{p, n, m} != w {
				t.Errorf("%s split %d got:%d,%d,%d want:%v", name, s, p, n, m, w)
			}
		}
	}
	// Feature counts on the shared data (computed once, here and by awk over the
	// files): 582 ECFP4 bits are set in > 1% of training compounds; 203 of the
	// 208 descriptors survive (Ipc is empty, 4 are constant over training).
	nb := 0
	for _, n := range tr.FeatureNames {
		if strings.HasPrefix(n, "ecfp4:") {
			nb++
		}
	}
	if nb != 582 || tr.D-nb != 203 {
		t.Errorf("got %d bits, %d descriptors want:582 203", nb, tr.D-nb)
	}
	if err := tr.Validate(); err != nil {
		t.Fatal(err)
	}
	a, v, err := ValidationSplit(tr, 0.1, 1)
	if err != nil || len(v) != 1206 || len(a) != TrainRows-1206 {
		t.Fatalf("ValidationSplit got %d/%d err:%v want 10854/1206", len(a), len(v), err)
	}
	// SOURCE.md: the challenge's leaderboard batch is 296 of the 12,060.
	if rows, err := LeaderboardRows(context.Background(), opts, tr); err != nil || len(rows) != 296 {
		t.Errorf("LeaderboardRows got %d rows err:%v want 296", len(rows), err)
	}
	groups, err := FingerprintGroups(context.Background(), opts, tr)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(slices.Compact(slices.Sorted(slices.Values(groups)))); n != 7642 {
		t.Errorf("FingerprintGroups: %d distinct fingerprints, want 7642 (python over the file)", n)
	}
	part := tr.Subset(a)
	datasets.FitStandardizer(part).Apply(part)
	chk := datasets.FitStandardizer(part)
	for c := 0; c < part.D; c++ {
		if math.Abs(chk.Mean[c]) > tol || math.Abs(chk.Std[c]*chk.Std[c]-1) > tol {
			t.Errorf("column %s got mean:%g var:%g want 0, 1", part.FeatureNames[c], chk.Mean[c], chk.Std[c]*chk.Std[c])
		}
	}
	// The two unsanitizable test compounds have no bits set.
	for i, id := range te.IDs {
		if id != "NCGC00357062-01" && id != "NCGC00357026-01" {
			continue
		}
		for c, n := range te.FeatureNames {
			if strings.HasPrefix(n, "ecfp4:") && te.Row(i)[c] != 0 {
				t.Errorf("%s bit %s got:%v want:0", id, n, te.Row(i)[c])
			}
		}
	}
}

// BenchmarkLoad measures loading Tox21 train+test with both feature groups
// from the shared data (gzip decoding, parsing, imputation, column selection).
func BenchmarkLoad(b *testing.B) {
	dir := datatest.DataDir(b, "tox21/tox21_train.csv")
	opts := DefaultOptions()
	opts.Dir = dir
	for b.Loop() {
		if _, _, err := Load(opts); err != nil {
			b.Fatal(err)
		}
	}
}
