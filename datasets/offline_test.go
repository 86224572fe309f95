package datasets

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestDownloadFailureSaysWhatToDo: when the download cannot be made (no
// network: here a server that is already closed) the error says how to
// provide the files instead.
func TestDownloadFailureSaysWhatToDo(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	t.Setenv(EnvDataDir, "")
	r := Remote{Name: "demo", URL: "https://example.org/demo.zip", Files: []RemoteFile{{Name: "a.csv"}, {Name: "b.csv"}}}
	_, err := Locator{CacheDir: t.TempDir(), BaseURL: url}.Find(context.Background(), r, "a.csv")
	for _, want := range []string{"download", "demo/a.csv, demo/b.csv", "-data-dir DIR", EnvDataDir} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v want it to contain %q", err, want)
		}
	}
}
