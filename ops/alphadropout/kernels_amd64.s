//go:build amd64 && !purego

#include "textflag.h"

// lane i of bitsel<> is 1<<i
DATA bitsel<>+0(SB)/4, $1
DATA bitsel<>+4(SB)/4, $2
DATA bitsel<>+8(SB)/4, $4
DATA bitsel<>+12(SB)/4, $8
DATA bitsel<>+16(SB)/4, $16
DATA bitsel<>+20(SB)/4, $32
DATA bitsel<>+24(SB)/4, $64
DATA bitsel<>+28(SB)/4, $128
GLOBL bitsel<>(SB), RODATA|NOPTR, $32

// LANEMASK(off, M): M = all-ones in lanes whose mask bit (byte off of the
// mask at R8) is set. Uses AX, X0 scratch; Y13 holds bitsel.
#define LANEMASK(off, M) \
	MOVBLZX off(R8), AX; \
	VMOVD AX, X0; \
	VPBROADCASTD X0, M; \
	VPAND Y13, M, M; \
	VPCMPEQD Y13, M, M

// func forward32AVX2(y, x []float32, mask []uint64, a, b, d float32)
TEXT ·forward32AVX2(SB), NOSPLIT, $0-84
	MOVQ y_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ mask_base+48(FP), R8
	MOVQ x_len+32(FP), CX
	SHRQ $6, CX
	JZ   fdone
	VBROADCASTSS a+72(FP), Y15
	VBROADCASTSS b+76(FP), Y14
	VBROADCASTSS d+80(FP), Y12
	VMOVDQU bitsel<>(SB), Y13

floop:
#define FWD8(off, boff) \
	LANEMASK(boff, Y1); \
	VMULPS off(SI), Y15, Y2; \
	VADDPS Y14, Y2, Y2; \
	VBLENDVPS Y1, Y2, Y12, Y2; \
	VMOVUPS Y2, off(DI)
	FWD8(0, 0)
	FWD8(32, 1)
	FWD8(64, 2)
	FWD8(96, 3)
	FWD8(128, 4)
	FWD8(160, 5)
	FWD8(192, 6)
	FWD8(224, 7)
	ADDQ $256, SI
	ADDQ $256, DI
	ADDQ $8, R8
	DECQ CX
	JNZ  floop

fdone:
	VZEROUPPER
	RET

// func backward32AVX2(dx, dy []float32, mask []uint64, a float32)
TEXT ·backward32AVX2(SB), NOSPLIT, $0-76
	MOVQ dx_base+0(FP), DI
	MOVQ dy_base+24(FP), SI
	MOVQ mask_base+48(FP), R8
	MOVQ dx_len+8(FP), CX
	SHRQ $6, CX
	JZ   bdone
	VBROADCASTSS a+72(FP), Y15
	VMOVDQU bitsel<>(SB), Y13

bloop:
#define BWD8(off, boff) \
	LANEMASK(boff, Y1); \
	VMULPS off(SI), Y15, Y2; \
	VANDPS Y1, Y2, Y2; \
	VMOVUPS Y2, off(DI)
	BWD8(0, 0)
	BWD8(32, 1)
	BWD8(64, 2)
	BWD8(96, 3)
	BWD8(128, 4)
	BWD8(160, 5)
	BWD8(192, 6)
	BWD8(224, 7)
	ADDQ $256, SI
	ADDQ $256, DI
	ADDQ $8, R8
	DECQ CX
	JNZ  bloop

bdone:
	VZEROUPPER
	RET

// func maskAVX2(mask []uint64, st *[4][8]uint32, steps int, t uint32)
TEXT ·maskAVX2(SB), NOSPLIT, $0-44
	MOVQ mask_base+0(FP), DI
	MOVQ st+24(FP), SI
	MOVQ steps+32(FP), CX
	TESTQ CX, CX
	JZ   mdone
	VMOVDQU 0(SI), Y0            // s0
	VMOVDQU 32(SI), Y1           // s1
	VMOVDQU 64(SI), Y2           // s2
	VMOVDQU 96(SI), Y3           // s3
	MOVL $0x80000000, AX
	VMOVD AX, X15
	VPBROADCASTD X15, Y15        // sign flip
	MOVL t+40(FP), AX
	XORL $0x80000000, AX
	VMOVD AX, X14
	VPBROADCASTD X14, Y14        // t ^ 0x80000000

mloop:
	VPADDD Y3, Y0, Y4            // u = s0 + s3
	VPXOR  Y15, Y4, Y4
	VPCMPGTD Y14, Y4, Y4         // dropped: (u^M) > (t^M) signed, i.e. u > t
	VMOVMSKPS Y4, AX
	NOTL AX
	MOVB AX, (DI)
	VPSLLD $9, Y1, Y5            // t = s1 << 9
	VPXOR  Y0, Y2, Y2            // s2 ^= s0
	VPXOR  Y1, Y3, Y3            // s3 ^= s1
	VPXOR  Y2, Y1, Y1            // s1 ^= s2
	VPXOR  Y3, Y0, Y0            // s0 ^= s3
	VPXOR  Y5, Y2, Y2            // s2 ^= t
	VPSLLD $11, Y3, Y6           // s3 = rotl(s3, 11)
	VPSRLD $21, Y3, Y3
	VPOR   Y6, Y3, Y3
	INCQ DI
	DECQ CX
	JNZ  mloop

	VMOVDQU Y0, 0(SI)
	VMOVDQU Y1, 32(SI)
	VMOVDQU Y2, 64(SI)
	VMOVDQU Y3, 96(SI)

mdone:
	VZEROUPPER
	RET
