package datasets

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

func sha(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

func zipOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// server serves body at every path; truncate > 0 announces len(body) bytes but
// sends only truncate of them.
func server(t *testing.T, body []byte, status, truncate int, hits *atomic.Int32) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if status != 0 {
			http.Error(w, "nope", status)
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		if truncate > 0 {
			w.Write(body[:truncate])
			return // the server closes the connection: the client sees a short body
		}
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// listFiles returns every regular file under dir.
func listFiles(t *testing.T, dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

func TestLocatorDownload(t *testing.T) {
	t.Setenv(EnvDataDir, "")
	good := []byte("1,2,3\r4,5,6")
	other := []byte("readme")
	archive := zipOf(t, map[string][]byte{"HTRU2/data.csv": good, "Readme.txt": other})
	corrupt := zipOf(t, map[string][]byte{"data.csv": []byte("1,2,3\r4,5,7"), "Readme.txt": other})
	cases := []struct {
		body        []byte
		archiveSum  string
		fileSum     string
		status      int
		truncate    int
		url         string
		wantErr     error  // errors.Is target, or nil
		wantErrText string // substring, "" = success expected
	}{
		{archive, "", sha(good), 0, 0, "/ds/x.zip", nil, ""},                                                 // 0: verified member
		{archive, sha(archive), "", 0, 0, "/ds/x.zip", nil, ""},                                              // 1: verified archive, unverified member
		{corrupt, "", sha(good), 0, 0, "/ds/x.zip", ErrChecksum, "sha256"},                                   // 2: corrupted member
		{archive, sha(good), "", 0, 0, "/ds/x.zip", ErrChecksum, "sha256"},                                   // 3: archive checksum mismatch
		{archive, "", sha(good), 0, len(archive) / 2, "/ds/x.zip", nil, "truncated"},                         // 4: truncated response
		{archive[:len(archive)-30], "", "", 0, 0, "/ds/x.zip", nil, "not a valid zip"},                       // 5: truncated archive served in full
		{nil, "", "", 404, 0, "/ds/x.zip", nil, "404"},                                                       // 6: HTTP error
		{good, "", sha(good), 0, 0, "/ds/data.csv", nil, ""},                                                 // 7: plain file, not a zip
		{zipOf(t, map[string][]byte{"Readme.txt": good}), "", "", 0, 0, "/x.zip", nil, "no member data.csv"}, // 8: member missing, Readme rolled back
	}
	for i, c := range cases {
		var hits atomic.Int32
		srv := server(t, c.body, c.status, c.truncate, &hits)
		cache := t.TempDir()
		loc := Locator{CacheDir: cache, BaseURL: srv.URL}
		r := Remote{Name: "toy", URL: "https://example.invalid" + c.url, SHA256: c.archiveSum,
			Files: []RemoteFile{{Name: "data.csv", SHA256: c.fileSum}}}
		if strings.HasSuffix(c.url, ".zip") {
			r.Files = append([]RemoteFile{{Name: "Readme.txt"}}, r.Files...) // extracted first, rolled back on error
		}
		root, err := loc.Find(context.Background(), r, "data.csv")
		if c.wantErrText != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErrText) || (c.wantErr != nil && !errors.Is(err, c.wantErr)) {
				t.Errorf("case %d: got:%v want error containing %q", i, err, c.wantErrText)
			}
			if f := listFiles(t, cache); len(f) != 0 {
				t.Errorf("case %d: files left behind after error: %v", i, f)
			}
			continue
		}
		if err != nil {
			t.Fatalf("case %d: got:%v want:nil", i, err)
		}
		got, _ := os.ReadFile(filepath.Join(root, "data.csv"))
		if !bytes.Equal(got, good) {
			t.Errorf("case %d: got:%q want:%q", i, got, good)
		}
		log, _ := os.ReadFile(filepath.Join(root, "SOURCE.txt"))
		wantLog := "(verified)"
		if c.fileSum == "" {
			wantLog = "data.csv (unverified"
		}
		if !strings.Contains(string(log), wantLog) {
			t.Errorf("case %d: SOURCE.txt got:%q want it to contain %q", i, log, wantLog)
		}
		// A second Find is served from the cache.
		if _, err := loc.Find(context.Background(), r, "data.csv"); err != nil || hits.Load() != 1 {
			t.Errorf("case %d: cached Find got err:%v hits:%d want nil, 1", i, err, hits.Load())
		}
	}
}

func TestLocatorLocalAndOffline(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "toy"), 0o755)
	os.WriteFile(filepath.Join(dir, "toy", "a.csv"), []byte("x"), 0o644)
	r := Remote{Name: "toy", URL: "https://example.invalid/t.zip", Files: []RemoteFile{{Name: "a.csv"}, {Name: "b.csv"}}}
	ctx := context.Background()
	cases := []struct {
		env  string
		loc  Locator
		need string
		want string // substring of error, "" = success
	}{
		{"", Locator{Dir: dir}, "a.csv", ""},                                            // 0: explicit dir
		{dir, Locator{}, "a.csv", ""},                                                   // 1: env var
		{dir, Locator{}, "b.csv", "SELUNET_DATA_DIR"},                                   // 2: local copy incomplete
		{"", Locator{CacheDir: t.TempDir(), Offline: true}, "a.csv", "example.invalid"}, // 3: offline → hint names URL
	}
	for i, c := range cases {
		t.Setenv(EnvDataDir, c.env)
		root, err := c.loc.Find(ctx, r, c.need)
		if c.want == "" {
			if err != nil || root != filepath.Join(dir, "toy") {
				t.Errorf("case %d: got:%q,%v want:%q", i, root, err, filepath.Join(dir, "toy"))
			}
			continue
		}
		var nf *NotFoundError
		if !errors.As(err, &nf) || !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("case %d: got:%v want NotFoundError containing %q", i, err, c.want)
		}
	}
}

func TestDownloadCancelled(t *testing.T) {
	var hits atomic.Int32
	srv := server(t, []byte("x"), 0, 0, &hits)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	if _, _, err := Download(ctx, nil, srv.URL, dir, ""); err == nil || !errors.Is(err, context.Canceled) {
		t.Errorf("got:%v want context.Canceled", err)
	}
	if f := listFiles(t, dir); len(f) != 0 {
		t.Errorf("got files:%v want none", f)
	}
}
