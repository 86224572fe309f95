// Package csvtest reads CSV files that tests check: a file a command under
// test wrote, read back whole with encoding/csv.
package csvtest

import (
	"encoding/csv"
	"os"
	"testing"
)

// ReadFile returns the records of the CSV file at path; it stops the test
// with t.Fatal when the file cannot be opened or is not valid CSV.
func ReadFile(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}
