package tabular_test

import (
	"fmt"
	"strings"

	"github.com/selunet/selunet/datasets/tabular"
)

// A user table with a string class column: classes are sorted and recorded.
func ExampleRead() {
	in := "sepal,petal,species\n5.1,1.4,setosa\n7.0,4.7,versicolor\n6.3,6.0,virginica\n5.0,1.5,setosa\n"
	s, err := tabular.Read(strings.NewReader(in), "iris.csv", tabular.Options{Labels: []string{"species"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.N, s.D, s.Classes, s.ClassNames, s.Y)
	fmt.Printf("%.4f\n", s.Row(1)[1])
	// Output:
	// 4 2 3 [setosa versicolor virginica] [0 1 2 0]
	// 4.7000
}
