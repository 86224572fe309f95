package tox21

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/selunet/selunet/datasets"
)

// fuzzErr is the error property of the reader fuzz targets: the error names
// the input (and, as a ParseError, names it as its file).
func fuzzErr(t *testing.T, err error, name string) {
	t.Helper()
	var pe *datasets.ParseError
	if !strings.Contains(err.Error(), name) || (errors.As(err, &pe) && pe.File != name) {
		t.Fatalf("error %q does not name %s", err, name)
	}
}

// checkLabels checks a parsed label split: unique non-empty IDs, n×12 labels
// in {0, 1}, masks in {0, 1}, a label 0 where it is missing.
func checkLabels(t *testing.T, rs *rawSplit) {
	t.Helper()
	seen := map[string]bool{}
	for _, id := range rs.ids {
		if id == "" || seen[id] {
			t.Fatalf("empty or repeated ID %q accepted", id)
		}
		seen[id] = true
	}
	if len(rs.ids) == 0 || len(rs.y) != len(rs.ids)*len(Tasks) || len(rs.m) != len(rs.y) {
		t.Fatalf("%d IDs, %d labels, %d mask entries", len(rs.ids), len(rs.y), len(rs.m))
	}
	for i := range rs.y {
		if (rs.y[i] != 0 && rs.y[i] != 1) || (rs.m[i] != 0 && rs.m[i] != 1) || (rs.m[i] == 0 && rs.y[i] != 0) {
			t.Fatalf("label %v with mask %v accepted", rs.y[i], rs.m[i])
		}
	}
}

// encodeLabels writes rs back in the challenge layout (deepTox false) or
// the DeepTox layout, tasks in reverse order to exercise the permutation.
func encodeLabels(rs *rawSplit, deepTox bool) string {
	var b strings.Builder
	cell := func(i, t int) string {
		if rs.m[i*len(Tasks)+t] == 0 {
			return ""
		}
		return fmt.Sprint(rs.y[i*len(Tasks)+t])
	}
	q := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	if deepTox {
		b.WriteString("id")
		for t := len(Tasks) - 1; t >= 0; t-- {
			b.WriteString("," + strings.ReplaceAll(Tasks[t], "-", "."))
		}
		b.WriteString("\n")
		for i, id := range rs.ids {
			b.WriteString(q(id))
			for t := len(Tasks) - 1; t >= 0; t-- {
				b.WriteString("," + cell(i, t))
			}
			b.WriteString("\n")
		}
		return b.String()
	}
	b.WriteString("sample_id,subset,smiles," + strings.Join(Tasks, ",") + "\n")
	for i, id := range rs.ids {
		b.WriteString(q(id) + "," + q(rs.subsets[i]) + ",C")
		for t := range Tasks {
			b.WriteString("," + cell(i, t))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// FuzzLabels reads arbitrary label files in both layouts (challenge and
// DeepTox). Properties: no panic; errors name the file; accepted labels are
// well formed and survive encode -> decode unchanged.
func FuzzLabels(f *testing.F) {
	f.Add("sample_id,subset,smiles,"+strings.Join(Tasks, ",")+"\nA,train,C,1,0,,0,0,0,0,0,0,0,0,NA\n", false)
	f.Add("sample_id,subset,smiles,"+strings.Join(Tasks, ",")+"\nA,t,C,,,,,,,,,,,,\nA,t,C,,,,,,,,,,,,\n", false)
	f.Add(",SR.p53,NR.AhR,NR-AR,NR.AR.LBD,NR.Aromatase,NR.ER,NR.ER.LBD,NR.PPAR.gamma,SR.ARE,SR.ATAD5,SR.HSE,SR.MMP\nm1,1.0,0.0,x,nan,,,,,,,,\n", true)
	f.Add(",NR.AhR\n", true)
	f.Fuzz(func(t *testing.T, data string, deepTox bool) {
		read := readChallengeLabels
		if deepTox {
			read = readDeepToxLabels
		}
		rs := &rawSplit{}
		if err := read(strings.NewReader(data), "fuzz.csv", rs); err != nil {
			fuzzErr(t, err, "fuzz.csv")
			return
		}
		checkLabels(t, rs)
		enc := encodeLabels(rs, deepTox)
		rs2 := &rawSplit{}
		if err := read(strings.NewReader(enc), "fuzz.csv", rs2); err != nil || !reflect.DeepEqual(rs, rs2) {
			t.Fatalf("decode -> encode -> decode: %v\n%+v\n%+v\n%s", err, rs, rs2, enc)
		}
	})
}

// fuzzIDs turns a fuzzed list into label-file IDs (one per line, empty and
// repeated ones dropped, at most 64).
func fuzzIDs(s string) *rawSplit {
	rs := &rawSplit{}
	seen := map[string]bool{}
	for id := range strings.SplitSeq(s, "\n") {
		if id != "" && !seen[id] && len(rs.ids) < 64 {
			seen[id] = true
			rs.ids = append(rs.ids, id)
			rs.y = append(rs.y, make([]float64, len(Tasks))...)
			rs.m = append(rs.m, make([]float64, len(Tasks))...)
		}
	}
	return rs
}

// checkAssemble builds the train and test sets from a parsed block (the
// same split twice) and checks they are valid: a block read from a hostile
// file must not make assemble fail, allocate by a claimed size, or emit
// non-finite features.
func checkAssemble(t *testing.T, rs *rawSplit, b *block) {
	t.Helper()
	rs.blocks = []*block{b}
	tr, te, err := assemble([2]*rawSplit{rs, rs}, DefaultOptions())
	if err != nil {
		t.Fatalf("assemble: %v", err)
	}
	for _, s := range []*datasets.Set{tr, te} {
		if err := s.Validate(); err != nil {
			t.Fatalf("assembled set is invalid: %v", err)
		}
		for _, v := range s.X {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("assembled feature %v", v)
			}
		}
	}
}

// FuzzFeatures reads arbitrary feature files of every kind against a fuzzed
// list of label IDs: kind 0 RDKit descriptors, 1 ECFP4 bits, 2 DeepTox dense
// table, 3 DeepTox Matrix Market, 4 count features (remapped onto a
// vocabulary), 5 a vocabulary file. Properties: no panic; errors name the
// file; accepted blocks have a row per ID and assemble into valid sets.
func FuzzFeatures(f *testing.F) {
	f.Add("A\nB", "sample_id,parse_status,d1,d2\nB,ok,1,\nA,ok,2.5,3\n", uint8(0))
	f.Add("A\nB", "sample_id,parse_status,n_on_bits,on_bits\nA,ok,2,5 7\nB,fail,,\n", uint8(1))
	f.Add("A\nB", "sample_id,parse_status,n_on_bits,on_bits\nA,ok,2,7 5\nB,ok,1,2048\n", uint8(1))
	f.Add("m1\nm2", ",f1,f2\nm2,NA,1e308\nm1,1,-1e308\n", uint8(2))
	f.Add("a\nb", "%%MatrixMarket matrix coordinate real general\n% comment\n2 5 3\n1 1 2.5\n2 5 1\n1 1 -2.5\n", uint8(3))
	f.Add("a\nb", "%%MatrixMarket matrix coordinate pattern general\n2 9223372036854775807 1\n2 9223372036854775807\n", uint8(3))
	f.Add("a", "%%MatrixMarket matrix coordinate integer general\n1 3 1\n1 2 1e308\n1 2 1e308\n", uint8(3))
	f.Add("A\nB", "sample_id,parse_status,n_features,n_dropped,features\nA,ok,2,0,7:1 4294967295:3\nB,fail,,,\n", uint8(4))
	f.Add("A", "sample_id,parse_status,n_features,n_dropped,features\nA,ok,2,0,9:1 3:2\n", uint8(4))
	f.Add("", "id,train_df,train_total_count,radius\n3,1,1,0\n4294967295,2,2,3\n", uint8(5))
	f.Add("", "id,train_df,train_total_count,radius\n3,1,1,0\n3,2,2,3\n", uint8(5))
	f.Fuzz(func(t *testing.T, ids, data string, kind uint8) {
		rs := fuzzIDs(ids)
		var b *block
		var err error
		switch kind % 6 {
		case 0:
			b = &block{group: GroupRDKit}
			err = readDense(strings.NewReader(data), "fuzz.csv", rs, b, descriptorFormat)
		case 1:
			b = &block{group: GroupECFP4, sparse: true, ncol: ECFPBits}
			err = readECFP(strings.NewReader(data), "fuzz.csv", rs, b)
		case 2:
			b = &block{group: GroupDense}
			err = readDense(strings.NewReader(data), "fuzz.csv", rs, b, deepToxDenseFormat)
		case 3:
			b = &block{group: GroupSparse, sparse: true}
			err = readMatrixMarket(strings.NewReader(data), "fuzz.csv", len(rs.ids), b)
		case 4:
			// Count features, then remapped onto the vocabulary of the ids
			// they use, as Load does with the vocabulary file.
			b = &block{group: GroupECFPCounts, sparse: true}
			if err = readCounts(strings.NewReader(data), "fuzz.csv", rs, b); err == nil {
				used := map[uint32]bool{}
				for _, row := range b.rows {
					for _, e := range row {
						used[uint32(e.col)] = true
					}
				}
				vocab := slices.Sorted(maps.Keys(used))
				if len(vocab) == 0 {
					return
				}
				if err := remap(vocab, [2]*block{b, {group: GroupECFPCounts, sparse: true}}); err != nil {
					t.Fatalf("remap onto the ids used: %v", err)
				}
			}
		case 5:
			ids, err := readVocab(strings.NewReader(data), "fuzz.csv")
			if err != nil {
				fuzzErr(t, err, "fuzz.csv")
				return
			}
			var enc strings.Builder
			enc.WriteString("id,train_df,train_total_count,radius\n")
			for k, id := range ids {
				if k > 0 && id <= ids[k-1] {
					t.Fatalf("vocabulary ids %v not strictly ascending", ids)
				}
				fmt.Fprintf(&enc, "%d,1,1,0\n", id)
			}
			if again, err := readVocab(strings.NewReader(enc.String()), "fuzz.csv"); err != nil || !slices.Equal(again, ids) {
				t.Fatalf("vocabulary round trip: %v\n%v\n%v", err, ids, again)
			}
			return
		}
		if err != nil {
			fuzzErr(t, err, "fuzz.csv")
			return
		}
		n := len(rs.ids)
		if b.sparse {
			if len(b.rows) != n {
				t.Fatalf("%d sparse rows for %d IDs", len(b.rows), n)
			}
			for _, row := range b.rows {
				for k, e := range row {
					if e.col < 0 || e.col >= b.ncol || (k > 0 && e.col <= row[k-1].col) || math.IsNaN(e.val) {
						t.Fatalf("bad sparse row %v (ncol %d)", row, b.ncol)
					}
				}
			}
		} else if len(b.dense) != n*len(b.names) {
			t.Fatalf("%d dense values for %d IDs × %d columns", len(b.dense), n, len(b.names))
		}
		checkAssemble(t, rs, b)
	})
}

// TestMatrixMarketHostile: what FuzzFeatures's seeds found. A size line
// claiming 2^63 columns with an entry in the last one loads (the column
// statistics are kept per used column, not in arrays sized by the claim),
// and duplicate entries summing to infinity are an error naming the entry.
func TestMatrixMarketHostile(t *testing.T) {
	rs := fuzzIDs("a\nb")
	b := &block{group: GroupSparse, sparse: true}
	mm := "%%MatrixMarket matrix coordinate pattern general\n2 9223372036854775807 2\n2 9223372036854775807\n1 9223372036854775807\n"
	if err := readMatrixMarket(strings.NewReader(mm), "x.mtx", 2, b); err != nil {
		t.Fatal(err)
	}
	checkAssemble(t, rs, b)
	mm = "%%MatrixMarket matrix coordinate integer general\n1 3 2\n1 2 1e308\n1 2 1e308\n"
	err := readMatrixMarket(strings.NewReader(mm), "x.mtx", 1, &block{sparse: true})
	if want := "x.mtx: the entries of row 1, column 2 sum to +Inf"; err == nil || err.Error() != want {
		t.Errorf("got:%v want:%s", err, want)
	}
}
