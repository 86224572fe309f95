//go:build amd64 && !purego

#include "textflag.h"

// float32 -17.5 x 8
DATA clamp<>+0(SB)/8, $0xc18c0000c18c0000
DATA clamp<>+8(SB)/8, $0xc18c0000c18c0000
DATA clamp<>+16(SB)/8, $0xc18c0000c18c0000
DATA clamp<>+24(SB)/8, $0xc18c0000c18c0000
GLOBL clamp<>(SB), RODATA|NOPTR, $32

// float32 constants, 8 copies each (32 bytes)
#define F8(name, bits) \
	DATA name<>+0(SB)/8, $bits; \
	DATA name<>+8(SB)/8, $bits; \
	DATA name<>+16(SB)/8, $bits; \
	DATA name<>+24(SB)/8, $bits; \
	GLOBL name<>(SB), RODATA|NOPTR, $32

F8(flog2e, 0x3fb8aa3b3fb8aa3b)
F8(fmagic, 0x4b4000004b400000)
F8(fln2hi, 0x3f3180003f318000)
F8(fln2lo, 0xb95e8083b95e8083)
F8(fone, 0x3f8000003f800000)
F8(fbias, 0x0000007f0000007f)
F8(fc2, 0x3f0000003f000000)
F8(fc3, 0x3e2aaaab3e2aaaab)
F8(fc4, 0x3d2aaaab3d2aaaab)
F8(fc5, 0x3c0888893c088889)
F8(fc6, 0x3ab60b613ab60b61)
F8(fc7, 0x39500d0139500d01)

// func forward32AVX2(y, x []float32, l, la float32)
//
// 8 lanes in float32: xn = clamp(min(x, 0), -17.5); xn = k·ln2 + r (Cody-Waite,
// |r| <= ln2/2); expm1(r) = r + r²·(1/2 + r/6 + … + r⁵/7!) by FMA Horner;
// expm1(xn) = 2ᵏ·expm1(r) + (2ᵏ − 1); y = x > 0 ? l·x : la·expm1(xn).
TEXT ·forward32AVX2(SB), NOSPLIT, $0-56
	MOVQ y_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX
	SHRQ $3, CX
	JZ   done
	VBROADCASTSS l+48(FP), Y15
	VBROADCASTSS la+52(FP), Y14
	VXORPS Y13, Y13, Y13
	VMOVUPS clamp<>(SB), Y12

loop:
	VMOVUPS (SI), Y0
	VMINPS  Y0, Y13, Y1          // xn = 0 < x ? 0 : x (NaN stays)
	VMAXPS  Y1, Y12, Y1          // xn = -17.5 > xn ? -17.5 : xn
	VMOVAPS fmagic<>(SB), Y2
	VFMADD231PS flog2e<>(SB), Y1, Y2  // t = xn·log2e + magic
	VSUBPS  fmagic<>(SB), Y2, Y3      // k
	VMOVAPS Y1, Y4
	VFNMADD231PS fln2hi<>(SB), Y3, Y4 // r = xn − k·ln2hi
	VFNMADD231PS fln2lo<>(SB), Y3, Y4 // r −= k·ln2lo
	VMULPS  Y4, Y4, Y5                // r²
	VMOVAPS fc7<>(SB), Y6
	VFMADD213PS fc6<>(SB), Y4, Y6
	VFMADD213PS fc5<>(SB), Y4, Y6
	VFMADD213PS fc4<>(SB), Y4, Y6
	VFMADD213PS fc3<>(SB), Y4, Y6
	VFMADD213PS fc2<>(SB), Y4, Y6
	VFMADD213PS Y4, Y5, Y6            // p = q·r² + r = expm1(r)
	VPADDD  fbias<>(SB), Y2, Y2
	VPSLLD  $23, Y2, Y2               // s = 2^k
	VSUBPS  fone<>(SB), Y2, Y7        // s − 1
	VFMADD213PS Y7, Y2, Y6            // expm1(xn) = p·s + (s − 1)
	VMULPS  Y14, Y6, Y6               // la·expm1(xn)
	VMULPS  Y15, Y0, Y1               // l·x
	VCMPPS  $0x1e, Y13, Y0, Y2        // x > 0
	VBLENDVPS Y2, Y1, Y6, Y1
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
