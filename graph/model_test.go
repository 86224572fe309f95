package graph

import (
	"bytes"
	"strings"
	"testing"

	"gorgonia.org/gorgonia"
)

// fakeStream is an op state: its bytes.
type fakeStream struct{ b []byte }

func (f *fakeStream) MarshalBinary() ([]byte, error) { return append([]byte(nil), f.b...), nil }
func (f *fakeStream) UnmarshalBinary(d []byte) error { f.b = append([]byte(nil), d...); return nil }

// TestOpStreamsRoundTrip saves and restores several op states and rejects
// state of another layout.
func TestOpStreamsRoundTrip(t *testing.T) {
	a, b := &fakeStream{[]byte("alpha")}, &fakeStream{nil}
	data, err := opStreams{a, b}.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	c, d := &fakeStream{}, &fakeStream{[]byte("x")}
	if err := (opStreams{c, d}).UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c.b, a.b) || len(d.b) != 0 {
		t.Errorf("restored %q, %q want %q, %q", c.b, d.b, a.b, b.b)
	}
	cases := []struct {
		s    opStreams
		data []byte
		want string
	}{
		{opStreams{c, d, &fakeStream{}}, data, "op state 3 of 3 is truncated"}, // 0: one op more
		{opStreams{c}, data, "1 unexpected trailing bytes"},                    // 1: one op fewer
		{opStreams{c}, []byte{9, 1}, "op state 1 of 1 is truncated"},           // 2
	}
	for i, tc := range cases {
		if err := tc.s.UnmarshalBinary(tc.data); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%d: got:%v want: error containing %q", i, err, tc.want)
		}
	}
	if s := OpStreams(gorgonia.NewGraph()); len(s.(opStreams)) != 0 {
		t.Errorf("empty graph: got %d op states want 0", len(s.(opStreams)))
	}
}
