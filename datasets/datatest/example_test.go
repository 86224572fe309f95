package datatest_test

import (
	"fmt"

	"github.com/selunet/selunet/datasets/datatest"
)

// In a test: dir := datatest.DataDir(t, "htru2/HTRU_2.csv"); the call skips
// the test when SELUNET_DATA_DIR is unset, unless this variable is "1".
func ExampleDataDir() {
	fmt.Println(datatest.EnvRequire)
	// Output:
	// SELUNET_REQUIRE_DATA
}
