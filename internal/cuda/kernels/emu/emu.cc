// A host emulator of the kernels in ../src/selunet.cu, for testing their logic
// without a GPU (internal/cuda/check's TestKernelsEmulated builds it with g++):
// every CUDA thread of a block is a std::thread, __shared__ memory is static,
// __syncthreads is a barrier, and the device math functions are the C
// library's. It reads one command per line on stdin and writes the output
// array (one value per line) on stdout:
//
//   KERNEL BLOCKS THREADS NARGS   then NARGS argument lines: "buf K" (an array of K
//                                  values follows, one per line), "i V" (integer),
//                                  "u V" (unsigned 64-bit), "d V" (double), "null"
//   OUT I                          print buffer argument I of the last command
//
// Arrays are float32 for *_f32 kernels, bytes for the mask.
#include <barrier>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

struct dim3 {
	unsigned x = 1, y = 1, z = 1;
};
static thread_local dim3 blockIdx, threadIdx;
static dim3 blockDim, gridDim;
static std::barrier<> *blockBarrier;
#define __global__
#define __device__
#define __shared__ static
static void __syncthreads() { blockBarrier->arrive_and_wait(); }
using std::isinf;

#include "../src/selunet.cu"

// launch runs kern over blocks × threads emulated threads, block by block.
static void launch(unsigned blocks, unsigned threads, const std::function<void()> &kern) {
	gridDim.x = blocks;
	blockDim.x = threads;
	for (unsigned b = 0; b < blocks; b++) {
		std::barrier<> bar(threads);
		blockBarrier = &bar;
		std::vector<std::thread> ts;
		for (unsigned t = 0; t < threads; t++) {
			ts.emplace_back([&, b, t] {
				blockIdx.x = b;
				threadIdx.x = t;
				kern();
			});
		}
		for (auto &th : ts) th.join();
	}
}

struct Arg {
	std::string kind;
	std::vector<float> f;
	std::vector<unsigned char> bytes;
	long long i = 0;
	unsigned long long u = 0;
	double d = 0;
	void *ptr(bool asBytes) {
		if (kind == "null") return nullptr;
		return asBytes ? (void *)bytes.data() : (void *)f.data();
	}
};

int main() {
	std::string cmd;
	std::vector<Arg> a;
	std::string kernel;
	while (std::cin >> cmd) {
		if (cmd == "OUT") {
			size_t k;
			std::cin >> k;
			if (kernel == "adrop_mask" && k == 0) {
				for (auto v : a[k].bytes) printf("%d\n", v);
			} else {
				for (auto v : a[k].f) printf("%.9g\n", v);
			}
			printf("END\n");
			fflush(stdout);
			continue;
		}
		kernel = cmd;
		unsigned blocks, threads;
		size_t nargs;
		std::cin >> blocks >> threads >> nargs;
		a.assign(nargs, Arg{});
		for (size_t j = 0; j < nargs; j++) {
			Arg &x = a[j];
			std::cin >> x.kind;
			if (x.kind == "buf" || x.kind == "bytes") {
				size_t k;
				std::cin >> k;
				if (x.kind == "bytes") {
					x.bytes.resize(k);
					for (auto &v : x.bytes) { int t; std::cin >> t; v = (unsigned char)t; }
				} else {
					x.f.resize(k);
					for (auto &v : x.f) std::cin >> v;
				}
			} else if (x.kind == "i") {
				std::cin >> x.i;
			} else if (x.kind == "u") {
				std::cin >> x.u;
			} else if (x.kind == "d") {
				std::cin >> x.d;
			}
		}
		auto F = [&](size_t j) { return (float *)a[j].ptr(false); };
		auto B = [&](size_t j) { return (unsigned char *)a[j].ptr(true); };
		std::function<void()> k;
		if (kernel == "selu_fwd_f32") k = [&] { selu_fwd_f32(F(0), F(1), a[2].i, a[3].d, a[4].d); };
		else if (kernel == "selu_bwd_f32") k = [&] { selu_bwd_f32(F(0), F(1), F(2), a[3].i, a[4].d, a[5].d); };
		else if (kernel == "bias_add_f32") k = [&] { bias_add_f32(F(0), F(1), F(2), a[3].i, a[4].i); };
		else if (kernel == "bias_colsum_f32") k = [&] { bias_colsum_f32(F(0), F(1), a[2].i, a[3].i); };
		else if (kernel == "adrop_mask")
			k = [&] {
				adrop_mask(B(0), a[1].i, a[2].i, a[3].i, a[4].i, a[5].i, a[6].i, a[7].u, a[8].u, a[9].u, a[10].u, a[11].u,
					a[12].u, a[13].u, a[14].u);
			};
		else if (kernel == "adrop_fwd_f32") k = [&] { adrop_fwd_f32(F(0), F(1), B(2), a[3].i, a[4].d, a[5].d, a[6].d); };
		else if (kernel == "adrop_bwd_f32") k = [&] { adrop_bwd_f32(F(0), F(1), B(2), a[3].i, a[4].d); };
		else if (kernel == "bce_fwd_f32") k = [&] { bce_fwd_f32(F(0), F(1), F(2), F(3), a[4].i); };
		else if (kernel == "bce_bwd_f32") k = [&] { bce_bwd_f32(F(0), F(1), F(2), F(3), a[4].i, F(5)); };
		else if (kernel == "sce_fwd_f32") k = [&] { sce_fwd_f32(F(0), F(1), F(2), F(3), a[4].i, a[5].i); };
		else if (kernel == "sce_bwd_f32") k = [&] { sce_bwd_f32(F(0), F(1), F(2), F(3), a[4].i, a[5].i, F(6)); };
		else {
			fprintf(stderr, "emu: unknown kernel %s\n", kernel.c_str());
			return 2;
		}
		launch(blocks, threads, k);
	}
	return 0;
}
