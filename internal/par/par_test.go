package par

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// check runs For(w, n) and verifies that every task ran once and that the
// worker indices were distinct per goroutine and below min(w, n).
func check(t *testing.T, w, n int) {
	t.Helper()
	runs := make([]atomic.Int32, n)
	var mu sync.Mutex
	owners := map[int]int64{} // worker index -> goroutine marker
	var marker atomic.Int64
	For(w, n, func(worker, task int) {
		runs[task].Add(1)
		if worker < 0 || worker >= max(1, min(w, n)) {
			t.Errorf("w=%d n=%d: worker index %d out of range", w, n, worker)
		}
		mu.Lock()
		if _, ok := owners[worker]; !ok {
			owners[worker] = marker.Add(1)
		}
		mu.Unlock()
	})
	for i := range runs {
		if got := runs[i].Load(); got != 1 {
			t.Fatalf("w=%d n=%d: task %d ran %d times, want 1", w, n, i, got)
		}
	}
}

// TestFor covers serial loops, more workers than tasks, many tasks, and
// GOMAXPROCS changes between calls.
func TestFor(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	cases := []struct{ procs, w, n int }{
		{1, 1, 10},  // 0: serial
		{2, 2, 0},   // 1: no tasks
		{2, 2, 1},   // 2: one task
		{2, 4, 3},   // 3: more workers than tasks
		{2, 2, 500}, // 4
		{4, 4, 257}, // 5: more helpers
		{1, 4, 64},  // 6: helpers left from before, one P
	}
	for _, c := range cases {
		runtime.GOMAXPROCS(c.procs)
		check(t, c.w, c.n)
	}
}

// TestWorkerBuffers: worker indices are exclusive, so per-worker buffers
// need no locking (checked by the race detector and by the sums).
func TestWorkerBuffers(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(3)
	const w, n = 3, 3000
	var busy [w]atomic.Int32
	sums := make([]int, w)
	For(w, n, func(worker, task int) {
		if busy[worker].Add(1) != 1 {
			t.Errorf("worker %d used by two goroutines at once", worker)
		}
		sums[worker] += task
		busy[worker].Add(-1)
	})
	total := 0
	for _, s := range sums {
		total += s
	}
	if want := n * (n - 1) / 2; total != want {
		t.Errorf("got sum %d want %d", total, want)
	}
}

// TestConcurrentAndNested: loops started by several goroutines at once,
// and loops started inside a loop, all complete (the busy pool falls back
// to new goroutines).
func TestConcurrentAndNested(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(2)
	var total atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < 50; r++ {
				For(2, 10, func(_, _ int) {
					For(2, 3, func(_, _ int) { total.Add(1) })
				})
			}
		}()
	}
	wg.Wait()
	if got, want := total.Load(), int64(8*50*10*3); got != want {
		t.Errorf("got %d calls want %d", got, want)
	}
}

// TestSleepingHelpers: after the helpers have gone to sleep, a loop still
// wakes them: the first task waits until another worker has run a task
// (For would otherwise still finish, on the caller alone).
func TestSleepingHelpers(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(2)
	For(2, 2, func(_, _ int) {})
	time.Sleep(3 * Spin) // the helpers sleep now
	var helped atomic.Bool
	deadline := time.Now().Add(time.Minute) // liveness bound, not a speed check
	For(2, 2, func(worker, task int) {
		if worker != 0 {
			helped.Store(true)
			return
		}
		for !helped.Load() && time.Now().Before(deadline) {
			runtime.Gosched()
		}
	})
	if !helped.Load() {
		t.Errorf("no helper took part in a minute")
	}
}

// TestBlocks: the blocks cover [0, n) without overlap, each but the last a
// multiple of align long.
func TestBlocks(t *testing.T) {
	cases := []struct{ w, n, align int }{
		{2, 100, 16}, // 0
		{2, 10, 16},  // 1: one block
		{3, 1000, 1}, // 2
		{2, 0, 8},    // 3: empty
		{8, 33, 4},   // 4: more workers than units
	}
	for i, c := range cases {
		seen := make([]atomic.Int32, c.n)
		Blocks(c.w, c.n, c.align, func(lo, hi int) {
			if lo%c.align != 0 || (hi != c.n && hi%c.align != 0) {
				t.Errorf("%d: block [%d, %d) not aligned to %d", i, lo, hi, c.align)
			}
			for k := lo; k < hi; k++ {
				seen[k].Add(1)
			}
		})
		for k := range seen {
			if seen[k].Load() != 1 {
				t.Fatalf("%d: element %d covered %d times", i, k, seen[k].Load())
			}
		}
	}
}

// BenchmarkFor measures the overhead of a two-task loop of ~20 µs tasks:
// with the pool, against starting a goroutine per loop. The gap between
// loops (time.Sleep) lets an idle P go to sleep, as between the ops of a
// step.
func BenchmarkFor(b *testing.B) {
	work := func(_, _ int) {
		x := 0.0
		for i := 0; i < 20000; i++ {
			x += float64(i)
		}
		_ = x
	}
	b.Run("pool", func(b *testing.B) {
		for b.Loop() {
			For(2, 2, work)
		}
	})
	b.Run("spawn", func(b *testing.B) {
		for b.Loop() {
			spawn(2, 2, work)
		}
	})
}
