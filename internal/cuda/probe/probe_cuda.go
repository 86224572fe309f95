//go:build cuda

package probe

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

typedef struct {
	int ok, count, major, minor, driver;
	char err[768];
	char name[256];
	char cublas[64];
} probe_result;

typedef int (*fn_i_u)(unsigned int);
typedef int (*fn_i_pi)(int*);
typedef int (*fn_i_pi_i_i)(int*, int, int);
typedef int (*fn_i_pc_i_i)(char*, int, int);
typedef int (*fn_i_i_ppc)(int, const char**);

static void cuErr(probe_result *r, void *h, const char *call, int code) {
	const char *name = "unknown error";
	fn_i_i_ppc errName = (fn_i_i_ppc)dlsym(h, "cuGetErrorName");
	if (errName) errName(code, &name);
	snprintf(r->err, sizeof r->err, "%s failed with %s (%d)", call, name, code);
}

static void probe(probe_result *r) {
	memset(r, 0, sizeof *r);
	void *h = dlopen("libcuda.so.1", RTLD_NOW | RTLD_GLOBAL);
	if (!h) {
		snprintf(r->err, sizeof r->err, "cannot load the NVIDIA driver library: %s", dlerror());
		return;
	}
	fn_i_u init = (fn_i_u)dlsym(h, "cuInit");
	fn_i_pi count = (fn_i_pi)dlsym(h, "cuDeviceGetCount");
	fn_i_pi version = (fn_i_pi)dlsym(h, "cuDriverGetVersion");
	fn_i_pi_i_i attr = (fn_i_pi_i_i)dlsym(h, "cuDeviceGetAttribute");
	fn_i_pc_i_i name = (fn_i_pc_i_i)dlsym(h, "cuDeviceGetName");
	if (!init || !count || !version || !attr || !name) {
		snprintf(r->err, sizeof r->err, "libcuda.so.1 lacks the driver API entry points (%s)", dlerror());
		return;
	}
	int code;
	if ((code = init(0)) != 0) { cuErr(r, h, "cuInit", code); return; }
	if ((code = count(&r->count)) != 0) { cuErr(r, h, "cuDeviceGetCount", code); return; }
	if (r->count == 0) { snprintf(r->err, sizeof r->err, "the driver sees no CUDA device"); return; }
	version(&r->driver);
	attr(&r->major, 75, 0); // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR
	attr(&r->minor, 76, 0); // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR
	name(r->name, sizeof r->name - 1, 0);
	static const char *blas[] = {"libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so"};
	for (int i = 0; i < 4; i++) {
		if (dlopen(blas[i], RTLD_NOW | RTLD_GLOBAL)) {
			snprintf(r->cublas, sizeof r->cublas, "%s", blas[i]);
			r->ok = 1;
			return;
		}
	}
	snprintf(r->err, sizeof r->err, "cannot load cuBLAS (libcublas.so.13, .12 or .11: %s); "
		"put its directory on LD_LIBRARY_PATH (pip's nvidia-cublas wheels keep it in site-packages/nvidia/cu13/lib)", dlerror());
}
*/
import "C"

import (
	"fmt"
	"os"
)

var dev Device

func init() {
	var r C.probe_result
	C.probe(&r)
	if r.ok == 0 {
		fmt.Fprintf(os.Stderr, "selunet: CUDA is not available: %s.\n"+
			"This binary was built with -tags cuda and needs an NVIDIA GPU with its driver; "+
			"without one, use the default build (go build ./cmd/train) and device: cpu.\n", C.GoString(&r.err[0]))
		os.Exit(1)
	}
	dev = Device{
		Name: C.GoString(&r.name[0]), Major: int(r.major), Minor: int(r.minor),
		Count: int(r.count), Driver: int(r.driver), CUBLAS: C.GoString(&r.cublas[0]),
	}
}

// Err returns nil: init has already exited the process when CUDA is
// unusable.
func Err() error { return nil }

// Info describes device 0.
func Info() Device { return dev }
