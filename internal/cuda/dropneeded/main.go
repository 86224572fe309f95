// Command dropneeded removes named libraries from the DT_NEEDED list of an
// ELF64 little-endian executable, in place:
//
//	go run ./internal/cuda/dropneeded bin/train-cuda libcuda.so.1 libcublas.so.13
//
// scripts/cuda.sh uses it on cuda-tagged binaries so that they start on
// machines without the NVIDIA driver: package internal/cuda/probe loads the
// libraries with dlopen(RTLD_GLOBAL) before gorgonia.org/cu initialises, and
// the lazily bound calls into them resolve against those handles. The
// command refuses binaries that bind eagerly (DF_BIND_NOW, DF_1_NOW) or that
// reference a symbol of a removed library other than through the PLT, since
// the loader would then fail before the probe could explain why.
package main

import (
	"debug/elf"
	"encoding/binary"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: dropneeded BINARY LIBRARY...")
		os.Exit(2)
	}
	n, err := dropNeeded(os.Args[1], os.Args[2:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "dropneeded:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "dropneeded: %s: removed %d DT_NEEDED entries\n", os.Args[1], n)
}

const dynEntrySize = 16 // Elf64_Dyn: tag, value

// dropNeeded rewrites path's dynamic section without the DT_NEEDED entries
// naming one of libs and returns how many it removed.
func dropNeeded(path string, libs []string) (int, error) {
	f, err := elf.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if f.Class != elf.ELFCLASS64 || f.Data != elf.ELFDATA2LSB {
		return 0, fmt.Errorf("%s: only ELF64 little-endian is supported", path)
	}
	dyn := f.Section(".dynamic")
	dynstr := f.Section(".dynstr")
	if dyn == nil || dynstr == nil {
		return 0, fmt.Errorf("%s: not dynamically linked", path)
	}
	raw, err := dyn.Data()
	if err != nil {
		return 0, err
	}
	strs, err := dynstr.Data()
	if err != nil {
		return 0, err
	}
	drop := map[string]bool{}
	for _, l := range libs {
		drop[l] = true
	}
	var kept [][]byte
	removed := 0
	for off := 0; off+dynEntrySize <= len(raw); off += dynEntrySize {
		e := raw[off : off+dynEntrySize]
		tag := elf.DynTag(binary.LittleEndian.Uint64(e))
		val := binary.LittleEndian.Uint64(e[8:])
		switch tag {
		case elf.DT_NULL:
			off = len(raw)
			continue
		case elf.DT_FLAGS:
			if val&uint64(elf.DF_BIND_NOW) != 0 {
				return 0, fmt.Errorf("%s: binds eagerly (DF_BIND_NOW); link without -z now", path)
			}
		case elf.DT_FLAGS_1:
			if val&uint64(elf.DF_1_NOW) != 0 {
				return 0, fmt.Errorf("%s: binds eagerly (DF_1_NOW); link without -z now", path)
			}
		case elf.DT_NEEDED:
			if drop[cstring(strs, val)] {
				removed++
				continue
			}
		}
		kept = append(kept, e)
	}
	if removed == 0 {
		return 0, nil // already done, or never linked against them
	}
	if err := checkPLTOnly(f, path); err != nil {
		return 0, err
	}
	out := make([]byte, len(raw)) // the tail stays zero: DT_NULL entries
	for i, e := range kept {
		copy(out[i*dynEntrySize:], e)
	}
	w, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return 0, err
	}
	if _, err := w.WriteAt(out, int64(dyn.Offset)); err != nil {
		w.Close()
		return 0, err
	}
	return removed, w.Close()
}

// checkPLTOnly fails when an undefined dynamic symbol is referenced by a
// relocation that the loader resolves at start-up (anything but a PLT slot),
// other than weak references and glibc's own symbols, which stay resolvable.
func checkPLTOnly(f *elf.File, path string) error {
	syms, err := f.DynamicSymbols()
	if err != nil {
		return err
	}
	rela := f.Section(".rela.dyn")
	if rela == nil {
		return nil
	}
	data, err := rela.Data()
	if err != nil {
		return err
	}
	for off := 0; off+24 <= len(data); off += 24 {
		info := binary.LittleEndian.Uint64(data[off+8:])
		si := int(info >> 32)
		if si == 0 || si > len(syms) {
			continue
		}
		s := syms[si-1] // DynamicSymbols skips the null symbol
		if s.Section != elf.SHN_UNDEF || elf.ST_BIND(s.Info) == elf.STB_WEAK || s.Library != "" {
			continue
		}
		if len(s.Name) > 2 && (s.Name[:2] == "cu") {
			return fmt.Errorf("%s: %s is bound at load time (%v); the binary would not start without the driver",
				path, s.Name, elf.R_X86_64(info&0xffffffff))
		}
	}
	return nil
}

func cstring(b []byte, off uint64) string {
	if off >= uint64(len(b)) {
		return ""
	}
	end := off
	for end < uint64(len(b)) && b[end] != 0 {
		end++
	}
	return string(b[off:end])
}
