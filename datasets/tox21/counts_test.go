package tox21

import (
	"maps"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/selunet/selunet/datasets/datatest"
)

// countFixture adds count and MACCS files to challengeFixture. Vocabulary:
// ids 7, 300, 4294967295 (uint32 max). Training counts: 7 in A (2), B (1),
// C (5); 300 in A only (3); 4294967295 in every row with count 1 (constant,
// dropped). Test: E has 7:9 and 300:1; F is unsanitizable. MACCS: key 10 in
// A and B, key 166 in C, key 3 everywhere (constant, dropped).
var countFixture = func() map[string]string {
	f := maps.Clone(challengeFixture)
	const head = "sample_id,parse_status,n_features,n_dropped,features\n"
	f["tox21/derived/tox21_ecfp_counts_r3_vocab.csv.gz"] = "id,train_df,train_total_count,radius\n7,3,8,0\n300,1,3,1\n4294967295,4,4,2\n"
	f["tox21/derived/tox21_train_ecfp_counts_r3.csv.gz"] = head +
		"C,ok,2,0,7:5 4294967295:1\nA,partial-sanitize,3,1,7:2 300:3 4294967295:1\nD,ok,1,4,4294967295:1\nB,ok,2,0,7:1 4294967295:1\n"
	f["tox21/derived/tox21_test_ecfp_counts_r3.csv.gz"] = head + "E,ok,2,7,7:9 300:1\nF,unsanitizable,,,\n"
	f["tox21/derived/tox21_fcfp_counts_r3_vocab.csv.gz"] = "id,train_df,train_total_count,radius\n1,2,2,0\n"
	f["tox21/derived/tox21_train_fcfp_counts_r3.csv.gz"] = head + "A,ok,1,0,1:1\nB,ok,0,0,\nC,ok,1,0,1:1\nD,ok,0,0,\n"
	f["tox21/derived/tox21_test_fcfp_counts_r3.csv.gz"] = head + "E,ok,1,0,1:4\nF,unsanitizable,,,\n"
	const mh = "sample_id,parse_status,n_on_bits,on_bits\n"
	f["tox21/derived/tox21_train_maccs.csv.gz"] = mh + "A,ok,2,3 10\nB,ok,2,3 10\nC,ok,2,3 166\nD,ok,1,3\n"
	f["tox21/derived/tox21_test_maccs.csv.gz"] = mh + "E,ok,1,166\nF,unsanitizable,,\n"
	return f
}()

func TestCountFeatures(t *testing.T) {
	dir := writeFixture(t, countFixture, "")
	l := math.Log1p
	cases := []struct {
		opts  Options
		names []string
		rows  [][]float64 // train A, B, C, D, then test E, F
	}{
		// 0: log1p counts (the default), every vocabulary column that varies.
		{Options{Dir: dir, Features: []string{GroupECFPCounts}},
			[]string{"ecfp_counts:7", "ecfp_counts:300"},
			[][]float64{{l(2), l(3)}, {l(1), 0}, {l(5), 0}, {0, 0}, {l(9), l(1)}, {0, 0}}},
		// 1: raw counts; min_count_frac 0.5 keeps only id 7 (3 of 4 rows).
		{Options{Dir: dir, Features: []string{GroupECFPCounts}, CountTransform: CountNone, MinCountFrac: 0.5},
			[]string{"ecfp_counts:7"},
			[][]float64{{2}, {1}, {5}, {0}, {9}, {0}}},
		// 2: FCFP counts and MACCS keys; MACCS uses min_bit_frac.
		{Options{Dir: dir, Features: []string{GroupFCFPCounts, GroupMACCS}, MinBitFrac: 0.01},
			[]string{"fcfp_counts:1", "maccs:10", "maccs:166"},
			[][]float64{{l(1), 1, 0}, {0, 1, 0}, {l(1), 0, 1}, {0, 0, 0}, {l(4), 0, 1}, {0, 0, 0}}},
	}
	for i, c := range cases {
		tr, te, err := Load(c.opts)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if !reflect.DeepEqual(tr.FeatureNames, c.names) || !reflect.DeepEqual(te.FeatureNames, c.names) {
			t.Fatalf("case %d: names %v, want %v", i, tr.FeatureNames, c.names)
		}
		for r, want := range c.rows {
			got := tr.Row(r % 4)
			if r >= 4 {
				got = te.Row(r - 4)
			}
			for k := range want {
				if math.Abs(got[k]-want[k]) > tol {
					t.Errorf("case %d row %d: %v, want %v", i, r, got, want)
					break
				}
			}
		}
	}
}

func TestCountErrors(t *testing.T) {
	const tr = "tox21/derived/tox21_train_ecfp_counts_r3.csv.gz"
	const vocab = "tox21/derived/tox21_ecfp_counts_r3_vocab.csv.gz"
	const head = "sample_id,parse_status,n_features,n_dropped,features\n"
	cases := []struct {
		file, content, want string
	}{
		{tr, head + "A,ok,1,0,7:0\n", "ecfp_counts_r3.csv.gz:2: column 5 (features): feature \"7:0\""},
		{tr, head + "A,ok,1,0,7\n", "column 5 (features): feature \"7\""},
		{tr, head + "A,ok,1,0,4294967296:1\n", "feature \"4294967296:1\""},
		{tr, head + "A,ok,2,0,300:1 7:1\n", "id 7 not in increasing order"},
		{tr, head + "A,ok,3,0,7:1\n", "column 3 (n_features)"},
		{tr, head + "A,ok,1,0,8:1\nB,ok,0,0,\nC,ok,0,0,\nD,ok,0,0,\n", "ecfp_counts train row 1: identifier 8 is not in the vocabulary"},
		{tr, "sample_id,parse_status,n_on_bits,on_bits\n", "header has 4 columns"},
		{vocab, "id,train_df,train_total_count,radius\n300,1,1,0\n7,1,1,0\n", "vocab.csv.gz:3: column 1 (id): id 7 not in increasing order"},
		{vocab, "id,train_df,train_total_count,radius\n", "vocab.csv.gz: no identifiers"},
		{vocab, "id,train_df,train_total_count,radius\nx,1,1,0\n", "column 1 (id): id \"x\""},
	}
	for i, c := range cases {
		dir := writeFixture(t, countFixture, "")
		writeFile(t, dir, c.file, c.content)
		_, _, err := Load(Options{Dir: dir, Features: []string{GroupECFPCounts}})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("case %d: got %v, want an error containing %q", i, err, c.want)
		}
	}
	for i, o := range []Options{{MinCountFrac: 1}, {MinCountFrac: -0.1}, {CountTransform: "log"}, {Source: SourceDeepTox, Features: []string{GroupMACCS}}} {
		if err := o.Validate(); err == nil {
			t.Errorf("options case %d: no error", i)
		}
	}
}

// TestCountRealData checks the column counts of the shared data's count
// files against their SOURCE.md: 11,878 ECFP-like and 8,527 FCFP-like
// identifiers in the vocabularies (every one varies over the training rows),
// 163 MACCS keys set in training.
func TestCountRealData(t *testing.T) {
	dir := datatest.DataDir(t, "tox21/tox21_train.csv", "tox21/derived/tox21_train_ecfp_counts_r3.csv.gz",
		"tox21/derived/tox21_train_fcfp_counts_r3.csv.gz", "tox21/derived/tox21_train_maccs.csv.gz")
	o := DefaultOptions()
	o.Dir, o.Features, o.MinBitFrac = dir, []string{GroupECFPCounts, GroupFCFPCounts, GroupMACCS}, 0
	tr, te, err := Load(o)
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, name := range tr.FeatureNames {
		g, _, _ := strings.Cut(name, ":")
		n[g]++
	}
	if n[GroupECFPCounts] != 11878 || n[GroupFCFPCounts] != 8527 || n[GroupMACCS] != 163 {
		t.Errorf("columns %v, want ecfp_counts 11878, fcfp_counts 8527, maccs 163", n)
	}
	if tr.N != TrainRows || te.N != TestRows || te.D != tr.D {
		t.Errorf("train %d×%d, test %d×%d", tr.N, tr.D, te.N, te.D)
	}
}
