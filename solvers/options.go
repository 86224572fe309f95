package solvers

// Option sets one field of the configuration that NewSGD, NewAdam, NewAdamW
// and NewRMSProp build. Each WithXxx matches the Config field of the same
// name; the constructors panic if the result does not Validate.
type Option func(*settings)

type settings struct {
	cfg       Config
	sched     Schedule
	keepGrads bool
}

// WithLR sets the base learning rate (Config.LR).
func WithLR(lr float64) Option { return func(s *settings) { s.cfg.LR = lr } }

// WithMomentum sets the momentum μ (Config.Momentum; sgd and rmsprop).
func WithMomentum(mu float64) Option { return func(s *settings) { s.cfg.Momentum = mu } }

// WithNesterov turns on Nesterov momentum (Config.Nesterov; sgd).
func WithNesterov() Option { return func(s *settings) { s.cfg.Nesterov = true } }

// WithBetas sets Adam's β1 and β2 (Config.Beta1, Config.Beta2).
func WithBetas(beta1, beta2 float64) Option {
	return func(s *settings) { s.cfg.Beta1, s.cfg.Beta2 = &beta1, &beta2 }
}

// WithEps sets ε (Config.Eps; adam, adamw, rmsprop).
func WithEps(eps float64) Option { return func(s *settings) { s.cfg.Eps = eps } }

// WithRho sets RMSProp's square-average decay ρ (Config.Rho).
func WithRho(rho float64) Option { return func(s *settings) { s.cfg.Rho = &rho } }

// WithWeightDecay sets the decoupled weight decay (Config.WeightDecay).
func WithWeightDecay(wd float64) Option { return func(s *settings) { s.cfg.WeightDecay = &wd } }

// WithL2 sets the coupled L2 coefficient (Config.L2).
func WithL2(l2 float64) Option { return func(s *settings) { s.cfg.L2 = l2 } }

// WithClipNorm sets the global gradient-norm limit (Config.ClipNorm).
func WithClipNorm(c float64) Option { return func(s *settings) { s.cfg.ClipNorm = c } }

// WithClipValue sets the per-element gradient limit (Config.ClipValue).
func WithClipValue(c float64) Option { return func(s *settings) { s.cfg.ClipValue = c } }

// WithSchedule attaches a learning-rate schedule; it replaces
// Config.Schedule and the base rate (the schedule gives every rate).
func WithSchedule(sched Schedule) Option { return func(s *settings) { s.sched = sched } }

// WithoutZeroGrads makes Step leave the gradients untouched instead of
// zeroing them (Gorgonia's convention, the default). It has no Config field
// (it is a property of the training loop, not of the optimizer); use it when
// the gradients are overwritten by every forward/backward run, as with
// backend.GradPairs on a TapeMachine. See GradZeroer.
func WithoutZeroGrads() Option { return func(s *settings) { s.keepGrads = true } }

func newWith(name string, lr float64, opts []Option) Solver {
	st := settings{cfg: Config{Name: name, LR: lr}}
	for _, o := range opts {
		o(&st)
	}
	if err := prefixed(st.cfg.Validate()); err != nil {
		panic("solvers: " + err.Error())
	}
	sched := st.sched
	if sched == nil {
		sched = st.cfg.Schedule.Build(st.cfg.LR)
	}
	s := build(st.cfg, sched)
	s.keepGrads = st.keepGrads
	return s
}

// NewSGD returns plain SGD, or SGD with (Nesterov) momentum. The default
// learning rate is DefaultSGDLR. It panics on invalid options.
func NewSGD(opts ...Option) Solver { return newWith("sgd", DefaultSGDLR, opts) }

// NewAdam returns Adam (β1 0.9, β2 0.999, ε 1e-8, lr DefaultAdamLR by
// default). It panics on invalid options, including WithWeightDecay (use
// NewAdamW).
func NewAdam(opts ...Option) Solver { return newWith("adam", DefaultAdamLR, opts) }

// NewAdamW returns Adam with decoupled weight decay (DefaultAdamWDecay unless
// WithWeightDecay is given). It panics on invalid options.
func NewAdamW(opts ...Option) Solver { return newWith("adamw", DefaultAdamLR, opts) }

// NewRMSProp returns RMSProp (ρ 0.99, ε 1e-8, lr DefaultRMSPropLR by
// default). It panics on invalid options.
func NewRMSProp(opts ...Option) Solver { return newWith("rmsprop", DefaultRMSPropLR, opts) }
