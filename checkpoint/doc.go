// Package checkpoint saves and restores training state crash-safely.
//
// WriteFileAtomic is the building block: it writes a temporary file in the
// target's directory, fsyncs it, renames it over the target and fsyncs the
// directory, so a reader (or a resumed run after a crash) sees either the
// old file or the complete new one, never a mix. experiment, sweep, plots
// and cmd/train use it for every file they write into a run or sweep
// directory.
//
// A Checkpoint holds named float32/float64 tensors (model parameters, solver
// moment estimates), named byte blobs (RNG states from
// math/rand/v2 PCG.MarshalBinary, the loop state as JSON via SetJSON) and
// string metadata. Save writes it atomically; Load reads it back and
// detects damage.
//
//	ck := &checkpoint.Checkpoint{Meta: map[string]string{"epoch": "12"}}
//	ck.Tensors = append(ck.Tensors, checkpoint.Tensor{Name: "w0", Shape: []int{784, 256}, Data: w0})
//	_ = ck.SetJSON("loop", loopState)
//	err := checkpoint.Save(filepath.Join(runDir, "checkpoint.bin"), ck)
//
// # File format (version 1)
//
// All integers little-endian:
//
//	offset 0   8 bytes  magic "SELUCKPT"
//	offset 8   uint32   format version (Version)
//	offset 12  uint32   header length H
//	offset 16  H bytes  JSON header: {"meta":{...},
//	                      "tensors":[{"name","dtype","shape","offset","size"}...],
//	                      "blobs":[{"name","offset","size"}...], "payload":P}
//	16+H       P bytes  payload: tensor data (IEEE 754, row-major) in order,
//	                    then blobs sorted by name; offsets are payload-relative
//	16+H+P     32 bytes SHA-256 of all preceding bytes
//
// The JSON header keeps the file self-describing (inspect it with
// `head -c 4096 checkpoint.bin | strings`); the checksum makes a truncated
// or altered file an error (*CorruptError, matching ErrCorrupt) instead of
// silently wrong weights. Write is deterministic: equal checkpoints give
// equal bytes.
//
// Read trusts nothing in a file, checksum or not: the header's entries must
// tile the payload exactly, in order, without gaps or overlaps; dtypes must
// be float32 or float64; each shape's element count (computed without
// overflow) must match its byte size; names must be unique. All of this is
// checked before any tensor is allocated, so reading a file allocates about
// its own size, whatever its header claims.
//
// WriteFileAtomic consults an internal test hook (internal/faultfs) before
// each step, so tests can make a write fail like a full disk or a failing
// device at any step; in normal use no hook is installed.
package checkpoint
