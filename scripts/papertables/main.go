// Command papertables builds the tables of results/ from finished run
// directories: the paper's comparisons (Klambauer et al. 2017) with the
// paper's numbers beside ours.
//
//	go run ./scripts/papertables htru2 -runs /work/runs/htru2 -out results/htru2
//
// Each table is written as table.csv and table.md; table.md also states the
// command, the commit and machine each run ran on and its wall time (from the
// wall.tsv that scripts/paper-run.sh appends to), and each run's resolved
// config.yaml and metrics.json are copied beside it. Runs that have not
// finished are listed as missing, never guessed.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "htru2":
		err = htru2(os.Args[2:])
	case "tox21":
		err = tox21(os.Args[2:])
	case "tox21table":
		err = tox21Table(os.Args[2:])
	case "tox21shift":
		err = tox21Shift(os.Args[2:])
	case "uci":
		err = uci(os.Args[2:])
	case "probe":
		err = probe(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "papertables:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: papertables htru2|tox21|tox21table|uci|probe -runs DIR -out DIR, or tox21shift -data DIR -out DIR")
	os.Exit(2)
}
