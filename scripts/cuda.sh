#!/usr/bin/env bash
# CUDA build of selunet (build tag `cuda`). Verbs:
#   deps   fetch CUDA 11.8 headers, the libcuda link stub and nvcc/cicc/ptxas from
#          Debian bookworm's non-free component into $SELUNET_CUDA_CACHE
#          (default ~/.cache/selunet/cuda) with `apt-get download` + `dpkg-deb -x`;
#          nothing is installed, no driver package is touched. Idempotent: a
#          complete cache is reused in well under a second.
#   env    print the exports a cuda build needs (eval "$(scripts/cuda.sh env)")
#   vet    go vet -tags cuda ./...
#   build  bin/train-cuda, the cuda-tagged test binaries bin/cuda-tests/*.test
#          (stripped; libcuda/libcublas are loaded at start-up, see finish),
#          bin/train (the CPU build, for the check's CPU columns), and
#          bin/cuda-carry.tar.xz, the archive of all three to carry to a GPU
#          machine (device tool: carry ["bin/cuda-carry.tar.xz"])
#   ptx    regenerate the committed PTX (go generate ./internal/cuda/kernels)
#   ptxcheck  fail if the committed PTX is stale; assemble it with ptxas
#   nogpu  assert that bin/train-cuda fails with the clear no-driver message
#          (for machines without an NVIDIA driver, like CI)
#   check  run on a GPU machine: op checks, refbench GPU vs CPU, step times
#          beside PyTorch, configs/quick.yaml with device: cuda; one table.
#          Needs only the work tree with bin/ (built here by `build`), python3
#          with torch for the PyTorch column, and libcublas.so.{13,12,11}
#          (found in python's nvidia wheels when not on LD_LIBRARY_PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE=${SELUNET_CUDA_CACHE:-$HOME/.cache/selunet/cuda}
CUDA_VERSION=11.8.89~11.8.0-5~deb12u1
STAMP=$CACHE/.complete-$CUDA_VERSION

log() { echo "cuda.sh: $*" >&2; }
die() { echo "cuda.sh: $*" >&2; exit 1; }

deps() {
	if [ -f "$STAMP" ]; then return 0; fi
	command -v apt-get >/dev/null || die "deps needs apt-get and dpkg-deb (Debian/Ubuntu)"
	local work=$CACHE.tmp
	rm -rf "$work" && mkdir -p "$work"/{apt/lists/partial,apt/cache/archives/partial,debs,root}
	# A private apt configuration: only bookworm's non-free component, its
	# own package lists; the system's sources and dpkg state are not touched.
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${SELUNET_DEBIAN_MIRROR:-http://deb.debian.org/debian} bookworm non-free" >"$work/apt/sources.list"
	local apt=(-o "Dir::Etc::SourceList=$work/apt/sources.list" -o Dir::Etc::SourceParts=/nonexistent
		-o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache=$work/apt/cache"
		-o Debug::NoLocking=1 -qq)
	# as root, apt drops to the _apt user for downloads, which cannot write here
	if [ "$(id -u)" = 0 ]; then apt+=(-o APT::Sandbox::User=root); fi
	log "apt-get update (bookworm non-free)"
	apt-get "${apt[@]}" update
	log "apt-get download nvidia-cuda-toolkit nvidia-cuda-dev ($CUDA_VERSION, about 860 MB)"
	(cd "$work/debs" && apt-get "${apt[@]}" download "nvidia-cuda-toolkit=$CUDA_VERSION" "nvidia-cuda-dev=$CUDA_VERSION")
	log "extracting"
	dpkg-deb -x "$work"/debs/nvidia-cuda-toolkit_*.deb "$work/root"
	# nvidia-cuda-dev is 2.8 GB unpacked: take only headers and the libcuda stub.
	dpkg-deb --fsys-tarfile "$work"/debs/nvidia-cuda-dev_*.deb |
		tar -x -C "$work/root" ./usr/include ./usr/lib/x86_64-linux-gnu/stubs/libcuda.so ./usr/lib/x86_64-linux-gnu/stubs/libcublas.so
	local r=$work/root new=$CACHE.new
	rm -rf "$new" && mkdir -p "$new"/{bin,lib,nvvm/libdevice}
	cp "$r"/usr/lib/nvidia-cuda-toolkit/bin/{nvcc,cicc} "$r"/usr/bin/ptxas "$new/bin/"
	cp "$r"/usr/lib/nvidia-cuda-toolkit/libdevice/libdevice.10.bc "$new/nvvm/libdevice/"
	cat >"$new/bin/nvcc.profile" <<'EOF'
TOP = $(_HERE_)/..
NVVMIR_LIBRARY_DIR = $(TOP)/nvvm/libdevice
PATH += $(_HERE_):
INCLUDES += "-I$(TOP)/include" $(_SPACE_)
EOF
	# Headers: the driver API, cuBLAS and what nvcc's cuda_runtime.h pulls in;
	# the other libraries' headers (NPP, cuFFT, cuSPARSE, ...) are dropped.
	cp -r "$r/usr/include" "$new/include"
	(cd "$new/include" && rm -rf npp* nvjpeg* cufft* cusolver* cusparse* curand* cuda-gdb nvtx3 \
		cudaEGL* cudaGL* cudaVDPAU* cuda_egl* cuda_gl* cuda_vdpau* cupti* nvml* cublasLt.h cublasXt.h \
		cudalibxt.h nvToolsExt* fatbinary_section.h nvPTXCompiler.h nvrtc.h)
	# libcuda.so: the driver API link stub (SONAME libcuda.so.1, unversioned).
	cp "$r/usr/lib/x86_64-linux-gnu/stubs/libcuda.so" "$new/lib/"
	# libcublas.so: a generated stub with Debian's symbol names but no symbol
	# versions and SONAME libcublas.so.13, so the binary binds to whichever
	# cuBLAS (11, 12, 13) the probe loads at start-up.
	nm -D --defined-only "$r/usr/lib/x86_64-linux-gnu/stubs/libcublas.so" |
		awk '$2 == "T" { sub(/@.*/, "", $3); print "void " $3 "(void) {}" }' | sort -u >"$new/lib/cublas_stub.c"
	gcc -shared -fPIC -Wl,-soname,libcublas.so.13 -o "$new/lib/libcublas.so" "$new/lib/cublas_stub.c"
	rm "$new/lib/cublas_stub.c"
	printf 'int main(void){return 0;}\n' >"$work/t.cu"
	"$new/bin/nvcc" -ccbin "${CC:-gcc}" -allow-unsupported-compiler -arch=compute_90 -ptx "$work/t.cu" -o "$work/t.ptx" ||
		die "the extracted nvcc does not work"
	rm -rf "$CACHE" && mv "$new" "$CACHE" && rm -rf "$work"
	touch "$STAMP"
	log "cache ready: $CACHE ($(du -sh "$CACHE" | cut -f1))"
}

cuda_env() {
	export GOWORK=$ROOT/cuda.work
	export CGO_ENABLED=1
	export CGO_CFLAGS="-I$CACHE/include -O2 -Wno-deprecated-declarations"
	export CGO_LDFLAGS="-L$CACHE/lib"
	export PATH=$CACHE/bin:$PATH
}

vet() { deps && cuda_env && go vet -tags cuda ./...; }

# cuda_pkgs lists the packages that have cuda-tagged test files.
cuda_pkgs() {
	cuda_env
	go list -tags cuda -f '{{if .TestGoFiles}}{{.ImportPath}} {{.Dir}}{{end}}' ./... |
		while read -r pkg dir; do
			if grep -lqs '^//go:build cuda' "$dir"/*_cuda_test.go 2>/dev/null; then echo "$pkg"; fi
		done
}

# finish makes a linked cuda binary start on any machine: libcuda.so.1 and
# libcublas are removed from its DT_NEEDED list and loaded by
# internal/cuda/probe at start-up, which prints one clear error when they
# or a GPU are missing (instead of the loader's or cu's own exit).
finish() { go run ./internal/cuda/dropneeded "$1" libcuda.so.1 libcublas.so.13; }

build() {
	deps
	mkdir -p bin/cuda-tests
	log "go build -o bin/train ./cmd/train (the CPU build, for the check's CPU columns)"
	(unset GOWORK; CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o bin/train ./cmd/train)
	cuda_env
	log "go build -tags cuda -o bin/train-cuda ./cmd/train"
	go build -tags cuda -trimpath -ldflags='-s -w' -o bin/train-cuda ./cmd/train
	finish bin/train-cuda
	rm -f bin/cuda-tests/*.test
	local pkg name
	for pkg in $(cuda_pkgs); do
		name=$(echo "${pkg#github.com/selunet/selunet/}" | tr / _)
		log "go test -tags cuda -c $pkg"
		go test -tags cuda -c -trimpath -ldflags='-s -w' -o "bin/cuda-tests/$name.test" "$pkg"
		finish "bin/cuda-tests/$name.test"
	done
	# One archive to carry to the GPU machine (the device tool carries at most
	# 64 MiB of ignored paths; the raw binaries are about 85 MB).
	tar -cf - bin/train bin/train-cuda bin/cuda-tests | xz -T2 -6 >bin/cuda-carry.tar.xz.tmp
	mv bin/cuda-carry.tar.xz.tmp bin/cuda-carry.tar.xz
	log "built bin/train, bin/train-cuda, bin/cuda-tests/*.test; carry bin/cuda-carry.tar.xz ($(du -h bin/cuda-carry.tar.xz | cut -f1))"
}

ptx() { deps && cuda_env && go generate ./internal/cuda/kernels; }

# ptxcheck regenerates the PTX, fails when the committed files differ (a
# kernel source changed without `scripts/cuda.sh ptx`), and assembles every
# module with ptxas for its target (sm_70, sm_90).
ptxcheck() {
	ptx 2>/dev/null
	git diff --exit-code --stat -- internal/cuda/kernels/ptx ||
		die "the committed PTX is stale: run scripts/cuda.sh ptx and commit internal/cuda/kernels/ptx"
	local a f
	for a in 70 90; do
		for f in internal/cuda/kernels/ptx/compute_$a/*.ptx; do
			"$CACHE/bin/ptxas" -arch=sm_$a "$f" -o /dev/null || die "ptxas -arch=sm_$a rejects $f"
		done
	done
	log "PTX up to date; ptxas accepts all $(ls internal/cuda/kernels/ptx/compute_*/*.ptx | wc -l) modules"
}

nogpu() {
	[ -x bin/train-cuda ] || die "run scripts/cuda.sh build first"
	if ldconfig -p 2>/dev/null | grep -q 'libcuda\.so\.1 '; then
		log "nogpu: this machine has libcuda.so.1; skipped"
		return 0
	fi
	expect_clear() { # expect_clear WHAT PATTERN [ENV...]: bin/train-cuda must fail with PATTERN
		local what=$1 pat=$2 out rc=0
		shift 2
		out=$(env "$@" bin/train-cuda -device cuda -config configs/quick.yaml 2>&1) || rc=$?
		if [ "$rc" -eq 0 ] || ! grep -q "CUDA is not available: .*$pat" <<<"$out" || [ "$(wc -l <<<"$out")" -gt 2 ]; then
			echo "$out" >&2
			die "bin/train-cuda $what: expected the clear 'CUDA is not available' error (rc=$rc)"
		fi
		log "$what: ok (rc=$rc): $(head -1 <<<"$out")"
	}
	expect_clear "without a driver" "libcuda.so.1"
	# A stand-in driver whose cuInit reports CUDA_ERROR_NO_DEVICE (100), as on a
	# machine with the driver installed but no GPU.
	local fake
	fake=$(mktemp -d)
	cat >"$fake/cuda.c" <<'EOF'
int cuInit(unsigned f) { return 100; }
int cuDeviceGetCount(int *c) { *c = 0; return 0; }
int cuDriverGetVersion(int *v) { *v = 0; return 0; }
int cuDeviceGetAttribute(int *v, int a, int d) { *v = 0; return 0; }
int cuDeviceGetName(char *n, int l, int d) { n[0] = 0; return 0; }
int cuGetErrorName(int c, const char **s) { *s = "CUDA_ERROR_NO_DEVICE"; return 0; }
EOF
	gcc -shared -fPIC -Wl,-soname,libcuda.so.1 -o "$fake/libcuda.so.1" "$fake/cuda.c"
	expect_clear "with a driver but no GPU" "CUDA_ERROR_NO_DEVICE" LD_LIBRARY_PATH="$fake"
	rm -rf "$fake"
}

check() { exec "$ROOT/scripts/cuda_check.sh" "$@"; }

case "${1:-}" in
deps) deps ;;
env)
	cuda_env
	printf 'export GOWORK=%q CGO_ENABLED=1 CGO_CFLAGS=%q CGO_LDFLAGS=%q PATH=%q\n' "$GOWORK" "$CGO_CFLAGS" "$CGO_LDFLAGS" "$PATH"
	;;
vet) vet ;;
build) build ;;
ptx) ptx ;;
ptxcheck) ptxcheck ;;
nogpu) nogpu ;;
check) shift && check "$@" ;;
*) die "usage: scripts/cuda.sh deps|env|vet|build|ptx|ptxcheck|nogpu|check" ;;
esac
