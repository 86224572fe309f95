// Package check is the GPU check of scripts/cuda.sh check, run through
// `train gpucheck` in both builds so that the CPU and GPU numbers come from
// the same code:
//
//   - Ops (cuda build): every selunet op with a GPU kernel, forward and
//     backward on the GPU against its CPU twin (the same op's Do, a fresh
//     op from the same seed for alpha dropout), as the largest elementwise
//     difference relative to the largest CPU magnitude, plus the float64
//     gradient check of graph/gradcheck on the GPU tape machine;
//   - Train: losses of N steps of the refbench network (package bench) from
//     the seed's weights and batches, with and without alpha dropout;
//   - Time: the median step time of the refbench network for SGD or Adam;
//   - Copies (cuda build): host↔device copy times of the network's weights
//     and gradients, the transfer floor of a step through Gorgonia's VM,
//     which keeps weights on the host.
//
// The results are plain structs that cmd/train prints as JSON lines for
// scripts/cuda_table.py.
package check

import "time"

// OpResult is one op's GPU-vs-CPU comparison.
type OpResult struct {
	Op        string  `json:"op"`
	FwdRel    float64 `json:"fwd_rel"`   // max |gpu − cpu| / max |cpu| of the output
	BwdRel    float64 `json:"bwd_rel"`   // the same for the input gradients
	GradCheck string  `json:"gradcheck"` // "ok" or the gradcheck error
	Err       string  `json:"err,omitempty"`
}

// TrainResult is the loss trace of a refbench training run.
type TrainResult struct {
	Dropout   float64   `json:"dropout"`
	Optimizer string    `json:"optimizer"`
	Device    string    `json:"device"`
	Losses    []float32 `json:"losses"`
	NonFinite int       `json:"non_finite,omitempty"` // NaN or Inf losses, reported as MaxFloat32
}

// TimeResult is the median step time of the refbench network.
type TimeResult struct {
	Optimizer string  `json:"optimizer"`
	Device    string  `json:"device"`
	Steps     int     `json:"steps"`
	MedianMs  float64 `json:"median_ms"`
	MinMs     float64 `json:"min_ms"`
}

// CopyResult is the time of copying the refbench weights to the device and
// the gradients back once (pageable host memory, as Gorgonia copies).
type CopyResult struct {
	Bytes   int64   `json:"bytes"`
	HtoDMs  float64 `json:"htod_ms"`
	DtoHMs  float64 `json:"dtoh_ms"`
	Repeats int     `json:"repeats"`
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
