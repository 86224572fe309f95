// CUDA kernels of selunet's ops (module "selunet"). Compiled to PTX by
// `go generate ./internal/cuda/kernels` (nvcc -ptx -fmad=false, compute_70
// and compute_90); the PTX is committed under ../ptx.
//
// Launch convention (gorgonia.org/cu copies every kernel argument into an
// 8-byte slot): arguments are pointers, long long or double only; float32
// kernels take their constants as double and round them once. Elementwise
// kernels use a grid-stride loop over n elements.

#define LOOP(n) for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < (n); i += (long long)blockDim.x * gridDim.x)

// ---- SELU: y = x > 0 ? λx : λα(eˣ − 1);  dx = dy·(y > 0 ? λ : y + λα) ----

extern "C" __global__ void selu_fwd_f32(float *y, const float *x, long long n, double l, double la) {
	float lf = (float)l;
	LOOP(n) {
		float v = x[i];
		if (v > 0) {
			y[i] = lf * v;
		} else {
			double vd = v < -17.5f ? -17.5 : (double)v; // expm1 rounds to -1 in float32 below -17.33
			y[i] = (float)(la * expm1(vd));
		}
	}
}

extern "C" __global__ void selu_bwd_f32(float *dx, const float *dy, const float *y, long long n, double l, double la) {
	float lf = (float)l, laf = (float)la;
	LOOP(n) {
		float v = y[i];
		float d = v > 0 ? lf : v + laf;
		dx[i] = dy[i] * d;
	}
}

extern "C" __global__ void selu_fwd_f64(double *y, const double *x, long long n, double l, double la) {
	LOOP(n) {
		double v = x[i];
		y[i] = v > 0 ? l * v : la * expm1(v);
	}
}

extern "C" __global__ void selu_bwd_f64(double *dx, const double *dy, const double *y, long long n, double l, double la) {
	LOOP(n) {
		double v = y[i];
		dx[i] = dy[i] * (v > 0 ? l : v + la);
	}
}

// ---- fused bias: y[i,j] = x[i,j] + b[j];  db[j] = Σ_i dy[i,j] in row order ----

extern "C" __global__ void bias_add_f32(float *y, const float *x, const float *b, long long rows, long long cols) {
	LOOP(rows * cols) { y[i] = x[i] + b[i % cols]; }
}

extern "C" __global__ void bias_add_f64(double *y, const double *x, const double *b, long long rows, long long cols) {
	LOOP(rows * cols) { y[i] = x[i] + b[i % cols]; }
}

// One thread per column, rows summed in order with an accumulator of the
// tensor's type: the same operations as the CPU kernel, so the same bits.
extern "C" __global__ void bias_colsum_f32(float *db, const float *dy, long long rows, long long cols) {
	LOOP(cols) {
		float s = 0;
		for (long long r = 0; r < rows; r++) s += dy[r * cols + i];
		db[i] = s;
	}
}

extern "C" __global__ void bias_colsum_f64(double *db, const double *dy, long long rows, long long cols) {
	LOOP(cols) {
		double s = 0;
		for (long long r = 0; r < rows; r++) s += dy[r * cols + i];
		db[i] = s;
	}
}

// ---- alpha dropout ----
// The mask generator of ops/alphadropout: per block of bs elements one
// 64-bit seed; SplitMix64 seeds eight xoshiro128+ lanes; element 8k + l of
// the block is kept when lane l's k-th output u satisfies u <= t. One thread
// per (block, lane); blocks blk0 .. blk0+nseed-1, seeds in s0..s7. Writes one
// byte per element (1 = kept). Bit-identical to the CPU's mask.

__device__ static unsigned long long splitmix(unsigned long long seed, int k) {
	unsigned long long z = seed + (unsigned long long)(k + 1) * 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

extern "C" __global__ void adrop_mask(unsigned char *mask, long long n, long long bs, long long blk0, long long nseed,
	long long t, long long dropall, unsigned long long s0, unsigned long long s1, unsigned long long s2,
	unsigned long long s3, unsigned long long s4, unsigned long long s5, unsigned long long s6, unsigned long long s7) {
	int tid = blockIdx.x * blockDim.x + threadIdx.x;
	if (tid >= nseed * 8) return;
	int j = tid >> 3, lane = tid & 7;
	unsigned long long seeds[8] = {s0, s1, s2, s3, s4, s5, s6, s7};
	unsigned long long seed = seeds[j];
	long long lo = (blk0 + j) * bs, hi = lo + bs < n ? lo + bs : n;
	if (lo >= n) return;
	unsigned int st[4];
	for (int s = 0; s < 4; s++) {
		unsigned long long z = splitmix(seed, s * 4 + lane / 2);
		st[s] = (lane & 1) ? (unsigned int)(z >> 32) : (unsigned int)z;
	}
	if ((st[0] | st[1] | st[2] | st[3]) == 0) st[0] = 1;
	unsigned int tt = (unsigned int)t;
	for (long long e = lo + lane; e < hi; e += 8) {
		unsigned int u = st[0] + st[3];
		mask[e] = (!dropall && u <= tt) ? 1 : 0;
		unsigned int sh = st[1] << 9;
		st[2] ^= st[0];
		st[3] ^= st[1];
		st[1] ^= st[2];
		st[0] ^= st[3];
		st[2] ^= sh;
		st[3] = (st[3] << 11) | (st[3] >> 21);
	}
}

// y = kept ? a·x + b : d (d = a·α' + b)
extern "C" __global__ void adrop_fwd_f32(float *y, const float *x, const unsigned char *mask, long long n, double a, double b, double d) {
	float af = (float)a, bf = (float)b, df = (float)d;
	LOOP(n) { y[i] = mask[i] ? af * x[i] + bf : df; }
}

extern "C" __global__ void adrop_fwd_f64(double *y, const double *x, const unsigned char *mask, long long n, double a, double b, double d) {
	LOOP(n) { y[i] = mask[i] ? a * x[i] + b : d; }
}

// dx = kept ? a·dy : 0
extern "C" __global__ void adrop_bwd_f32(float *dx, const float *dy, const unsigned char *mask, long long n, double a) {
	float af = (float)a;
	LOOP(n) { dx[i] = mask[i] ? af * dy[i] : 0.0f; }
}

extern "C" __global__ void adrop_bwd_f64(double *dx, const double *dy, const unsigned char *mask, long long n, double a) {
	LOOP(n) { dx[i] = mask[i] ? a * dy[i] : 0.0; }
}

// ---- losses (one block of RED threads; sums in double, fixed order) ----

#define RED 256

__device__ static double softplusTerm(double z, double y) { return fmax(z, 0.0) - z * y + log1p(exp(-fabs(z))); }

__device__ static double sigmoidd(double z) {
	if (z >= 0) return 1 / (1 + exp(-z));
	double e = exp(z);
	return e / (1 + e);
}

// blockSum2 reduces (a, b) over the block; every thread gets the totals.
// Not static: nvcc names the shared arrays of a static function after a hash
// of the source file's path, which would make the generated PTX depend on
// where the checkout lives (and `scripts/cuda.sh ptxcheck` fail elsewhere).
__device__ void blockSum2(double *a, double *b) {
	__shared__ double sa[RED], sb[RED];
	sa[threadIdx.x] = *a;
	sb[threadIdx.x] = *b;
	__syncthreads();
	for (int s = RED / 2; s > 0; s >>= 1) {
		if (threadIdx.x < s) {
			sa[threadIdx.x] += sa[threadIdx.x + s];
			sb[threadIdx.x] += sb[threadIdx.x + s];
		}
		__syncthreads();
	}
	*a = sa[0];
	*b = sb[0];
	__syncthreads();
}

#define BCE(T, t)                                                                                      \
	extern "C" __global__ void bce_fwd_##t(T *loss, const T *z, const T *y, const T *m, long long n) { \
		double sum = 0, den = 0;                                                                       \
		for (long long i = threadIdx.x; i < n; i += RED) {                                             \
			if (m == 0) {                                                                              \
				sum += softplusTerm(z[i], y[i]);                                                       \
			} else if (m[i] != 0) {                                                                    \
				sum += (double)m[i] * softplusTerm(z[i], y[i]);                                        \
				den += m[i];                                                                           \
			}                                                                                          \
		}                                                                                              \
		blockSum2(&sum, &den);                                                                         \
		if (m == 0) den = (double)n;                                                                   \
		if (threadIdx.x == 0) loss[0] = (T)(sum / fmax(den, 1.0));                                     \
	}                                                                                                  \
	extern "C" __global__ void bce_bwd_##t(T *dz, const T *z, const T *y, const T *m, long long n,    \
		const T *up) {                                                                                 \
		double den = 0, unused = 0;                                                                    \
		if (m != 0) {                                                                                  \
			for (long long i = threadIdx.x; i < n; i += RED) den += m[i];                              \
		}                                                                                              \
		blockSum2(&den, &unused);                                                                      \
		if (m == 0) den = (double)n;                                                                   \
		double scale = (double)up[0] / fmax(den, 1.0);                                                 \
		for (long long i = threadIdx.x; i < n; i += RED) {                                             \
			double d = 0;                                                                              \
			if (m == 0) {                                                                              \
				d = (sigmoidd(z[i]) - y[i]) * scale;                                                   \
			} else if (m[i] != 0) {                                                                    \
				d = (double)m[i] * (sigmoidd(z[i]) - y[i]) * scale;                                    \
			}                                                                                          \
			dz[i] = (T)d;                                                                              \
		}                                                                                              \
	}

BCE(float, f32)
BCE(double, f64)

// Softmax cross-entropy over rows of z (rows × c), row weights w (may be 0).
__device__ static double rowLSE32(const float *z, long long c) {
	double mx = -INFINITY;
	for (long long k = 0; k < c; k++) mx = fmax(mx, (double)z[k]);
	if (isinf(mx)) return mx;
	double s = 0;
	for (long long k = 0; k < c; k++) s += exp((double)z[k] - mx);
	return mx + log(s);
}

__device__ static double rowLSE64(const double *z, long long c) {
	double mx = -INFINITY;
	for (long long k = 0; k < c; k++) mx = fmax(mx, z[k]);
	if (isinf(mx)) return mx;
	double s = 0;
	for (long long k = 0; k < c; k++) s += exp(z[k] - mx);
	return mx + log(s);
}

#define ROWLSE_f32 rowLSE32
#define ROWLSE_f64 rowLSE64
#define SCE(T, t)                                                                                            \
	extern "C" __global__ void sce_fwd_##t(T *loss, const T *z, const T *y, const T *w, long long rows,     \
		long long c) {                                                                                       \
		double sum = 0, den = 0;                                                                             \
		for (long long i = threadIdx.x; i < rows; i += RED) {                                                \
			double wi = 1;                                                                                   \
			if (w != 0) {                                                                                    \
				if (w[i] == 0) continue;                                                                     \
				wi = w[i];                                                                                   \
				den += wi;                                                                                   \
			}                                                                                                \
			const T *zr = z + i * c, *yr = y + i * c;                                                        \
			double lse = ROWLSE_##t(zr, c), l = 0;                                                            \
			for (long long k = 0; k < c; k++)                                                                \
				if (yr[k] != 0) l += (double)yr[k] * (lse - (double)zr[k]);                                  \
			sum += wi * l;                                                                                   \
		}                                                                                                    \
		blockSum2(&sum, &den);                                                                               \
		if (w == 0) den = (double)rows;                                                                      \
		if (threadIdx.x == 0) loss[0] = (T)(sum / fmax(den, 1.0));                                           \
	}                                                                                                        \
	extern "C" __global__ void sce_bwd_##t(T *dz, const T *z, const T *y, const T *w, long long rows,       \
		long long c, const T *up) {                                                                          \
		double den = 0, unused = 0;                                                                          \
		if (w != 0) {                                                                                        \
			for (long long i = threadIdx.x; i < rows; i += RED) den += w[i];                                 \
		}                                                                                                    \
		blockSum2(&den, &unused);                                                                            \
		if (w == 0) den = (double)rows;                                                                      \
		double scale = (double)up[0] / fmax(den, 1.0);                                                       \
		for (long long i = threadIdx.x; i < rows; i += RED) {                                                \
			const T *zr = z + i * c, *yr = y + i * c;                                                        \
			T *or_ = dz + i * c;                                                                             \
			double wi = w != 0 ? (double)w[i] : 1.0;                                                         \
			if (wi == 0) {                                                                                   \
				for (long long k = 0; k < c; k++) or_[k] = 0;                                                \
				continue;                                                                                    \
			}                                                                                                \
			double lse = ROWLSE_##t(zr, c), sy = 0;                                                           \
			for (long long k = 0; k < c; k++) sy += (double)yr[k];                                           \
			double f = wi * scale;                                                                           \
			for (long long k = 0; k < c; k++) or_[k] = (T)((exp((double)zr[k] - lse) * sy - (double)yr[k]) * f); \
		}                                                                                                    \
	}

SCE(float, f32)
SCE(double, f64)
