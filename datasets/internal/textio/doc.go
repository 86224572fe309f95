// Package textio is the strict line and field reader shared by the selunet
// data loaders. Lines may end in "\n", "\r\n" or a lone "\r" (HTRU2 uses old
// Mac line ends); fields are split on one separator byte with RFC 4180 quoting
// inside a line (no embedded newlines). Every error is a *datasets.ParseError
// naming the file, line and column.
package textio
