// Package par runs the parallel loops of selunet's kernels (matrix
// products, elementwise ops, solver updates) on a pool of helper
// goroutines that stay awake between loops.
//
// The helpers are started on first use and kept. After each loop they spin
// for Spin before they sleep, so a loop that follows within Spin finds them
// awake and waits for no wake-up, as OpenMP and OpenBLAS threads do. This
// matters when short parallel ops run back to back, as in a training step:
// the scheduler may start a new or freshly woken goroutine later than such
// an op takes (bench/PERFORMANCE.md has the delay measured on the project's
// machine). The price is up to Spin of polling on each helper's core after
// the last loop of a burst. Tasks are claimed one at a time, so a helper
// that joins late only takes the tasks still left. selunet's kernels use up to
// GOMAXPROCS goroutines per loop, so processes that share the cores should
// divide them (GOMAXPROCS = cores / processes, as sweep.Local does for its
// workers), or one process's spinning helpers take the cores the others
// need.
//
// For is safe for concurrent use: a call that finds the pool busy (another
// goroutine's loop, or a loop started from inside a loop) runs on freshly
// started goroutines instead.
package par

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Spin is how long an idle helper polls for the next loop before it
// sleeps (and then needs a wake-up that the loop must wait for).
const Spin = 500 * time.Microsecond

// For calls f(worker, t) for every t in [0, n), on up to w goroutines (the
// caller's included) that claim the tasks in increasing t. Each goroutine
// has its own worker index in [0, min(w, n)), so f may use per-worker
// buffers. For returns when every call has returned. With w ≤ 1 or n ≤ 1
// it runs the loop on the caller's goroutine.
func For(w, n int, f func(worker, t int)) {
	w = min(w, n)
	if w <= 1 {
		for t := range n {
			f(0, t)
		}
		return
	}
	if !owner.TryLock() {
		spawn(w, n, f)
		return
	}
	defer owner.Unlock()
	startHelpers(w - 1)
	j := &job{f: f, n: int64(n), w: int64(w)}
	j.workers.Store(1) // the caller is worker 0
	current.Store(j)
	publish()
	j.run(0)
	for i := 0; j.done.Load() < j.n; i++ {
		if i%64 == 63 {
			runtime.Gosched()
		}
	}
	current.Store(nil)
}

// Blocks splits [0, n) into at most w contiguous blocks of whole units of
// align (the last block takes the rest) and calls f(lo, hi) for each, in
// parallel with For. It is the shape of an elementwise kernel's loop.
func Blocks(w, n, align int, f func(lo, hi int)) {
	align = max(align, 1)
	units := (n + align - 1) / align
	w = min(w, units)
	if w <= 1 {
		f(0, n)
		return
	}
	per := (units + w - 1) / w * align
	For(w, (n+per-1)/per, func(_, t int) {
		f(t*per, min((t+1)*per, n))
	})
}

// job is one For call being run by the pool.
type job struct {
	f       func(worker, t int)
	n, w    int64
	next    atomic.Int64 // next task to claim
	workers atomic.Int64 // worker indices handed out
	done    atomic.Int64 // tasks finished
}

// run claims and runs tasks until none are left.
func (j *job) run(worker int) {
	for {
		t := j.next.Add(1) - 1
		if t >= j.n {
			return
		}
		j.f(worker, int(t))
		j.done.Add(1)
	}
}

var (
	owner   sync.Mutex          // held by the For call that has the pool
	current atomic.Pointer[job] // the loop being run, nil between loops
	seq     atomic.Uint64       // counts published loops

	sleepMu  sync.Mutex
	wake     = sync.NewCond(&sleepMu)
	sleeping int // helpers waiting on wake
	helpers  int // helpers started (guarded by owner)
)

// startHelpers makes sure at least k helper goroutines exist.
func startHelpers(k int) {
	for ; helpers < k; helpers++ {
		go helper()
	}
}

// publish announces a new loop and wakes sleeping helpers.
func publish() {
	seq.Add(1)
	sleepMu.Lock()
	if sleeping > 0 {
		wake.Broadcast()
	}
	sleepMu.Unlock()
}

// helper joins every loop it sees, spinning for Spin between loops and
// then sleeping until the next one is published.
func helper() {
	last := seq.Load()
	for {
		last = await(last)
		j := current.Load()
		if j == nil {
			continue // the loop ended before this helper looked
		}
		if id := j.workers.Add(1) - 1; id < j.w {
			j.run(int(id))
		}
	}
}

// await returns the loop count once it differs from last.
func await(last uint64) uint64 {
	start := time.Now()
	for i := 0; ; i++ {
		if s := seq.Load(); s != last {
			return s
		}
		if i%64 == 63 {
			if time.Since(start) > Spin {
				break
			}
			runtime.Gosched() // let other goroutines have this P
		}
	}
	sleepMu.Lock()
	defer sleepMu.Unlock()
	for {
		if s := seq.Load(); s != last {
			return s
		}
		sleeping++
		wake.Wait()
		sleeping--
	}
}

// spawn runs a loop on w−1 new goroutines and the caller's, the way For
// does when the pool is busy.
func spawn(w, n int, f func(worker, t int)) {
	var next atomic.Int64
	run := func(worker int) {
		for {
			t := int(next.Add(1) - 1)
			if t >= n {
				return
			}
			f(worker, t)
		}
	}
	var wg sync.WaitGroup
	wg.Add(w - 1)
	for i := 1; i < w; i++ {
		go func() { defer wg.Done(); run(i) }()
	}
	run(0)
	wg.Wait()
}
