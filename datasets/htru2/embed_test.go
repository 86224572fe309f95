package htru2

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/selunet/selunet/datasets"
)

// TestEmbedded checks the built-in copy against the published sizes and,
// when the data directory has the file, against it value by value.
func TestEmbedded(t *testing.T) {
	s, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	pos, _, _ := s.Counts(0)
	if s.N != Rows || s.D != Features || pos != Positives {
		t.Fatalf("got N:%d D:%d pos:%d want %d %d %d", s.N, s.D, pos, Rows, Features, Positives)
	}
	if d := os.Getenv(datasets.EnvDataDir); d != "" {
		if _, err := os.Stat(filepath.Join(d, "htru2", File)); err == nil {
			f, err := ReadFile(filepath.Join(d, "htru2", File))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(f.X, s.X) || !slices.Equal(f.Y, s.Y) {
				t.Error("embedded copy differs from the data directory's HTRU_2.csv")
			}
		}
	}
}

// TestEmbeddedDamage: a flipped byte in the compressed copy is caught by
// gzip's CRC or by the SHA-256 check, never parsed.
func TestEmbeddedDamage(t *testing.T) {
	orig := embedded
	defer func() { embedded = orig }()
	for i, at := range []int{len(orig) / 2, 20, len(orig) - 5} {
		embedded = bytes.Clone(orig)
		embedded[at] ^= 0x10
		if _, err := Embedded(); err == nil {
			t.Errorf("%d: byte %d flipped: no error", i, at)
		}
	}
	embedded = orig[:len(orig)/3]
	if _, err := Embedded(); err == nil {
		t.Error("truncated copy: no error")
	}
}

// TestLoadFallback: without a data directory or a cached copy, Load uses
// the built-in copy and writes nothing; a damaged cached copy is an error.
func TestLoadFallback(t *testing.T) {
	t.Setenv(datasets.EnvDataDir, "")
	cache := t.TempDir()
	s, err := LoadContext(context.Background(), datasets.Locator{CacheDir: cache, Offline: true})
	if err != nil || s.N != Rows {
		t.Fatalf("got %v, want the embedded %d rows", err, Rows)
	}
	if ents, _ := os.ReadDir(cache); len(ents) != 0 {
		t.Errorf("cache got %d entries want:0", len(ents))
	}
	// A data directory without htru2/ falls back too.
	if s, err := LoadContext(context.Background(), datasets.Locator{Dir: t.TempDir(), CacheDir: cache}); err != nil || s.N != Rows {
		t.Errorf("empty data directory: got %v want the embedded rows", err)
	}
	os.MkdirAll(filepath.Join(cache, "htru2"), 0o755)
	os.WriteFile(filepath.Join(cache, "htru2", File), []byte(row+"\r"), 0o644)
	_, err = LoadContext(context.Background(), datasets.Locator{CacheDir: cache})
	if !errors.Is(err, datasets.ErrChecksum) {
		t.Errorf("damaged cache: got %v want ErrChecksum", err)
	}
}
