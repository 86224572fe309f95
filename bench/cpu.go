// Copyright 2026 The selunet Authors. All rights reserved.
// Use of this source code is governed by the licence in the LICENSE file.

package bench

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// CPUUse is the CPU time spent during a measurement window, in cores
// (seconds of CPU per second of wall time), as torch_snn_bench.py records
// it.
type CPUUse struct {
	// WindowS is the length of the window in seconds.
	WindowS float64 `json:"window_s"`
	// OwnCores is this process's CPU use.
	OwnCores float64 `json:"own_cores"`
	// OtherCores is the CPU used by every other process (from /proc/stat).
	OtherCores float64 `json:"other_cores"`
	// StealCores is the CPU taken by the hypervisor.
	StealCores float64 `json:"steal_cores"`
	// MinorFaults is this process's minor page faults in the window.
	MinorFaults int64 `json:"minor_faults"`
}

// Monitor measures CPUUse between Start and Stop. The zero value is ready
// to use. On systems without /proc/stat OtherCores and StealCores are 0.
type Monitor struct {
	t0         time.Time
	busy0, st0 float64
	own0       float64
	faults0    int64
}

// Start opens a window.
func (m *Monitor) Start() {
	m.t0 = time.Now()
	m.busy0, m.st0 = procStat()
	m.own0, m.faults0 = ownCPU()
}

// Stop closes the window and returns what was used in it.
func (m *Monitor) Stop() CPUUse {
	wall := time.Since(m.t0).Seconds()
	busy, st := procStat()
	own, faults := ownCPU()
	u := CPUUse{WindowS: wall, MinorFaults: faults - m.faults0}
	if wall > 0 {
		u.OwnCores = (own - m.own0) / wall
		u.OtherCores = max(0, (busy-m.busy0)/wall-u.OwnCores)
		u.StealCores = (st - m.st0) / wall
	}
	return u
}

// procStat returns the busy and steal seconds of all CPUs from /proc/stat
// (USER_HZ = 100 on Linux).
func procStat() (busy, steal float64) {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return 0, 0
	}
	fields := strings.Fields(sc.Text())
	if len(fields) < 9 || fields[0] != "cpu" {
		return 0, 0
	}
	v := make([]float64, len(fields)-1)
	for i := range v {
		v[i], _ = strconv.ParseFloat(fields[i+1], 64)
	}
	// user nice system idle iowait irq softirq steal
	busy = v[0] + v[1] + v[2] + v[5] + v[6]
	return busy / 100, v[7] / 100
}

func ownCPU() (seconds float64, minorFaults int64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime), ru.Minflt
}

// ProcessCPU returns the CPU time this process has used so far (user plus
// system, all threads), or 0 where getrusage fails. Differences of it over
// a single-threaded run estimate the undisturbed wall time on a busy
// machine, as waiting for a core is not counted.
func ProcessCPU() time.Duration {
	s, _ := ownCPU()
	return time.Duration(s * float64(time.Second))
}

// WaitIdle waits up to limit for two consecutive one-second windows in
// which other processes used less than threshold cores, and returns the
// time waited.
func WaitIdle(limit time.Duration, threshold float64) time.Duration {
	t0 := time.Now()
	calm := 0
	var m Monitor
	for time.Since(t0) < limit {
		m.Start()
		time.Sleep(time.Second)
		if m.Stop().OtherCores < threshold {
			calm++
			if calm >= 2 {
				break
			}
		} else {
			calm = 0
		}
	}
	return time.Since(t0)
}
