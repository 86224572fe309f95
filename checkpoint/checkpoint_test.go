package checkpoint_test

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/selunet/selunet/checkpoint"
)

func sample() *checkpoint.Checkpoint {
	return &checkpoint.Checkpoint{
		Tensors: []checkpoint.Tensor{
			{Name: "w0", Shape: []int{2, 3}, Data: []float32{1, -2, 3.5, float32(math.Inf(1)), 0, -0.25}},
			{Name: "b0", Shape: []int{3}, Data: []float64{0.1, math.NaN(), math.SmallestNonzeroFloat64}},
			{Name: "scalar", Shape: []int{}, Data: []float64{42}},
			{Name: "empty", Shape: []int{0, 4}, Data: []float32{}},
		},
		Blobs: map[string][]byte{"rng": {1, 2, 3}, "loop": []byte(`{"epoch":3}`), "none": {}},
		Meta:  map[string]string{"epoch": "3", "config": "model: {layers: 8}"},
	}
}

// sameBits compares float data bit for bit (so NaN equals NaN).
func sameBits(a, b any) bool {
	switch x := a.(type) {
	case []float32:
		y, ok := b.([]float32)
		return ok && slices.EqualFunc(x, y, func(p, q float32) bool { return math.Float32bits(p) == math.Float32bits(q) })
	case []float64:
		y, ok := b.([]float64)
		return ok && slices.EqualFunc(x, y, func(p, q float64) bool { return math.Float64bits(p) == math.Float64bits(q) })
	}
	return false
}

func equalCheckpoints(t *testing.T, got, want *checkpoint.Checkpoint) {
	t.Helper()
	if len(got.Tensors) != len(want.Tensors) {
		t.Fatalf("tensors: got:%d want:%d", len(got.Tensors), len(want.Tensors))
	}
	for i := range want.Tensors {
		g, w := got.Tensors[i], want.Tensors[i]
		if g.Name != w.Name || !reflect.DeepEqual(g.Shape, w.Shape) || !sameBits(g.Data, w.Data) {
			t.Errorf("tensor %d: got:%+v want:%+v", i, g, w)
		}
	}
	if !reflect.DeepEqual(got.Blobs, want.Blobs) {
		t.Errorf("blobs: got:%v want:%v", got.Blobs, want.Blobs)
	}
	if !reflect.DeepEqual(got.Meta, want.Meta) {
		t.Errorf("meta: got:%v want:%v", got.Meta, want.Meta)
	}
}

// TestRoundTrip: Save then Load gives the same tensors (bit for bit, NaN
// and Inf included), blobs and metadata; writing twice gives equal bytes.
func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ck.bin")
	want := sample()
	if err := checkpoint.Save(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := checkpoint.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	equalCheckpoints(t, got, want)
	var a, b bytes.Buffer
	if err := checkpoint.Write(&a, want); err != nil {
		t.Fatal(err)
	}
	if err := checkpoint.Write(&b, want); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("Write is not deterministic")
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o644 {
		t.Errorf("perm got:%v want:%v", st.Mode().Perm(), os.FileMode(0o644))
	}
	// An empty checkpoint round-trips too, with non-nil maps.
	var e bytes.Buffer
	if err := checkpoint.Write(&e, &checkpoint.Checkpoint{}); err != nil {
		t.Fatal(err)
	}
	ec, err := checkpoint.Read(&e, "empty")
	if err != nil || ec.Blobs == nil || ec.Meta == nil || len(ec.Tensors) != 0 {
		t.Errorf("empty: got:%+v err:%v", ec, err)
	}
}

// TestCorruption: every damaged variant of a valid file is rejected with a
// CorruptError naming the file and the reason.
func TestCorruption(t *testing.T) {
	var buf bytes.Buffer
	if err := checkpoint.Write(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	flip := func(i int) []byte {
		b := append([]byte{}, good...)
		b[i] ^= 0x40
		return b
	}
	cases := []struct {
		data []byte
		want string
	}{
		{good[:len(good)-1], "truncated: "},                                   // 0: last byte missing
		{good[:len(good)/2], "truncated: "},                                   // 1: half written
		{good[:5], "truncated: 5 bytes"},                                      // 2: only part of the magic
		{nil, "truncated: 0 bytes"},                                           // 3: empty file
		{flip(len(good) - 40), "checksum mismatch"},                           // 4: payload bit flip
		{flip(len(good) - 1), "checksum mismatch"},                            // 5: checksum bit flip
		{[]byte("model:\n  layers: 8\n"), "not a selunet checkpoint"},         // 6: a YAML file
		{append(append([]byte{}, good...), 0), "1 unexpected trailing bytes"}, // 7: extra byte
		{append(append(append([]byte{}, good[:8]...), 2, 0, 0, 0), good[12:]...), "unsupported format version 2"}, // 8: future version
	}
	for i, c := range cases {
		_, err := checkpoint.Read(bytes.NewReader(c.data), "run/ck.bin")
		if err == nil {
			t.Errorf("case %d: got:nil want:%q", i, c.want)
			continue
		}
		if !errors.Is(err, checkpoint.ErrCorrupt) {
			t.Errorf("case %d: got:%v, not ErrCorrupt", i, err)
		}
		if !strings.HasPrefix(err.Error(), "checkpoint: run/ck.bin: corrupted checkpoint: "+c.want) {
			t.Errorf("case %d: got:%v want prefix:%q", i, err, c.want)
		}
	}
}

// TestSaveInvalid: bad content is refused before the file is touched.
func TestSaveInvalid(t *testing.T) {
	cases := []struct {
		c    *checkpoint.Checkpoint
		want string
	}{
		{&checkpoint.Checkpoint{Tensors: []checkpoint.Tensor{{Name: "a", Shape: []int{2}, Data: []float32{1}}}}, `tensor "a": shape [2] needs 2 elements, data has 1`}, // 0
		{&checkpoint.Checkpoint{Tensors: []checkpoint.Tensor{{Name: "a", Data: []int{1}}}}, `tensor "a": data must be []float32 or []float64, got []int`},              // 1
		{&checkpoint.Checkpoint{Tensors: []checkpoint.Tensor{{Name: "a", Data: []float32{1}}, {Name: "a", Data: []float32{1}}}}, `duplicate tensor name "a"`},          // 2
		{&checkpoint.Checkpoint{Tensors: []checkpoint.Tensor{{Data: []float32{1}}}}, `tensor 0 has no name`},                                                           // 3
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "ck.bin")
	for i, c := range cases {
		err := checkpoint.Save(path, c.c)
		want := "checkpoint: " + path + ": " + c.want
		if err == nil || err.Error() != want {
			t.Errorf("case %d: got:%v want:%v", i, err, want)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("files left: got:%v want:none", ents)
	}
}

// TestWriteFileAtomicFailure simulates a save that dies midway (error or
// panic after half the data): the old file stays intact and no temporary
// file is left.
func TestWriteFileAtomicFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.bin")
	if err := os.WriteFile(path, []byte("old content"), 0o600); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	cases := []struct {
		write  func(w io.Writer) error
		panics bool
	}{
		{func(w io.Writer) error { w.Write([]byte("new half")); return boom }, false},               // 0: error
		{func(w io.Writer) error { w.Write(bytes.Repeat([]byte("x"), 3<<20)); return boom }, false}, // 1: error after a flush
		{func(w io.Writer) error { w.Write([]byte("new half")); panic("killed") }, true},            // 2: panic
	}
	for i, c := range cases {
		func() {
			defer func() {
				if r := recover(); (r != nil) != c.panics {
					t.Errorf("case %d: panic got:%v want:%v", i, r, c.panics)
				}
			}()
			err := checkpoint.WriteFileAtomic(path, c.write, 0o644)
			if !errors.Is(err, boom) {
				t.Errorf("case %d: got:%v want:%v", i, err, boom)
			}
		}()
		if b, _ := os.ReadFile(path); string(b) != "old content" {
			t.Errorf("case %d: content got:%q want:%q", i, b, "old content")
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 1 {
			t.Errorf("case %d: dir got:%v want:[state.bin]", i, ents)
		}
	}
	// A successful write replaces the content.
	if err := checkpoint.WriteFileAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }, 0o644); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("got:%q want:%q", b, "new")
	}
}

// TestKillDuringSave really kills (SIGKILL) a process in the middle of Save:
// the child writes half a checkpoint, reports it on stdout and blocks; the
// parent kills it and checks that the previous checkpoint still loads.
func TestKillDuringSave(t *testing.T) {
	if path := os.Getenv("CHECKPOINT_KILL_HELPER"); path != "" {
		checkpoint.WriteFileAtomic(path, func(w io.Writer) error {
			w.Write(bytes.Repeat([]byte{0xAB}, 2<<20)) // beyond the buffer: reaches the temp file
			os.Stdout.WriteString("half\n")
			select {} // wait to be killed
		}, 0o644)
		return
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "ck.bin")
	want := sample()
	if err := checkpoint.Save(path, want); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillDuringSave$")
	cmd.Env = append(os.Environ(), "CHECKPOINT_KILL_HELPER="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	cmd.Process.Kill()
	cmd.Wait()
	if line != "half\n" {
		t.Fatalf("helper got:%q want:%q", line, "half\n")
	}
	got, err := checkpoint.Load(path)
	if err != nil {
		t.Fatalf("after kill: got:%v want:nil", err)
	}
	equalCheckpoints(t, got, want)
	// The killed process leaves its temporary file; it never replaces path.
	tmps, _ := filepath.Glob(filepath.Join(dir, ".ck.bin.tmp-*"))
	if len(tmps) != 1 {
		t.Errorf("temp files got:%v want:1", tmps)
	}
}

// TestJSONBlobs: SetJSON/JSON helpers and Find.
func TestJSONBlobs(t *testing.T) {
	type loop struct {
		Epoch int     `json:"epoch"`
		Best  float64 `json:"best"`
	}
	var c checkpoint.Checkpoint
	if err := c.SetJSON("loop", loop{Epoch: 4, Best: 0.25}); err != nil {
		t.Fatal(err)
	}
	var got loop
	if err := c.JSON("loop", &got); err != nil || got != (loop{4, 0.25}) {
		t.Errorf("got:%+v err:%v want:{4 0.25}", got, err)
	}
	if err := c.JSON("missing", &got); err == nil || err.Error() != `checkpoint: no blob "missing"` {
		t.Errorf("got:%v want:%v", err, `checkpoint: no blob "missing"`)
	}
	if _, ok := sample().Find("b0"); !ok {
		t.Errorf("Find(b0) got:false want:true")
	}
	if _, ok := (*checkpoint.Checkpoint)(nil).Find("b0"); ok {
		t.Errorf("nil Find got:true want:false")
	}
}

func BenchmarkSave(b *testing.B) {
	data := make([]float32, 1<<20) // 4 MiB of parameters
	for i := range data {
		data[i] = float32(i) * 1e-3
	}
	c := &checkpoint.Checkpoint{Tensors: []checkpoint.Tensor{{Name: "w", Shape: []int{1024, 1024}, Data: data}}}
	path := filepath.Join(b.TempDir(), "ck.bin")
	b.SetBytes(4 << 20)
	for b.Loop() {
		if err := checkpoint.Save(path, c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	data := make([]float32, 1<<20)
	c := &checkpoint.Checkpoint{Tensors: []checkpoint.Tensor{{Name: "w", Shape: []int{1024, 1024}, Data: data}}}
	path := filepath.Join(b.TempDir(), "ck.bin")
	if err := checkpoint.Save(path, c); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(4 << 20)
	for b.Loop() {
		if _, err := checkpoint.Load(path); err != nil {
			b.Fatal(err)
		}
	}
}
