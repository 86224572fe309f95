//go:build amd64 && !purego

#include "textflag.h"

// float64 constants, 4 copies each (32 bytes)
#define C4(name, bits) \
	DATA name<>+0(SB)/8, $bits; \
	DATA name<>+8(SB)/8, $bits; \
	DATA name<>+16(SB)/8, $bits; \
	DATA name<>+24(SB)/8, $bits; \
	GLOBL name<>(SB), RODATA|NOPTR, $32

C4(log2e, 0x3ff71547652b82fe)
C4(magic, 0x4338000000000000)
C4(ln2, 0x3fe62e42fefa39ef)
C4(one, 0x3ff0000000000000)
C4(bias, 0x00000000000003ff)
C4(c2, 0x3fe0000000000000)
C4(c3, 0x3fc5555555555555)
C4(c4, 0x3fa5555555555555)
C4(c5, 0x3f81111111111111)
C4(c6, 0x3f56c16c16c16c17)
C4(c7, 0x3f2a01a01a01a01a)
C4(c8, 0x3efa01a01a01a01a)
C4(c9, 0x3ec71de3a556c734)

// float32 -17.5 x 8
DATA clamp<>+0(SB)/8, $0xc18c0000c18c0000
DATA clamp<>+8(SB)/8, $0xc18c0000c18c0000
DATA clamp<>+16(SB)/8, $0xc18c0000c18c0000
DATA clamp<>+24(SB)/8, $0xc18c0000c18c0000
GLOBL clamp<>(SB), RODATA|NOPTR, $32

// EXPM1(X, T, K, R, P): X holds 4 float64 inputs in [-17.5, 0] (or NaN); on
// exit P = la*expm1(X) with la in Y14. T, K, R are scratch. x = k·ln2 + r,
// expm1(r) = r·(1 + r/2 + … + r⁷/8!) by FMA Horner, then 2ᵏ·p + (2ᵏ − 1).
#define EXPM1(X, T, K, R, P) \
	VMOVAPD magic<>(SB), T; \
	VFMADD231PD log2e<>(SB), X, T; \
	VSUBPD magic<>(SB), T, K; \
	VMOVAPD X, R; \
	VFNMADD231PD ln2<>(SB), K, R; \
	VMOVAPD c8<>(SB), P; \
	VFMADD213PD c7<>(SB), R, P; \
	VFMADD213PD c6<>(SB), R, P; \
	VFMADD213PD c5<>(SB), R, P; \
	VFMADD213PD c4<>(SB), R, P; \
	VFMADD213PD c3<>(SB), R, P; \
	VFMADD213PD c2<>(SB), R, P; \
	VFMADD213PD one<>(SB), R, P; \
	VMULPD R, P, P; \
	VPADDQ bias<>(SB), T, T; \
	VPSLLQ $52, T, T; \
	VSUBPD one<>(SB), T, K; \
	VFMADD213PD K, T, P; \
	VMULPD Y14, P, P

// func forward32AVX2(y, x []float32, l float32, la float64)
TEXT ·forward32AVX2(SB), NOSPLIT, $0-64
	MOVQ y_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX
	SHRQ $3, CX
	JZ   done
	VBROADCASTSS l+48(FP), Y15
	VBROADCASTSD la+56(FP), Y14
	VXORPS Y13, Y13, Y13
	VMOVUPS clamp<>(SB), Y12

loop:
	VMOVUPS (SI), Y0
	VMINPS  Y0, Y13, Y1          // xn = 0 < x ? 0 : x (NaN stays)
	VMAXPS  Y1, Y12, Y1          // xn = -17.5 > xn ? -17.5 : xn
	VCVTPS2PD X1, Y2             // low 4
	VEXTRACTF128 $1, Y1, X1
	VCVTPS2PD X1, Y3             // high 4
	EXPM1(Y2, Y4, Y5, Y6, Y7)
	EXPM1(Y3, Y8, Y9, Y10, Y11)
	VCVTPD2PSY Y7, X7
	VCVTPD2PSY Y11, X11
	VINSERTF128 $1, X11, Y7, Y7  // negative branch, 8 x float32
	VMULPS  Y15, Y0, Y1          // λ·x
	VCMPPS  $0x1e, Y13, Y0, Y2   // x > 0
	VBLENDVPS Y2, Y1, Y7, Y1
	VMOVUPS Y1, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ  loop

done:
	VZEROUPPER
	RET

// func backward32AVX2(dx, dy, y []float32, l, la float32)
TEXT ·backward32AVX2(SB), NOSPLIT, $0-80
	MOVQ dx_base+0(FP), DI
	MOVQ dy_base+24(FP), SI
	MOVQ y_base+48(FP), DX
	MOVQ dx_len+8(FP), CX
	SHRQ $3, CX
	JZ   bdone
	VBROADCASTSS l+72(FP), Y15
	VBROADCASTSS la+76(FP), Y14
	VXORPS Y13, Y13, Y13

bloop:
	VMOVUPS (DX), Y0             // y
	VMOVUPS (SI), Y1             // dy
	VADDPS  Y14, Y0, Y2          // y + λα
	VCMPPS  $0x1e, Y13, Y0, Y3   // y > 0
	VBLENDVPS Y3, Y15, Y2, Y2    // y > 0 ? λ : y + λα
	VMULPS  Y2, Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	ADDQ $32, DX
	DECQ CX
	JNZ  bloop

bdone:
	VZEROUPPER
	RET
