package synth

import (
	"fmt"
	"reflect"
	"testing"
)

func TestTeacher(t *testing.T) {
	a := Teacher(500, 8, 4, 2, 1, 10)
	b := Teacher(500, 8, 4, 2, 1, 10)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seeds gave different sets")
	}
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	for k := 0; k < a.T; k++ {
		pos, neg, _ := a.Counts(k)
		if pos < 50 || neg < 50 {
			t.Errorf("task %d: %d positives and %d negatives, want both classes well represented", k, pos, neg)
		}
	}
	c := Teacher(500, 8, 4, 2, 1, 11)
	if reflect.DeepEqual(a.X, c.X) {
		t.Error("a different row seed gave the same rows")
	}
}

func ExampleTeacher() {
	train := Teacher(1000, 20, 16, 1, 7, 1)
	test := Teacher(200, 20, 16, 1, 7, 2) // same teacher, new rows
	pos, _, _ := train.Counts(0)
	fmt.Println(train.N, train.D, test.N, pos > 0)
	// Output: 1000 20 200 true
}
