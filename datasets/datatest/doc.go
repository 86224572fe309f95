// Package datatest is the shared test helper for tests that need the real data
// files. It reads SELUNET_DATA_DIR and SELUNET_REQUIRE_DATA:
//
//	SELUNET_DATA_DIR unset, SELUNET_REQUIRE_DATA != "1"  → t.Skip with a message
//	SELUNET_DATA_DIR unset, SELUNET_REQUIRE_DATA = "1"   → t.Fatal (CI must have data)
//	SELUNET_DATA_DIR set, a required file missing        → t.Fatal (never a silent skip)
package datatest
