package textio_test

import (
	"fmt"
	"strings"

	"github.com/selunet/selunet/datasets/internal/textio"
)

func ExampleReader() {
	r := textio.NewReader(strings.NewReader("1.5,2\r3,x"), "in.csv")
	for {
		line, ok := r.Next()
		if !ok {
			break
		}
		f, _ := textio.Split(line, ',', nil)
		for c, s := range f {
			v, err := r.Float(s, c+1, "")
			if err != nil {
				fmt.Println(err)
				continue
			}
			fmt.Printf("%.4f\n", v)
		}
	}
	// Output:
	// 1.5000
	// 2.0000
	// 3.0000
	// in.csv:2: column 2: non-numeric value "x", want a number
}
