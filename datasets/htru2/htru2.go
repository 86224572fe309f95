package htru2

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"os"
	pathpkg "path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/datasets/internal/textio"
)

// Official source and checksum of the data file.
const (
	// URL is the UCI archive holding HTRU_2.csv.
	URL = "https://archive.ics.uci.edu/ml/machine-learning-databases/00372/HTRU2.zip"
	// File is the data file's name inside the archive and the data directory.
	File = "HTRU_2.csv"
	// ZipFile is the archive's name; Load also accepts <dir>/htru2/HTRU2.zip.
	ZipFile = "HTRU2.zip"
	// SHA256 is the digest of the original HTRU_2.csv (1,730,114 bytes).
	SHA256 = "b13b4d8929e96ecd196e464c1c8a454c3ac2ffa631015f6388957531a9923f59"
	// Rows, Positives and Features are the sizes of the original file.
	Rows      = 17898
	fileSize  = 1730114
	Positives = 1639
	Features  = 8
)

// FeatureNames lists the 8 columns in file order (ARFF naming, snake case).
var FeatureNames = []string{
	"ip_mean", "ip_std", "ip_skewness", "ip_kurtosis",
	"dm_mean", "dm_std", "dm_skewness", "dm_kurtosis",
}

// Remote describes the official download for datasets.Locator.
func Remote() datasets.Remote {
	return datasets.Remote{Name: "htru2", URL: URL, Files: []datasets.RemoteFile{{Name: File, SHA256: SHA256}}}
}

// Load reads HTRU2 (see LoadContext) from the data directory dir, where
// "" means SELUNET_DATA_DIR. It never fails for want of a local copy.
func Load(dir string) (*datasets.Set, error) {
	return LoadContext(context.Background(), datasets.Locator{Dir: dir})
}

// LoadContext reads HTRU2 from the first place that has it, and never
// downloads anything:
//
//  1. the data directory (loc.Dir, else SELUNET_DATA_DIR): <dir>/htru2/HTRU_2.csv,
//     or the UCI archive <dir>/htru2/HTRU2.zip;
//  2. the download cache (loc.CacheDir, else datasets.CacheDir()):
//     <cache>/htru2/HTRU_2.csv, verified against SHA256;
//  3. the copy built into the package (Embedded), verified against SHA256.
//
// A damaged file found in 1 or 2 is an error, not a reason to fall back.
// ctx is unused (kept so every loader has the same signature).
func LoadContext(ctx context.Context, loc datasets.Locator) (*datasets.Set, error) {
	if d := datasets.DataDir(loc.Dir); d != "" {
		csv, zp := filepath.Join(d, "htru2", File), filepath.Join(d, "htru2", ZipFile)
		if _, err := os.Stat(csv); err == nil {
			return ReadFile(csv)
		}
		if _, err := os.Stat(zp); err == nil {
			return ReadZip(zp)
		}
	}
	cache := loc.CacheDir
	if cache == "" {
		cache, _ = datasets.CacheDir() // no cache folder: nothing cached
	}
	if cache != "" {
		p := filepath.Join(cache, "htru2", File)
		if _, err := os.Stat(p); err == nil {
			if err := datasets.VerifyFile(p, SHA256); err != nil {
				return nil, fmt.Errorf("htru2: cached file damaged, delete it to use the built-in copy: %w", err)
			}
			return ReadFile(p)
		}
	}
	return Embedded()
}

// ReadZip reads HTRU_2.csv from the UCI archive at path (member matched by
// base name).
func ReadZip(path string) (*datasets.Set, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, &datasets.ParseError{File: filepath.Base(path), Msg: "not a valid zip archive", Err: err}
	}
	defer zr.Close()
	for _, f := range zr.File {
		if pathpkg.Base(f.Name) == File && !strings.Contains(f.Name, "__MACOSX") {
			rc, err := f.Open()
			if err != nil {
				return nil, &datasets.ParseError{File: filepath.Base(path), Msg: "cannot open " + f.Name, Err: err}
			}
			defer rc.Close()
			return Read(rc, filepath.Base(path)+":"+f.Name)
		}
	}
	return nil, &datasets.ParseError{File: filepath.Base(path), Msg: "archive has no member " + File}
}

// ReadFile reads an HTRU2 CSV file (see Read).
func ReadFile(path string) (*datasets.Set, error) {
	f, err := textio.Open(path, "download "+URL+" or set "+datasets.EnvDataDir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, filepath.Base(path))
}

// Read parses HTRU2 rows from r: 9 comma-separated fields per line (8 finite
// features, then the class 0 or 1), no header, any line ending. Blank lines
// are skipped. name is used in errors, which are *datasets.ParseError values
// naming the line and column. The result has T = 1, Classes = 0, nil Mask, and
// IDs "row<k>" (1-based line numbers) so folds can be traced back to the file.
func Read(r io.Reader, name string) (*datasets.Set, error) {
	lr := textio.NewReader(r, name)
	s := &datasets.Set{D: Features, T: 1, FeatureNames: FeatureNames, TaskNames: []string{"pulsar"}}
	s.X = make([]float64, 0, Rows*Features)
	s.Y = make([]float64, 0, Rows)
	err := lr.Records(textio.Layout{Sep: ',', Fields: Features + 1, Note: " (8 features and the class)", NonEmpty: true}, func(f []string) error {
		for c := 0; c < Features; c++ {
			v, err := lr.Float(f[c], c+1, FeatureNames[c])
			if err != nil {
				return err
			}
			s.X = append(s.X, v)
		}
		switch f[Features] {
		case "0":
			s.Y = append(s.Y, 0)
		case "1":
			s.Y = append(s.Y, 1)
		default:
			return lr.Errorf(Features+1, "class", "label %q, want 0 or 1", f[Features])
		}
		s.IDs = append(s.IDs, "row"+strconv.Itoa(lr.Line()))
		s.N++
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}
