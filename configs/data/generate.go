//go:build ignore

// Generate writes the synthetic example tables machines.csv and
// machines-new.csv (go run configs/data/generate.go, from the repository
// root). Every value comes from a seeded generator; no real data is used.
//
// Each row is one machine: six sensor readings and, in machines.csv, its
// state. A hidden wear level w ~ U(0, 1) drives the readings (with noise
// and one reading, humidity, unrelated to the state); the state is "ok"
// below 0.45, "worn" below 0.75, else "faulty", decided on a noisy copy of
// w so that the classes overlap a little.
package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
)

const header = "temperature_c,vibration_mm_s,pressure_bar,current_a,rpm,humidity_pct"

func row(r *rand.Rand) (string, string) {
	w := r.Float64()
	temp := 55 + 30*w + 4*r.NormFloat64()
	vib := 1.5 + 6*w*w + 0.8*r.NormFloat64()
	press := 6.2 - 1.5*w + 0.4*r.NormFloat64()
	cur := 12 + 5*math.Sqrt(w) + 1.2*r.NormFloat64()
	rpm := 1480 - 120*w + 25*r.NormFloat64()
	hum := 30 + 25*r.Float64()
	state := "ok"
	switch wn := w + 0.07*r.NormFloat64(); {
	case wn >= 0.75:
		state = "faulty"
	case wn >= 0.45:
		state = "worn"
	}
	return fmt.Sprintf("%.1f,%.2f,%.2f,%.2f,%.0f,%.1f", temp, vib, press, cur, rpm, hum), state
}

func write(name, text string) {
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func main() {
	r := rand.New(rand.NewPCG(2026, 13))
	var b strings.Builder
	b.WriteString("machine," + header + ",state\n")
	for i := 1; i <= 800; i++ {
		x, s := row(r)
		fmt.Fprintf(&b, "m%04d,%s,%s\n", i, x, s)
	}
	write("configs/data/machines.csv", b.String())
	b.Reset()
	// New machines, columns in another order, no state: what predict gets.
	b.WriteString("humidity_pct,rpm,current_a,pressure_bar,vibration_mm_s,temperature_c,machine\n")
	for i := 1; i <= 12; i++ {
		x, _ := row(r)
		f := strings.Split(x, ",")
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s,new%02d\n", f[5], f[4], f[3], f[2], f[1], f[0], i)
	}
	write("configs/data/machines-new.csv", b.String())
}
