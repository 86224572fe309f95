// Command train runs selunet experiments from YAML configs and shows the
// self-normalization of SELU networks.
//
// Usage:
//
//	train -config configs/htru2.yaml [-set key=value]... [-out DIR] [-data-dir DIR] [-device cpu|cuda] [-force] [-q]
//	train -config configs/htru2.yaml -print-config
//	train -resume DIR [-data-dir DIR] [-q]
//	train selfnorm [-depth 64] [-width 1024] [-samples 10000] [-dropout 0] [-seed 1] [-json]
//	train deep [-depth 16] [-width 128] [-archs snn,msra] [-epochs 20] [-rows 4096] [-lr 0.01] [-seed 1] [-json]
//	train uci -config configs/uci.yaml -datasets all|NAME,... [-set key=value]... [-out DIR] [-data-dir DIR] [-q]
//	train predict -model RUN_DIR|FILE -data FILE.csv [-out preds.csv] [-fold N] [-id COL] [-ignore COL,...] [-sep C] [-force]
//	train export -model RUN_DIR|FILE [-fold N] -format safetensors -out FILE [-force]
//	train sweep -config FILE [-datasets all|NAME,...] [-set key=value]... -out DIR -runner local|slurm [-workers N] [-tasks-per-job K] [-sbatch "ARGS"] [-dry-run] [-data-dir DIR] [-q]
//	train collect DIR
//	train gpucheck [-sections env,ops,train,time,copies]   (scripts/cuda.sh check)
//
// A run writes its directory (see package experiment): config.yaml,
// metrics.json ("test_auc"), history.csv, layer_stats.csv, models/<split>.model and
// PNG plots. -resume continues an interrupted run from its last epoch to the
// same numbers an uninterrupted run gives. The uci subcommand runs one
// config over many UCI-121 data sets and tabulates the test accuracies
// next to the paper's (experiment.RunSuite).
//
// The predict subcommand writes the probabilities a run's model gives the
// rows of a CSV whose header has the training features' names (any order;
// raw values: the model file carries its transform and standardization).
// For a run with several splits it averages the split models' probabilities
// (the fold ensemble of a cross-validation) unless -fold N picks one. The
// export subcommand writes one model in the safetensors layout (package
// model, WriteSafetensors).
//
// The sweep subcommand runs a config's grid over data sets as one task per
// (data set, grid point), locally or as Slurm job arrays, resumably;
// collect tabulates it (package sweep).
//
// A -config run refuses an output directory that already holds a run
// (-resume continues it, -force replaces it). Ctrl-C stops a run with a
// message saying what is saved and how to continue.
//
// Every failure ends with one message on stderr. The exit status is 1
// (missing dataset, bad config, unwritable output directory, ...), 2 for bad
// flags, and 3 when training diverged and nothing was left to report (the
// loss of a run without a grid, every point of a grid, or every split),
// so that scripts can tell a method that cannot train from a run that
// failed.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/selunet/selunet/train"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without os.Exit, for tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		// One clear message instead of a Go panic trace: a panic here is a
		// bug, but the user still gets a short report.
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "train: internal error: %v\n", r)
			code = 1
		}
	}()
	var err error
	switch {
	case len(args) > 0 && args[0] == "selfnorm":
		err = runSelfnorm(args[1:], stdout, stderr)
	case len(args) > 0 && args[0] == "deep":
		err = runDeep(ctx, args[1:], stdout, stderr)
	case len(args) > 0 && args[0] == "uci":
		err = runUCI(ctx, args[1:], stdout, stderr)
	case len(args) > 0 && (args[0] == "sweep" || args[0] == "collect"):
		err = runSweepCmd(ctx, args, stdout, stderr)
	case len(args) > 0 && args[0] == "predict":
		err = runPredict(args[1:], stdout, stderr)
	case len(args) > 0 && args[0] == "export":
		err = runExport(args[1:], stdout, stderr)
	case len(args) > 0 && args[0] == "gpucheck":
		err = runGPUCheck(args[1:], stdout, stderr)
	default:
		err = runTrain(ctx, args, stdout, stderr)
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintf(stderr, "train: %s\n", cliMessage(err))
	if errors.Is(err, train.ErrDiverged) {
		return ExitDiverged
	}
	return 1
}

// ExitDiverged is the exit status of a run that ended because training
// diverged.
const ExitDiverged = 3

// errUsage marks errors already reported by the flag package.
var errUsage = errors.New("usage")

// setFlags collects repeated -set key=value flags.
type setFlags []string

func (s *setFlags) String() string { return strings.Join(*s, " ") }

func (s *setFlags) Set(v string) error {
	if !strings.Contains(v, "=") {
		return fmt.Errorf("want key=value, got %q", v)
	}
	*s = append(*s, v)
	return nil
}

// newFlags returns a flag set that reports to stderr and prints usage (a
// synopsis line, a description, then the flags) on -h or a bad flag.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, rejecting positional arguments. It returns
// flag.ErrHelp for -h and errUsage (already reported) for bad flags.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	return nil
}

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
