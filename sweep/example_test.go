package sweep_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/selunet/selunet/sweep"
)

// A dry run of a Slurm submission: five tasks, two per array element,
// give an array of three elements; line i of the batch file lists the
// tasks element i runs.
func ExampleSlurm_Submit() {
	dir, err := os.MkdirTemp("", "sweep")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	p := &sweep.Plan{Version: sweep.Version, Dataset: "uci", Metric: "val_accuracy",
		Datasets: []string{"iris"}, Points: [][]string{{"model.layers=2"}, {"model.layers=4"}}}
	for i := range 5 {
		p.Tasks = append(p.Tasks, sweep.Task{ID: i, Dataset: "iris", Point: i % 2, Dir: fmt.Sprintf("tasks/iris/t%d", i)})
	}
	s := sweep.Slurm{Exe: "/opt/selunet/train", TasksPerJob: 2, Cap: 8, DryRun: true, Log: io.Discard}
	sub, err := s.Submit(context.Background(), dir, p)
	if err != nil {
		fmt.Println(err)
		return
	}
	b, _ := os.ReadFile(filepath.Join(dir, sub.Arrays[0].Batch))
	fmt.Printf("%d array, tasks %v\n%s", len(sub.Arrays), sub.Arrays[0].Tasks, b)
	// Output:
	// 1 array, tasks [0 1 2 3 4]
	// 0 1
	// 2 3
	// 4
}
