package tox21

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/selunet/selunet/datasets"
)

// layout is one on-disk form of the Tox21 data (the challenge files or the
// DeepTox archive): its label files and the files of each feature group,
// with the readers that parse them. load reads every layout the same way.
type layout struct {
	remote     datasets.Remote
	labels     [2]string // train, test
	readLabels func(r io.Reader, name string, rs *rawSplit) error
	groups     []groupFiles
}

// groupFiles are the train and test files of one feature group and the
// reader that parses one of them into a block, rows in label order.
type groupFiles struct {
	group string
	files [2]string // train, test
	read  func(r io.Reader, name string, rs *rawSplit) (*block, error)
}

// load finds the files of l that opts needs, reads the two label files
// (they define the row order and the ID index), then every feature file
// in parallel, and checks that train and test have the same columns.
func load(ctx context.Context, loc datasets.Locator, l layout, opts Options) ([2]*rawSplit, error) {
	var out [2]*rawSplit
	need := append([]string{}, l.labels[:]...)
	var groups []groupFiles
	for _, g := range l.groups {
		if opts.want(g.group) {
			groups = append(groups, g)
			need = append(need, g.files[:]...)
			if v, ok := vocabs[g.group]; ok {
				need = append(need, v.file)
			}
		}
	}
	root, err := loc.Find(ctx, l.remote, need...)
	if err != nil {
		return out, err
	}
	out[0], out[1] = &rawSplit{}, &rawSplit{}
	err = parallel(
		func() error { return withFile(root, l.labels[0], out[0], l.readLabels) },
		func() error { return withFile(root, l.labels[1], out[1], l.readLabels) },
	)
	if err != nil {
		return out, err
	}
	blocks := make([][2]*block, len(groups))
	var fns []func() error
	for gi, g := range groups {
		for s := range 2 {
			fns = append(fns, func() error {
				return withFile(root, g.files[s], out[s], func(r io.Reader, name string, rs *rawSplit) error {
					b, err := g.read(r, name, rs)
					blocks[gi][s] = b
					return err
				})
			})
		}
	}
	if err := parallel(fns...); err != nil {
		return out, err
	}
	for gi, g := range groups {
		if v, ok := vocabs[g.group]; ok {
			if err := v.remap(root, blocks[gi]); err != nil {
				return out, err
			}
		}
		tr, te := blocks[gi][0], blocks[gi][1]
		if !slices.Equal(tr.names, te.names) {
			return out, fmt.Errorf("tox21: %s and %s have different columns", g.files[0], g.files[1])
		}
		if tr.ncol != te.ncol {
			return out, fmt.Errorf("tox21: %s has %d columns but %s has %d", g.files[0], tr.ncol, g.files[1], te.ncol)
		}
		out[0].blocks = append(out[0].blocks, tr)
		out[1].blocks = append(out[1].blocks, te)
	}
	return out, nil
}
