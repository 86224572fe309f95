package main

import (
	"errors"
	"regexp"
	"strings"

	"github.com/selunet/selunet/config"
)

// trainPrefix matches the "train: " that package train puts before its
// errors, where it starts a layer of the message: at the start, after
// another layer's ": ", or inside "(...)" and "a; b" lists of reasons.
var trainPrefix = regexp.MustCompile(`(^|: |\(|; )train: `)

// cliMessage is err's text for the command's one line "train: MESSAGE":
// package train's own "train: " prefixes are dropped, because the command
// (also named train) already starts the line with it, so that
// "fold 1: train: epoch 9 step 3: loss diverged: ..." reads
// "fold 1: epoch 9 step 3: loss diverged: ...". A config error (file:line:
// key, or -set key) is left intact but for a leading "train: ": there
// "train" is the name of a config section.
func cliMessage(err error) string {
	msg := err.Error()
	var list config.ErrorList
	var fe config.FieldError
	var ce *config.Error
	if errors.As(err, &list) || errors.As(err, &fe) || errors.As(err, &ce) {
		return strings.TrimPrefix(msg, "train: ")
	}
	for {
		next := trainPrefix.ReplaceAllString(msg, "$1")
		if next == msg {
			return msg
		}
		msg = next
	}
}
