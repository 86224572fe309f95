package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// wilcoxonCases are the samples of testdata/reference.py.
var wilcoxonCases = map[string][2][]float64{
	"untied10": {
		{1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30, 2.01},
		{0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29, 1.80},
	},
	"ties_zeros": {
		{0.81, 0.75, 0.90, 0.66, 0.70, 0.95, 0.88, 0.60, 0.71, 0.80, 0.77, 0.92},
		{0.79, 0.75, 0.85, 0.70, 0.68, 0.93, 0.83, 0.60, 0.73, 0.78, 0.77, 0.90},
	},
	"untied60": func() [2][]float64 {
		var x, y []float64
		for i := range 60 {
			x = append(x, float64((i*37)%61)/10)
			y = append(y, float64((i*11)%59)/10+0.123*float64(i%7))
		}
		return [2][]float64{x, y}
	}(),
}

// TestWilcoxonSciPy compares Wilcoxon with SciPy 1.10.1's
// scipy.stats.wilcoxon (Debian bookworm python3-scipy 1.10.1-2), whose
// statistic and p-value for each case were printed by
// "/usr/bin/python3 stats/testdata/reference.py" and pasted below. SciPy's
// statistic is min(W⁺, W⁻) for two-sided tests and W⁺ otherwise; its
// mode="exact" is used only for the untied case, where it is the classical
// exact distribution.
func TestWilcoxonSciPy(t *testing.T) {
	tests := []struct {
		name, zeros, mode, alt string
		correction             bool
		stat, p                float64
	}{
		{"untied10", "wilcox", "exact", "two-sided", true, 5.0, 0.01953125},
		{"untied10", "wilcox", "exact", "greater", true, 50.0, 0.009765625},
		{"untied10", "wilcox", "exact", "less", true, 50.0, 0.9931640625},
		{"untied10", "wilcox", "approx", "two-sided", true, 5.0, 0.024932455602863092},
		{"untied10", "wilcox", "approx", "two-sided", false, 5.0, 0.02182427562605354},
		{"untied10", "wilcox", "approx", "greater", true, 50.0, 0.012466227801431546},
		{"untied10", "wilcox", "approx", "greater", false, 50.0, 0.01091213781302677},
		{"untied10", "wilcox", "approx", "less", true, 50.0, 0.9904705541991348},
		{"untied10", "wilcox", "approx", "less", false, 50.0, 0.9890878621869732},
		{"ties_zeros", "wilcox", "approx", "two-sided", true, 11.5, 0.20866778769826422},
		{"ties_zeros", "wilcox", "approx", "two-sided", false, 11.5, 0.18780324754750977},
		{"ties_zeros", "wilcox", "approx", "greater", true, 33.5, 0.10433389384913211},
		{"ties_zeros", "wilcox", "approx", "greater", false, 33.5, 0.09390162377375488},
		{"ties_zeros", "wilcox", "approx", "less", true, 33.5, 0.9157398540145059},
		{"ties_zeros", "wilcox", "approx", "less", false, 33.5, 0.9060983762262451},
		{"ties_zeros", "pratt", "approx", "two-sided", true, 17.5, 0.15149399240422012},
		{"ties_zeros", "pratt", "approx", "two-sided", false, 17.5, 0.14045055380546123},
		{"ties_zeros", "pratt", "approx", "greater", true, 54.5, 0.07574699620211006},
		{"ties_zeros", "pratt", "approx", "greater", false, 54.5, 0.07022527690273062},
		{"ties_zeros", "pratt", "approx", "less", true, 54.5, 0.9349815305139115},
		{"ties_zeros", "pratt", "approx", "less", false, 54.5, 0.9297747230972694},
		{"untied60", "wilcox", "approx", "two-sided", true, 819.0, 0.6210290617095379},
		{"untied60", "wilcox", "approx", "two-sided", false, 819.0, 0.6183667526000327},
		{"untied60", "wilcox", "approx", "greater", true, 819.0, 0.6921452779396762},
		{"untied60", "wilcox", "approx", "greater", false, 819.0, 0.6908166236999836},
		{"untied60", "wilcox", "approx", "less", true, 819.0, 0.31051453085476893},
		{"untied60", "wilcox", "approx", "less", false, 819.0, 0.30918337630001635},
		{"untied60", "pratt", "approx", "two-sided", true, 845.0, 0.6114855695467458},
		{"untied60", "pratt", "approx", "two-sided", false, 845.0, 0.6089065731365568},
		{"untied60", "pratt", "approx", "greater", true, 845.0, 0.6968337854912473},
		{"untied60", "pratt", "approx", "greater", false, 845.0, 0.6955467134317216},
		{"untied60", "pratt", "approx", "less", true, 845.0, 0.3057427847733729},
		{"untied60", "pratt", "approx", "less", false, 845.0, 0.3044532865682784},
	}
	for _, tt := range tests {
		o := Options{NoContinuity: !tt.correction, Method: Normal}
		if tt.mode == "exact" {
			o.Method = Exact
		}
		if tt.zeros == "pratt" {
			o.Zeros = ZeroPratt
		}
		switch tt.alt {
		case "greater":
			o.Alternative = Greater
		case "less":
			o.Alternative = Less
		}
		c := wilcoxonCases[tt.name]
		r, err := Wilcoxon(c[0], c[1], o)
		if err != nil {
			t.Fatalf("%+v: %v", tt, err)
		}
		stat := r.V
		if tt.alt == "two-sided" {
			stat = math.Min(r.V, r.VMinus)
		}
		if stat != tt.stat || math.Abs(r.P-tt.p) > 1e-12*math.Max(1, tt.p) {
			t.Errorf("%s %s %s %s correction=%v: statistic %v, p %.17g; SciPy %v, %.17g", tt.name, tt.zeros, tt.mode, tt.alt, tt.correction, stat, r.P, tt.stat, tt.p)
		}
	}
}

// TestWilcoxonAuto checks R's method choice: exact for a small untied
// sample, normal with ties, zeros or n ≥ 50.
func TestWilcoxonAuto(t *testing.T) {
	for name, want := range map[string]Method{"untied10": Exact, "ties_zeros": Normal, "untied60": Normal} {
		c := wilcoxonCases[name]
		r, err := Wilcoxon(c[0], c[1], Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Method != want {
			t.Errorf("%s: method %v, want %v", name, r.Method, want)
		}
	}
	c := wilcoxonCases["ties_zeros"]
	r, _ := Wilcoxon(c[0], c[1], Options{})
	if r.N != 9 || r.Zeros != 3 {
		t.Errorf("ties_zeros: N %d, zeros %d; want 9, 3", r.N, r.Zeros)
	}
}

// TestWilcoxonExactBruteForce checks the exact p-values, with tied ranks
// and with Pratt's zeros too, against a direct enumeration of all 2ⁿ sign
// assignments.
func TestWilcoxonExactBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := 1 + rng.IntN(12)
		x, y := make([]float64, n), make([]float64, n)
		for i := range x {
			x[i] = float64(rng.IntN(7)) // small integers: ties and zeros
			y[i] = float64(rng.IntN(7))
		}
		for _, zm := range []ZeroMethod{ZeroWilcox, ZeroPratt} {
			for _, alt := range []Alternative{TwoSided, Greater, Less} {
				r, err := Wilcoxon(x, y, Options{Method: Exact, Zeros: zm, Alternative: alt})
				if err != nil {
					continue // all differences zero
				}
				want := bruteP(x, y, zm, alt)
				if math.Abs(r.P-want) > 1e-12 {
					t.Fatalf("trial %d %v %v zeros %v alt %v: p %v, enumeration %v", trial, x, y, zm, alt, r.P, want)
				}
			}
		}
	}
}

// bruteP enumerates the sign assignments of the nonzero ranks.
func bruteP(x, y []float64, zm ZeroMethod, alt Alternative) float64 {
	var d []float64
	for i := range x {
		if x[i] != y[i] || zm == ZeroPratt {
			d = append(d, x[i]-y[i])
		}
	}
	abs := make([]float64, len(d))
	for i := range d {
		abs[i] = math.Abs(d[i])
	}
	r := Ranks(abs)
	var ranks []float64
	v := 0.0
	for i := range d {
		if d[i] != 0 {
			ranks = append(ranks, r[i])
			if d[i] > 0 {
				v += r[i]
			}
		}
	}
	le, ge, total := 0, 0, 1<<len(ranks)
	for m := range total {
		s := 0.0
		for i, rk := range ranks {
			if m>>i&1 == 1 {
				s += rk
			}
		}
		if s <= v+1e-9 {
			le++
		}
		if s >= v-1e-9 {
			ge++
		}
	}
	pl, pg := float64(le)/float64(total), float64(ge)/float64(total)
	switch alt {
	case Greater:
		return pg
	case Less:
		return pl
	}
	return math.Min(1, 2*math.Min(pl, pg))
}

func TestWilcoxonErrors(t *testing.T) {
	tests := []struct {
		name string
		x, y []float64
		o    Options
	}{
		{"all zero", []float64{1, 2}, []float64{1, 2}, Options{}},
		{"NaN", []float64{1, math.NaN()}, []float64{0, 0}, Options{}},
		{"Inf", []float64{1, math.Inf(1)}, []float64{0, 0}, Options{}},
		{"exact too large", make([]float64, MaxExact+1), func() []float64 {
			y := make([]float64, MaxExact+1)
			for i := range y {
				y[i] = float64(i + 1)
			}
			return y
		}(), Options{Method: Exact}},
	}
	for _, tt := range tests {
		if _, err := Wilcoxon(tt.x, tt.y, tt.o); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("lengths differ: no panic")
		}
	}()
	Wilcoxon([]float64{1}, []float64{1, 2}, Options{})
}

// TestRanksSciPy compares Ranks with scipy.stats.rankdata (method
// "average", SciPy 1.10.1, printed by testdata/reference.py).
func TestRanksSciPy(t *testing.T) {
	got := Ranks([]float64{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5})
	want := []float64{4.5, 1.5, 6.0, 1.5, 8.0, 11.0, 3.0, 10.0, 8.0, 4.5, 8.0}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Ranks = %v, want %v", got, want)
		}
	}
}

func TestAverageRanks(t *testing.T) {
	tests := []struct {
		name   string
		scores [][]float64
		higher bool
		want   []float64
	}{
		{"no ties", [][]float64{{0.9, 0.8, 0.7}, {0.7, 0.9, 0.8}}, true, []float64{2, 1.5, 2.5}},
		{"ties", [][]float64{{0.9, 0.9, 0.7}, {0.5, 0.5, 0.5}}, true, []float64{1.75, 1.75, 2.5}},
		{"lower is better", [][]float64{{0.1, 0.2, 0.3}}, false, []float64{1, 2, 3}},
		{"empty", nil, true, nil},
	}
	for _, tt := range tests {
		got, err := AverageRanks(tt.scores, tt.higher)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if len(got) != len(tt.want) {
			t.Fatalf("%s: %v, want %v", tt.name, got, tt.want)
		}
		for i := range got {
			if math.Abs(got[i]-tt.want[i]) > 1e-15 {
				t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
				break
			}
		}
	}
	for _, bad := range [][][]float64{{{1, 2}, {1}}, {{1, math.NaN()}}, {{math.Inf(-1), 1}}} {
		if _, err := AverageRanks(bad, true); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}
