package selfnorm

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"
)

// TestSelfNormalization: 10,000 N(0,1) samples through 32 SELU layers of width
// 256 stay within mean ±0.05 and variance [0.9, 1.1] at every layer, without
// and with alpha dropout 0.1 (bounds from the brief; Theorem 1 of the paper).
func TestSelfNormalization(t *testing.T) {
	const tolMean, minVar, maxVar = 0.05, 0.9, 1.1
	cases := []Config{
		{Depth: 32, Width: 256, Samples: 10000, Seed: 1},               // 0
		{Depth: 32, Width: 256, Samples: 10000, Seed: 2, Dropout: 0.1}, // 1
	}
	for i, c := range cases {
		t.Run(fmt.Sprintf("case%d", i), func(t *testing.T) {
			t.Parallel() // the two runs use both cores
			stats, err := Run(c)
			if err != nil {
				t.Fatal(err)
			}
			if len(stats) != c.Depth+1 {
				t.Fatalf("%d: got:%d stats want:%d", i, len(stats), c.Depth+1)
			}
			for _, s := range stats {
				if math.Abs(s.Mean) > tolMean || s.Variance < minVar || s.Variance > maxVar {
					t.Errorf("%d layer %d: got:mean %.4f var %.4f want:|mean|<=%v var in [%v,%v]", i, s.Layer, s.Mean, s.Variance, tolMean, minVar, maxVar)
				}
			}
		})
	}
}

// TestDeterministicAndJSON: equal configs give equal results; the result
// encodes to JSON; float64 and a chunk remainder work.
func TestDeterministicAndJSON(t *testing.T) {
	c := Config{Depth: 3, Width: 16, Samples: ChunkRows + 5, Seed: 4, Dropout: 0.05, Dtype: "float64"}
	a, err := Run(c)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Run(c)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("layer %d: got:%v want:%v", i, b[i], a[i])
		}
	}
	js, err := json.Marshal(a[:1])
	if err != nil {
		t.Fatal(err)
	}
	var back []LayerStat
	if err := json.Unmarshal(js, &back); err != nil || back[0] != a[0] {
		t.Errorf("JSON round trip got:%v want:%v (%v)", back, a[:1], err)
	}
}

// TestValidate: each invalid field is an error.
func TestValidate(t *testing.T) {
	ok := Config{Depth: 1, Width: 1, Samples: 1}
	cases := []func(c *Config){
		func(c *Config) { c.Depth = 0 },       // 0
		func(c *Config) { c.Width = -1 },      // 1
		func(c *Config) { c.Samples = 0 },     // 2
		func(c *Config) { c.Dropout = 1 },     // 3
		func(c *Config) { c.Dtype = "int" },   // 4
		func(c *Config) { c.Dropout = -0.01 }, // 5
	}
	for i, f := range cases {
		c := ok
		f(&c)
		if _, err := Run(c); err == nil {
			t.Errorf("%d: got:nil want:error", i)
		}
	}
	if _, err := Run(ok); err != nil {
		t.Errorf("valid config: got:%v want:nil", err)
	}
}

// BenchmarkRun: the test configuration, and (name "refbench") the PyTorch
// refbench configuration (10,000 samples, width 1024, 64 layers; PyTorch's
// time for it is in bench/PERFORMANCE.md).
func BenchmarkRun(b *testing.B) {
	cases := []struct {
		name string
		cfg  Config
	}{
		{"test-d32-w256", Config{Depth: 32, Width: 256, Samples: 10000, Seed: 1}},
		{"test-d32-w256-drop0.1", Config{Depth: 32, Width: 256, Samples: 10000, Seed: 1, Dropout: 0.1}},
		{"refbench-d64-w1024", Config{Depth: 64, Width: 1024, Samples: 10000, Seed: 1}},
		{"refbench-d64-w1024-drop0.1", Config{Depth: 64, Width: 1024, Samples: 10000, Seed: 1, Dropout: 0.1}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Run(c.cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
