// Package cudnn is a reduced stand-in for gorgonia.org/cu/dnn v0.9.4: it
// keeps only the names that the core of gorgonia.org/gorgonia v0.9.18 uses
// (Context, NewContext, Context.Close, Memory) and links no cuDNN library.
// See third_party/cu/README.selunet.md for why.
package cudnn

// Memory represents an instance of CUDA memory.
type Memory interface {
	Uintptr() uintptr

	IsNativelyAccessible() bool
}

// Context stands for a cuDNN handle. Gorgonia's engines create one per
// device and close it; no cuDNN routine is reachable through this package,
// so the context holds nothing.
type Context struct{}

// NewContext returns an empty Context. It never fails.
func NewContext() (retVal *Context) { return &Context{} }

// Close releases nothing and returns nil.
func (ctx *Context) Close() error { return nil }
