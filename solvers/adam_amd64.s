#include "textflag.h"

// func adamAVX(wp, gp, mp, vp *float32, n int, c *[8]float32, zero bool)
// n must be a positive multiple of 8. c = {β1, 1−β1, β2, 1−β2, ε, stepSize,
// 1/√(1−β2^t), decay}. g is zeroed only if zero is true. Same operations in the same order as adamKernel's
// plain loop (no FMA), so results are bit-identical to the scalar code.
TEXT ·adamAVX(SB), NOSPLIT, $0-49
	MOVQ wp+0(FP), DI
	MOVQ gp+8(FP), SI
	MOVQ mp+16(FP), R8
	MOVQ vp+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ c+40(FP), AX
	MOVBQZX zero+48(FP), DX
	VBROADCASTSS 0(AX), Y8
	VBROADCASTSS 4(AX), Y9
	VBROADCASTSS 8(AX), Y10
	VBROADCASTSS 12(AX), Y11
	VBROADCASTSS 16(AX), Y12
	VBROADCASTSS 20(AX), Y13
	VBROADCASTSS 24(AX), Y14
	VBROADCASTSS 28(AX), Y15
	VXORPS Y7, Y7, Y7
	XORQ BX, BX

loop:
	CMPQ CX, $8
	JL   done
	VMOVUPS (SI)(BX*4), Y0
	VMOVUPS (R8)(BX*4), Y1
	VMOVUPS (R9)(BX*4), Y2

	// m = β1·m + (1−β1)·g
	VMULPS Y8, Y1, Y1
	VMULPS Y9, Y0, Y3
	VADDPS Y3, Y1, Y1

	// v = β2·v + ((1−β2)·g)·g
	VMULPS Y10, Y2, Y2
	VMULPS Y11, Y0, Y4
	VMULPS Y0, Y4, Y4
	VADDPS Y4, Y2, Y2
	VMOVUPS Y1, (R8)(BX*4)
	VMOVUPS Y2, (R9)(BX*4)

	// denom = √v·ibc2 + ε
	VSQRTPS Y2, Y5
	VMULPS  Y14, Y5, Y5
	VADDPS  Y12, Y5, Y5

	// upd = (stepSize·m)/denom
	VMULPS Y13, Y1, Y6
	VDIVPS Y5, Y6, Y6

	// w = w·decay − upd; g = 0 if zero
	VMOVUPS (DI)(BX*4), Y3
	VMULPS  Y15, Y3, Y3
	VSUBPS  Y6, Y3, Y3
	VMOVUPS Y3, (DI)(BX*4)
	TESTQ   DX, DX
	JZ      next
	VMOVUPS Y7, (SI)(BX*4)

next:

	ADDQ $8, BX
	SUBQ $8, CX
	JMP  loop

done:
	VZEROUPPER
	RET
