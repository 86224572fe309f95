package htru2_test

import (
	"fmt"
	"strings"

	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/datasets/htru2"
)

// Two rows in the UCI layout (lone CR line ends, no header), standardized.
func ExampleRead() {
	in := "140.5625,55.68,-0.23,-0.70,3.20,19.11,7.98,74.24,0\r" +
		"102.5078,58.88,0.47,-0.52,1.68,14.86,10.58,127.39,1"
	s, err := htru2.Read(strings.NewReader(in), "example.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	st := datasets.FitStandardizer(s)
	st.Apply(s)
	fmt.Println(s.N, s.D, s.FeatureNames[2])
	fmt.Printf("%.4f %.4f label %v\n", s.Row(0)[0], s.Row(1)[0], s.Y[1])
	// Output:
	// 2 8 ip_skewness
	// 1.0000 -1.0000 label 1
}

// A malformed cell is reported with file, line and column.
func ExampleRead_error() {
	_, err := htru2.Read(strings.NewReader("1,2,x,4,5,6,7,8,0"), "bad.csv")
	fmt.Println(err)
	// Output:
	// bad.csv:1: column 3 (ip_skewness): non-numeric value "x", want a number
}
