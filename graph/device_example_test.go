//go:build !cuda

package graph_test

import (
	"fmt"

	"github.com/selunet/selunet/graph"
)

// A default build runs on the CPU; asking for CUDA says how to get it.
func ExampleCheckDevice() {
	fmt.Println(graph.BuildDevice, graph.CheckDevice("cpu"))
	fmt.Println(graph.CheckDevice("cuda") != nil)
	// Output:
	// cpu <nil>
	// true
}
