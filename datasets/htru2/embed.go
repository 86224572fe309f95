package htru2

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed" // the compressed copy of HTRU_2.csv
	"encoding/hex"
	"fmt"
	"io"

	"github.com/selunet/selunet/datasets"
)

// EmbeddedFile is the name of the compressed copy of HTRU_2.csv built into
// the package (see Embedded and DATA-LICENSE.md beside it).
const EmbeddedFile = "HTRU_2.csv.gz"

//go:embed HTRU_2.csv.gz
var embedded []byte

// Embedded returns HTRU2 from the copy compiled into the package: the
// official HTRU_2.csv (CC BY 4.0, R. J. Lyon et al., MNRAS 2016; see
// DATA-LICENSE.md), gzip-compressed. The decompressed bytes are checked
// against SHA256 before they are parsed, so a damaged build fails with a
// *datasets.ChecksumError instead of training on wrong data.
func Embedded() (*datasets.Set, error) {
	raw, err := gunzipEmbedded(embedded)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(raw)
	if got := hex.EncodeToString(sum[:]); got != SHA256 {
		return nil, &datasets.ChecksumError{File: "embedded " + EmbeddedFile, Got: got, Want: SHA256}
	}
	return Read(bytes.NewReader(raw), "embedded "+File)
}

// gunzipEmbedded decompresses b, reading at most the size of the original
// file plus one byte (a bigger result is damage, not data).
func gunzipEmbedded(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, &datasets.ParseError{File: "embedded " + EmbeddedFile, Msg: "not a gzip stream", Err: err}
	}
	raw, err := io.ReadAll(io.LimitReader(zr, fileSize+1))
	if err != nil {
		return nil, &datasets.ParseError{File: "embedded " + EmbeddedFile, Msg: "damaged gzip stream", Err: err}
	}
	if len(raw) > fileSize {
		return nil, &datasets.ParseError{File: "embedded " + EmbeddedFile, Msg: fmt.Sprintf("decompresses to more than %d bytes", fileSize)}
	}
	return raw, nil
}
