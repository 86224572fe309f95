package solvers

import (
	"errors"
	"fmt"
	"math"

	"github.com/selunet/selunet/config"
)

// KeyPrefix is the YAML section name that New puts before the keys of its
// validation errors ("optimizer.lr").
const KeyPrefix = "optimizer"

// Default hyperparameters (PyTorch's).
const (
	DefaultBeta1      = 0.9   // Adam β1
	DefaultBeta2      = 0.999 // Adam β2
	DefaultAdamEps    = 1e-8  // Adam ε
	DefaultRho        = 0.99  // RMSProp ρ (PyTorch's alpha)
	DefaultRMSPropEps = 1e-8  // RMSProp ε
	DefaultAdamWDecay = 0.01  // AdamW weight_decay when left 0
	DefaultSGDLR      = 0.01  // NewSGD learning rate
	DefaultAdamLR     = 0.001 // NewAdam/NewAdamW learning rate
	DefaultRMSPropLR  = 0.01  // NewRMSProp learning rate
)

// Config is the optimizer section of a training configuration. Zero values
// mean "off" or "default" as stated per field. The hyperparameters for which
// 0 is a legal value that differs from the default (Beta1, Beta2, Rho,
// WeightDecay) are pointers: nil (the key absent, or null in YAML) means the
// default, and an explicit 0 means 0. Fields that the chosen solver does not
// use must be left unset or zero (Validate reports any other value), so that
// a setting is never silently ignored.
type Config struct {
	// Name is the rule: "sgd", "adam", "adamw" or "rmsprop".
	Name string `yaml:"name"`
	// LR is the base learning rate, > 0.
	LR float64 `yaml:"lr"`
	// Momentum μ in [0, 1) for sgd and rmsprop; 0 is off.
	Momentum float64 `yaml:"momentum"`
	// Nesterov selects Nesterov momentum (sgd with momentum > 0 only).
	Nesterov bool `yaml:"nesterov"`
	// Beta1 in [0, 1) for adam/adamw; nil means DefaultBeta1 (0 is Adam
	// without momentum).
	Beta1 *float64 `yaml:"beta1"`
	// Beta2 in [0, 1) for adam/adamw; nil means DefaultBeta2.
	Beta2 *float64 `yaml:"beta2"`
	// Eps > 0 for adam/adamw/rmsprop; 0 means the default (1e-8).
	Eps float64 `yaml:"eps"`
	// Rho in [0, 1) is RMSProp's square-average decay; nil means DefaultRho.
	Rho *float64 `yaml:"rho"`
	// WeightDecay >= 0 is the decoupled decay w ← w·(1−lr·wd). Allowed for
	// sgd and rmsprop (nil is 0, off) and adamw (nil means
	// DefaultAdamWDecay); not for adam (use adamw, or L2 for coupled decay).
	WeightDecay *float64 `yaml:"weight_decay"`
	// L2 >= 0 adds L2·w to the gradient (coupled); 0 is off.
	L2 float64 `yaml:"l2"`
	// ClipNorm >= 0 clips the global gradient norm; 0 is off.
	ClipNorm float64 `yaml:"clip_norm"`
	// ClipValue >= 0 clamps each gradient element to [−c, c]; 0 is off.
	ClipValue float64 `yaml:"clip_value"`
	// Schedule is the learning-rate schedule; the zero value is constant.
	Schedule ScheduleConfig `yaml:"schedule"`
}

// ScheduleConfig selects a learning-rate schedule. Steps count optimizer
// steps (Step calls), not epochs. The schedule's base rate is Config.LR.
type ScheduleConfig struct {
	// Kind is "" or "constant", "step" (StepDecay), "exponential" or
	// "cosine".
	Kind string `yaml:"kind"`
	// StepSize > 0 is the decay period of "step".
	StepSize int `yaml:"step_size"`
	// Gamma > 0 is the decay factor of "step" and "exponential".
	Gamma float64 `yaml:"gamma"`
	// TMax > 0 is the length of the cosine annealing, in steps.
	TMax int `yaml:"t_max"`
	// Warmup >= 0 is the number of linear warm-up steps (any kind).
	Warmup int `yaml:"warmup"`
	// MinLR in [0, LR] is the final rate of "cosine".
	MinLR float64 `yaml:"min_lr"`
}

// Validate checks every field and returns nil or all problems joined with
// errors.Join, each a config.FieldError whose Key is relative to the
// optimizer section ("lr", "schedule.gamma"), so that the config loader
// reports "optimizer.lr" at the line where it was set. New adds the
// "optimizer." prefix itself: "optimizer.lr: must be > 0, got -1".
func (c Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, config.FieldError{Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	finite := func(key string, v float64) bool {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			bad(key, "must be finite, got %v", v)
			return false
		}
		return true
	}
	unit := func(key string, v float64) { // [0, 1)
		if finite(key, v) && (v < 0 || v >= 1) {
			bad(key, "must be in [0, 1), got %v", v)
		}
	}
	nonNeg := func(key string, v float64) {
		if finite(key, v) && v < 0 {
			bad(key, "must be >= 0, got %v", v)
		}
	}
	unused := func(key string, set bool) {
		if set {
			bad(key, "not used by %s; leave it unset", c.Name)
		}
	}
	// An unused pointer field may hold 0: run directories from versions
	// whose fields were not pointers say "beta1: 0.0" for sgd.
	nonZero := func(p *float64) bool { return p != nil && *p != 0 }
	switch c.Name {
	case "sgd", "adam", "adamw", "rmsprop":
	case "":
		bad("name", "missing; want sgd, adam, adamw or rmsprop")
	default:
		bad("name", "unknown optimizer %q; want sgd, adam, adamw or rmsprop", c.Name)
	}
	if finite("lr", c.LR) && c.LR <= 0 {
		bad("lr", "must be > 0, got %v", c.LR)
	}
	unit("momentum", c.Momentum)
	for _, f := range []struct {
		key string
		p   *float64
	}{{"beta1", c.Beta1}, {"beta2", c.Beta2}, {"rho", c.Rho}} {
		if f.p != nil {
			unit(f.key, *f.p)
		}
	}
	nonNeg("eps", c.Eps)
	if c.WeightDecay != nil {
		nonNeg("weight_decay", *c.WeightDecay)
	}
	nonNeg("l2", c.L2)
	nonNeg("clip_norm", c.ClipNorm)
	nonNeg("clip_value", c.ClipValue)
	switch c.Name {
	case "sgd":
		unused("beta1", nonZero(c.Beta1))
		unused("beta2", nonZero(c.Beta2))
		unused("eps", c.Eps != 0)
		unused("rho", nonZero(c.Rho))
		if c.Nesterov && c.Momentum == 0 {
			bad("nesterov", "needs momentum > 0")
		}
	case "adam", "adamw":
		unused("momentum", c.Momentum != 0)
		unused("nesterov", c.Nesterov)
		unused("rho", nonZero(c.Rho))
		if c.Name == "adam" && nonZero(c.WeightDecay) {
			bad("weight_decay", "adam takes no decoupled weight decay; use name adamw, or l2 for coupled decay")
		}
	case "rmsprop":
		unused("beta1", nonZero(c.Beta1))
		unused("beta2", nonZero(c.Beta2))
		unused("nesterov", c.Nesterov)
	}
	s := c.Schedule
	sk := func(key string) string { return "schedule." + key }
	sunused := func(key string, set bool) {
		if set {
			bad(sk(key), "not used by schedule kind %q; leave it unset", s.Kind)
		}
	}
	if s.Warmup < 0 {
		bad(sk("warmup"), "must be >= 0, got %d", s.Warmup)
	}
	switch s.Kind {
	case "", "constant":
		sunused("step_size", s.StepSize != 0)
		sunused("gamma", s.Gamma != 0)
		sunused("t_max", s.TMax != 0)
		sunused("min_lr", s.MinLR != 0)
	case "step", "exponential":
		if s.Kind == "step" {
			if s.StepSize <= 0 {
				bad(sk("step_size"), "must be > 0, got %d", s.StepSize)
			}
		} else {
			sunused("step_size", s.StepSize != 0)
		}
		if finite(sk("gamma"), s.Gamma) && s.Gamma <= 0 {
			bad(sk("gamma"), "must be > 0, got %v", s.Gamma)
		}
		sunused("t_max", s.TMax != 0)
		sunused("min_lr", s.MinLR != 0)
	case "cosine":
		if s.TMax <= 0 {
			bad(sk("t_max"), "must be > 0, got %d", s.TMax)
		}
		if finite(sk("min_lr"), s.MinLR) && (s.MinLR < 0 || s.MinLR > c.LR) {
			bad(sk("min_lr"), "must be in [0, lr=%v], got %v", c.LR, s.MinLR)
		}
		sunused("step_size", s.StepSize != 0)
		sunused("gamma", s.Gamma != 0)
	default:
		bad(sk("kind"), "unknown schedule %q; want constant, step, exponential or cosine", s.Kind)
	}
	return errors.Join(errs...)
}

// Build returns the Schedule the config describes with base rate lr, or nil
// for a constant rate without warm-up. It assumes the config is valid.
func (s ScheduleConfig) Build(lr float64) Schedule {
	var inner Schedule
	switch s.Kind {
	case "step":
		inner = StepDecay{Base: lr, StepSize: s.StepSize, Gamma: s.Gamma}
	case "exponential":
		inner = Exponential{Base: lr, Gamma: s.Gamma}
	case "cosine":
		inner = Cosine{Base: lr, MinLR: s.MinLR, TMax: s.TMax}
	default:
		if s.Warmup <= 0 {
			return nil
		}
		inner = Constant(lr)
	}
	if s.Warmup > 0 {
		return Warmup{Steps: s.Warmup, Inner: inner}
	}
	return inner
}

// WithDefaults returns c with the unset fields that have defaults for its
// solver filled in (nil Beta1, Beta2, Rho and AdamW's WeightDecay; zero
// Eps): the values New uses. An explicit 0 stays 0. It still passes
// Validate.
func (c Config) WithDefaults() Config {
	def := func(p **float64, v float64) {
		if *p == nil {
			*p = &v
		}
	}
	switch c.Name {
	case "adam", "adamw":
		def(&c.Beta1, DefaultBeta1)
		def(&c.Beta2, DefaultBeta2)
		if c.Eps == 0 {
			c.Eps = DefaultAdamEps
		}
		if c.Name == "adamw" {
			def(&c.WeightDecay, DefaultAdamWDecay)
		}
	case "rmsprop":
		def(&c.Rho, DefaultRho)
		if c.Eps == 0 {
			c.Eps = DefaultRMSPropEps
		}
	}
	return c
}

// New validates cfg, fills its defaults and returns the solver. The error
// joins Validate's config.FieldErrors with KeyPrefix added to their keys,
// e.g. "optimizer.lr: must be > 0, got -1".
func New(cfg Config) (Solver, error) {
	if err := prefixed(cfg.Validate()); err != nil {
		return nil, err
	}
	return build(cfg, cfg.Schedule.Build(cfg.LR)), nil
}

// prefixed puts KeyPrefix before the keys of the joined FieldErrors.
func prefixed(err error) error {
	if err == nil {
		return nil
	}
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return err
	}
	var out []error
	for _, e := range j.Unwrap() {
		var fe config.FieldError
		if errors.As(e, &fe) {
			fe.Key = KeyPrefix + "." + fe.Key
			e = fe
		}
		out = append(out, e)
	}
	return errors.Join(out...)
}

func build(cfg Config, sched Schedule) *solver {
	c := cfg.WithDefaults()
	s := &solver{
		name:      c.Name,
		lr:        c.LR,
		sched:     sched,
		mom:       c.Momentum,
		nesterov:  c.Nesterov,
		beta1:     deref(c.Beta1),
		beta2:     deref(c.Beta2),
		eps:       c.Eps,
		rho:       deref(c.Rho),
		wd:        deref(c.WeightDecay),
		l2:        c.L2,
		clipNorm:  c.ClipNorm,
		clipValue: c.ClipValue,
	}
	switch c.Name {
	case "sgd":
		s.kind = kindSGD
		s.needA = c.Momentum != 0
	case "adam", "adamw":
		s.kind = kindAdam
		s.needA, s.needB = true, true
	case "rmsprop":
		s.kind = kindRMSProp
		s.needA, s.needB = c.Momentum != 0, true
	}
	return s
}

// deref is *p, or 0 for nil.
func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}
