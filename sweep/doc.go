// Package sweep runs a config's grid over many data sets as independent
// tasks, on this machine or as Slurm job arrays, and collects them into one
// table.
//
// A sweep directory DIR holds:
//
//	plan.json                   the data sets, grid points and tasks (Plan)
//	config.yaml                 the resolved config, grid included
//	tasks/<dataset>/<point>/    one ordinary run directory per task, made
//	                            when it first runs: config.yaml (the point
//	                            on the data set, without a grid), task.json
//	                            (its state), log.txt, and the run's files
//	summary.csv, points.csv, report.md   written by Collect
//	sweep.lock                  held by the process running or submitting
//	                            the sweep (Lock)
//	sweep.sbatch, collect.sbatch, slurm/ the Slurm scripts, batch files,
//	                            job logs and jobs.json (Slurm.Submit)
//
// A task is one grid point (experiment.Points) on one data set. Its state
// (Status) is done once its metrics.json exists; a task whose training
// diverges on every split is diverged, which is final; anything else is
// unfinished and
// is run again, resuming from its last checkpoint, by the next Local.Run
// or Slurm.Submit. Every file is written atomically, and a directory that
// holds a plan is only ever continued with that same plan.
//
// Under cross-validation a task records each split's outcome: a split
// whose training diverges is recorded as diverged in the task's
// metrics.json (experiment.Options.KeepDivergedSplits) and the other
// splits are trained; such a task is done, with its diverged splits in
// points.csv and report.md.
//
// Collect selects each data set's point by the grid's own rule, split by
// split (experiment.SelectPoints: the best validation metric, direction
// by train.HigherIsBetter, ties to the earlier point, a point left out of
// the splits where it diverged, a split where every point diverged an
// error naming it), so a complete sweep gives the numbers `train -config`
// gives for the same config with its grid on each data set. Data sets with
// unfinished tasks are reported as incomplete, with the missing tasks,
// never dropped.
//
// For a UCI-121 config (data.dataset uci) the data sets are UCI-121 folders
// and summary.csv carries the paper's SNN accuracy (Table A11) where
// known; for any other config the sweep has one data set, the config's.
package sweep
