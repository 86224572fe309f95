package datasets

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// Environment variables read by DataDir and CacheDir.
const (
	// EnvDataDir names a folder holding local copies of the data sets, laid out
	// as <dir>/htru2/HTRU_2.csv, <dir>/tox21/..., like the project's shared data.
	EnvDataDir = "SELUNET_DATA_DIR"
	// EnvCacheDir overrides the download cache folder.
	EnvCacheDir = "SELUNET_CACHE_DIR"
)

// maxDownload caps a download (bytes) so a misbehaving server cannot fill the disk.
const maxDownload = 4 << 30

// DataDir returns dir if it is not empty, else the value of SELUNET_DATA_DIR
// (possibly empty, meaning "no local copy: use the download cache").
func DataDir(dir string) string {
	if dir != "" {
		return dir
	}
	return os.Getenv(EnvDataDir)
}

// CacheDir returns the download cache folder: SELUNET_CACHE_DIR if set, else
// os.UserCacheDir()/selunet. It returns an error only if neither is available.
func CacheDir() (string, error) {
	if d := os.Getenv(EnvCacheDir); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("datasets: no cache folder (set %s): %w", EnvCacheDir, err)
	}
	return filepath.Join(d, "selunet"), nil
}

// Remote describes the official source of one data set.
//
// Name is the data set's sub-folder (e.g. "htru2") both in a data directory and
// in the cache. URL is the official address of either a .zip archive (the Files
// are extracted from it, matched by base name) or, when it does not end in
// ".zip", the single file Files[0]. SHA256 is the hex digest of what URL
// serves, "" when unknown. Each file's SHA256, if not "", is checked after
// extraction; files without one are recorded as "unverified" in the cache's
// SOURCE.txt.
type Remote struct {
	Name   string
	URL    string
	SHA256 string
	Files  []RemoteFile
}

// RemoteFile is one file that a Remote provides: its file name and, if known,
// its SHA-256 (hex).
type RemoteFile struct {
	Name   string
	SHA256 string
}

// Locator finds data files locally or downloads them.
//
// Dir is an explicit data directory (the -data-dir flag); "" falls back to
// SELUNET_DATA_DIR. CacheDir overrides the cache folder ("" = CacheDir()).
// BaseURL, if set (tests), replaces the scheme and host of every official URL
// and keeps its path. Client is the HTTP client (nil = http.DefaultClient).
// Offline forbids downloads. The zero Locator uses the environment and the
// official sources.
type Locator struct {
	Dir      string
	CacheDir string
	BaseURL  string
	Client   *http.Client
	Offline  bool
}

// Find returns the folder holding the files need (names relative to that
// folder, e.g. "HTRU_2.csv" or "derived/x.csv.gz") of the data set r.
//
// If a data directory is set (Locator.Dir or SELUNET_DATA_DIR) the folder is
// <dir>/<r.Name> and every needed file must exist there, else the error is a
// *NotFoundError; local files are not checksummed (the parsers validate them).
// Otherwise the folder is <cache>/<r.Name>: files already there are used (files
// with a known SHA-256 are re-verified); missing ones are downloaded from
// r.URL, verified and moved into place. Nothing half-written is left behind on
// any error. ctx bounds the download.
func (l Locator) Find(ctx context.Context, r Remote, need ...string) (string, error) {
	if d := DataDir(l.Dir); d != "" {
		root := filepath.Join(d, r.Name)
		for _, f := range need {
			p := filepath.Join(root, filepath.FromSlash(f))
			if _, err := os.Stat(p); err != nil {
				return "", &NotFoundError{Path: p, Hint: fmt.Sprintf(
					"the data directory %q (from the -data-dir flag or %s) must hold %s/%s; %s",
					d, EnvDataDir, r.Name, f, r.howTo())}
			}
		}
		return root, nil
	}
	cache := l.CacheDir
	if cache == "" {
		var err error
		if cache, err = CacheDir(); err != nil {
			return "", err
		}
	}
	root := filepath.Join(cache, r.Name)
	missing := false
	for _, f := range need {
		p := filepath.Join(root, filepath.FromSlash(f))
		if _, err := os.Stat(p); err != nil {
			missing = true
			break
		}
		if sum := r.sum(f); sum != "" {
			if err := VerifyFile(p, sum); err != nil {
				return "", fmt.Errorf("datasets: cached file damaged, delete it to download again: %w", err)
			}
		}
	}
	if !missing {
		return root, nil
	}
	if r.URL == "" || l.Offline {
		return "", &NotFoundError{Path: filepath.Join(root, need[0]), Hint: fmt.Sprintf(
			"set %s or the -data-dir flag to a folder holding %s/; %s", EnvDataDir, r.Name, r.howTo())}
	}
	for _, f := range need {
		if !r.has(f) {
			return "", fmt.Errorf("datasets: %s is not part of the %s download %s", f, r.Name, r.URL)
		}
	}
	if err := l.fetch(ctx, r, root); err != nil {
		if errors.Is(err, ErrChecksum) || ctx.Err() != nil {
			return "", err
		}
		return "", fmt.Errorf("%w\n(no network?) put the files in a data directory as %s/%s and pass -data-dir DIR or set %s=DIR; or set %s to a folder with %s/ already downloaded",
			err, r.Name, strings.Join(r.names(), ", "+r.Name+"/"), EnvDataDir, EnvCacheDir, r.Name)
	}
	return root, nil
}

// names lists the files of r.
func (r Remote) names() []string {
	out := make([]string, len(r.Files))
	for i, f := range r.Files {
		out[i] = f.Name
	}
	return out
}

func (r Remote) howTo() string {
	if r.URL == "" {
		return "no official download is known for these files"
	}
	return fmt.Sprintf("or leave both unset to download %s automatically", r.URL)
}

func (r Remote) sum(name string) string {
	for _, f := range r.Files {
		if f.Name == name {
			return f.SHA256
		}
	}
	return ""
}

func (r Remote) has(name string) bool {
	for _, f := range r.Files {
		if f.Name == name {
			return true
		}
	}
	return false
}

func (l Locator) url(official string) (string, error) {
	if l.BaseURL == "" {
		return official, nil
	}
	u, err := url.Parse(official)
	if err != nil {
		return "", err
	}
	b, err := url.Parse(l.BaseURL)
	if err != nil {
		return "", fmt.Errorf("datasets: bad BaseURL %q: %w", l.BaseURL, err)
	}
	u.Scheme, u.Host = b.Scheme, b.Host
	return u.String(), nil
}

// fetch downloads r into root, verifying what it can.
func (l Locator) fetch(ctx context.Context, r Remote, root string) error {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	u, err := l.url(r.URL)
	if err != nil {
		return err
	}
	tmp, sum, err := Download(ctx, l.Client, u, root, r.SHA256)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	var log strings.Builder
	fmt.Fprintf(&log, "source: %s\nfetched: %s\nsha256 %s  %s (%s)\n", r.URL, time.Now().UTC().Format(time.RFC3339),
		sum, path.Base(r.URL), verified(r.SHA256))
	if !strings.HasSuffix(strings.ToLower(r.URL), ".zip") {
		if len(r.Files) != 1 {
			return fmt.Errorf("datasets: %s is not a zip archive but %d files are expected", r.URL, len(r.Files))
		}
		f := r.Files[0]
		if f.SHA256 != "" && f.SHA256 != r.SHA256 {
			if err := VerifyFile(tmp, f.SHA256); err != nil {
				return err
			}
		}
		if err := os.Rename(tmp, filepath.Join(root, f.Name)); err != nil {
			return fmt.Errorf("datasets: %w", err)
		}
		fmt.Fprintf(&log, "sha256 %s  %s (%s)\n", sum, f.Name, verified(f.SHA256))
	} else if err := extract(tmp, u, root, r.Files, &log); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(root, "SOURCE.txt"), []byte(log.String()))
}

func verified(sum string) string {
	if sum == "" {
		return "unverified: no published checksum"
	}
	return "verified"
}

// extract copies the members files of the zip archive at zipPath into root,
// verifying each one with a known checksum before renaming it into place.
// Members are matched by base name; macOS resource forks are skipped.
func extract(zipPath, name, root string, files []RemoteFile, log *strings.Builder) (err error) {
	var done []string
	defer func() {
		if err != nil { // roll back: an archive is installed whole or not at all
			for _, p := range done {
				os.Remove(p)
			}
		}
	}()
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return &ParseError{File: name, Msg: "not a valid zip archive (truncated download?)", Err: err}
	}
	defer zr.Close()
	for _, want := range files {
		var m *zip.File
		for _, f := range zr.File {
			if !strings.Contains(f.Name, "__MACOSX") && path.Base(f.Name) == path.Base(want.Name) && !f.FileInfo().IsDir() {
				m = f
				break
			}
		}
		if m == nil {
			return &ParseError{File: name, Msg: fmt.Sprintf("archive has no member %s", want.Name)}
		}
		dst := filepath.Join(root, filepath.FromSlash(want.Name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("datasets: %w", err)
		}
		rc, err := m.Open()
		if err != nil {
			return &ParseError{File: name, Msg: "cannot open member " + m.Name, Err: err}
		}
		sum, err := copyVerified(rc, dst, name+":"+m.Name, want.SHA256)
		rc.Close()
		if err != nil {
			return err
		}
		done = append(done, dst)
		fmt.Fprintf(log, "sha256 %s  %s (%s)\n", sum, want.Name, verified(want.SHA256))
	}
	return nil
}

// copyVerified streams r into a temp file next to dst, checks its SHA-256
// against want (if not ""), and renames it to dst. On any error the temp file
// is removed. It returns the hex digest.
func copyVerified(r io.Reader, dst, label, want string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(dst), ".part-*")
	if err != nil {
		return "", fmt.Errorf("datasets: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(f, h), r); err != nil {
		return "", &ParseError{File: label, Msg: "reading failed (corrupt archive member?)", Err: err}
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if want != "" && !strings.EqualFold(sum, want) {
		return "", &ChecksumError{File: label, Got: sum, Want: want}
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("datasets: %w", err)
	}
	if err := os.Rename(f.Name(), dst); err != nil {
		return "", fmt.Errorf("datasets: %w", err)
	}
	ok = true
	return sum, nil
}

// Download fetches rawURL into a new temporary file in dir and returns its
// path and hex SHA-256. If want is not "", a different digest is a
// *ChecksumError. A non-200 status, a body shorter than its Content-Length or a
// cancelled ctx is an error. On error no file is left behind; on success the
// caller owns (and should rename or remove) the file. client nil means
// http.DefaultClient.
func Download(ctx context.Context, client *http.Client, rawURL, dir, want string) (tmp, sum string, err error) {
	if client == nil {
		client = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return "", "", fmt.Errorf("datasets: %w", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", "", fmt.Errorf("datasets: download %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", "", fmt.Errorf("datasets: download %s: HTTP status %s", rawURL, resp.Status)
	}
	f, err := os.CreateTemp(dir, ".download-*")
	if err != nil {
		return "", "", fmt.Errorf("datasets: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(resp.Body, maxDownload+1))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return "", "", fmt.Errorf("datasets: download %s truncated after %d bytes: %w", rawURL, n, err)
		}
		return "", "", fmt.Errorf("datasets: download %s: %w", rawURL, err)
	}
	if n > maxDownload {
		return "", "", fmt.Errorf("datasets: download %s exceeds %d bytes", rawURL, int64(maxDownload))
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return "", "", fmt.Errorf("datasets: download %s truncated: got %d of %d bytes: %w", rawURL, n, resp.ContentLength, io.ErrUnexpectedEOF)
	}
	sum = hex.EncodeToString(h.Sum(nil))
	if want != "" && !strings.EqualFold(sum, want) {
		return "", "", &ChecksumError{File: rawURL, Got: sum, Want: want}
	}
	if err = f.Close(); err != nil {
		return "", "", fmt.Errorf("datasets: %w", err)
	}
	return f.Name(), sum, nil
}

// VerifyFile checks that the file at p has the hex SHA-256 want; a mismatch is
// a *ChecksumError.
func VerifyFile(p, want string) error {
	f, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("datasets: reading %s: %w", p, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); !strings.EqualFold(got, want) {
		return &ChecksumError{File: p, Got: got, Want: want}
	}
	return nil
}

func writeAtomic(p string, data []byte) error {
	_, err := copyVerified(strings.NewReader(string(data)), p, p, "")
	return err
}
