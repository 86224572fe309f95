//go:build amd64 && !purego

#include "textflag.h"

#define PFD 256 // prefetch distance in bytes along each source row (measured best of 256, 512, 1024 with BenchmarkPackB)

// func packRows4(dst, src *float32, ld, np, pstride int)
// Copies 4 rows of 16·np floats of src (row stride ld) into np panels of
// dst (panel stride pstride): dst[q·pstride + r·16 + c] = src[r·ld + q·16 + c]
// for r < 4, c < 16. Strides are in float32 elements.
TEXT ·packRows4(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ ld+16(FP), R8
	MOVQ np+24(FP), CX
	MOVQ pstride+32(FP), R9
	SHLQ $2, R8
	SHLQ $2, R9
	LEAQ (SI)(R8*2), R10        // row 2
	TESTQ CX, CX
	JZ   done4

loop4:
	PREFETCHT0 PFD(SI)
	PREFETCHT0 PFD(SI)(R8*1)
	PREFETCHT0 PFD(R10)
	PREFETCHT0 PFD(R10)(R8*1)
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS (SI)(R8*1), Y2
	VMOVUPS 32(SI)(R8*1), Y3
	VMOVUPS (R10), Y4
	VMOVUPS 32(R10), Y5
	VMOVUPS (R10)(R8*1), Y6
	VMOVUPS 32(R10)(R8*1), Y7
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	VMOVUPS Y4, 128(DI)
	VMOVUPS Y5, 160(DI)
	VMOVUPS Y6, 192(DI)
	VMOVUPS Y7, 224(DI)
	ADDQ $64, SI
	ADDQ $64, R10
	ADDQ R9, DI
	DECQ CX
	JNZ  loop4

done4:
	VZEROUPPER
	RET

// TRANS8 transposes the 8×8 block in Y0..Y7 (row r in Yr) into Y8..Y15
// (column c of the block in Y(8+c)), using Y0..Y7 as scratch.
#define TRANS8 \
	VUNPCKLPS Y1, Y0, Y8; \
	VUNPCKHPS Y1, Y0, Y9; \
	VUNPCKLPS Y3, Y2, Y10; \
	VUNPCKHPS Y3, Y2, Y11; \
	VUNPCKLPS Y5, Y4, Y12; \
	VUNPCKHPS Y5, Y4, Y13; \
	VUNPCKLPS Y7, Y6, Y14; \
	VUNPCKHPS Y7, Y6, Y15; \
	VSHUFPS $0x44, Y10, Y8, Y0; \
	VSHUFPS $0xEE, Y10, Y8, Y1; \
	VSHUFPS $0x44, Y11, Y9, Y2; \
	VSHUFPS $0xEE, Y11, Y9, Y3; \
	VSHUFPS $0x44, Y14, Y12, Y4; \
	VSHUFPS $0xEE, Y14, Y12, Y5; \
	VSHUFPS $0x44, Y15, Y13, Y6; \
	VSHUFPS $0xEE, Y15, Y13, Y7; \
	VPERM2F128 $0x20, Y4, Y0, Y8; \
	VPERM2F128 $0x20, Y5, Y1, Y9; \
	VPERM2F128 $0x20, Y6, Y2, Y10; \
	VPERM2F128 $0x20, Y7, Y3, Y11; \
	VPERM2F128 $0x31, Y4, Y0, Y12; \
	VPERM2F128 $0x31, Y5, Y1, Y13; \
	VPERM2F128 $0x31, Y6, Y2, Y14; \
	VPERM2F128 $0x31, Y7, Y3, Y15

// func packTrans8(dst, src *float32, ld, kk8 int)
// Transposes 8 rows of src (row stride ld) into half a panel: for
// p < 8·kk8 and r < 8, dst[p·16 + r] = src[r·ld + p]. Strides are in
// float32 elements.
TEXT ·packTrans8(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ ld+16(FP), R8
	MOVQ kk8+24(FP), CX
	SHLQ $2, R8
	LEAQ (SI)(R8*4), R10        // row 4
	LEAQ (SI)(R8*2), R11        // row 2
	LEAQ (R10)(R8*2), R12       // row 6
	TESTQ CX, CX
	JZ   donet

loopt:
	PREFETCHT0 PFD(SI)
	PREFETCHT0 PFD(SI)(R8*1)
	PREFETCHT0 PFD(R11)
	PREFETCHT0 PFD(R11)(R8*1)
	PREFETCHT0 PFD(R10)
	PREFETCHT0 PFD(R10)(R8*1)
	PREFETCHT0 PFD(R12)
	PREFETCHT0 PFD(R12)(R8*1)
	VMOVUPS (SI), Y0
	VMOVUPS (SI)(R8*1), Y1
	VMOVUPS (R11), Y2
	VMOVUPS (R11)(R8*1), Y3
	VMOVUPS (R10), Y4
	VMOVUPS (R10)(R8*1), Y5
	VMOVUPS (R12), Y6
	VMOVUPS (R12)(R8*1), Y7
	TRANS8
	VMOVUPS Y8, (DI)
	VMOVUPS Y9, 64(DI)
	VMOVUPS Y10, 128(DI)
	VMOVUPS Y11, 192(DI)
	VMOVUPS Y12, 256(DI)
	VMOVUPS Y13, 320(DI)
	VMOVUPS Y14, 384(DI)
	VMOVUPS Y15, 448(DI)
	ADDQ $32, SI
	ADDQ $32, R10
	ADDQ $32, R11
	ADDQ $32, R12
	ADDQ $512, DI
	DECQ CX
	JNZ  loopt

donet:
	VZEROUPPER
	RET
