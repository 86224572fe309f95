package solvers

import (
	"fmt"
	"math"
)

// Schedule gives the learning rate for an optimizer step. step counts
// optimizer steps from 0 (the first Step call uses LR(0)). Implementations
// must be pure functions of step so that a resumed run gets the same rates.
type Schedule interface {
	LR(step int) float64
}

// Constant is a Schedule that always returns its value.
type Constant float64

// LR returns c for every step.
func (c Constant) LR(step int) float64 { return float64(c) }

// StepDecay is a Schedule that multiplies Base by Gamma every StepSize steps:
// LR(t) = Base·Gamma^⌊t/StepSize⌋. StepSize must be > 0 (LR panics
// otherwise).
type StepDecay struct {
	Base     float64
	StepSize int
	Gamma    float64
}

// LR returns Base·Gamma^⌊step/StepSize⌋. It panics if StepSize <= 0.
func (s StepDecay) LR(step int) float64 {
	if s.StepSize <= 0 {
		panic(fmt.Sprintf("solvers: StepDecay.StepSize must be > 0, got %d", s.StepSize))
	}
	return s.Base * math.Pow(s.Gamma, float64(step/s.StepSize))
}

// Exponential is a Schedule that multiplies Base by Gamma every step:
// LR(t) = Base·Gamma^t.
type Exponential struct {
	Base  float64
	Gamma float64
}

// LR returns Base·Gamma^step.
func (e Exponential) LR(step int) float64 {
	return e.Base * math.Pow(e.Gamma, float64(step))
}

// Cosine is a Schedule that anneals from Base to MinLR over TMax steps along
// half a cosine and then stays at MinLR:
// LR(t) = MinLR + (Base−MinLR)·(1 + cos(π·min(t,TMax)/TMax))/2
// (PyTorch's CosineAnnealingLR without restarts). TMax must be > 0 (LR
// panics otherwise).
type Cosine struct {
	Base  float64
	MinLR float64
	TMax  int
}

// LR returns the annealed rate at step. It panics if TMax <= 0.
func (c Cosine) LR(step int) float64 {
	if c.TMax <= 0 {
		panic(fmt.Sprintf("solvers: Cosine.TMax must be > 0, got %d", c.TMax))
	}
	t := min(step, c.TMax)
	return c.MinLR + (c.Base-c.MinLR)*(1+math.Cos(math.Pi*float64(t)/float64(c.TMax)))/2
}

// Warmup is a Schedule that ramps the rate up linearly over the first Steps
// steps and then follows Inner shifted by Steps:
// LR(t) = Inner.LR(0)·(t+1)/Steps for t < Steps, else Inner.LR(t−Steps).
// The first step therefore uses Inner.LR(0)/Steps, never 0. Steps <= 0 means
// no warm-up. Inner must not be nil.
type Warmup struct {
	Steps int
	Inner Schedule
}

// LR returns the warmed-up rate at step.
func (w Warmup) LR(step int) float64 {
	if step < w.Steps {
		return w.Inner.LR(0) * float64(step+1) / float64(w.Steps)
	}
	return w.Inner.LR(step - max(w.Steps, 0))
}
