// Package synth makes synthetic classification data sets with known structure,
// for tests, examples and demonstrations that must not depend on downloaded
// files.
package synth
