package sweep

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the worker process get an interrupt (and save its
// state) when the process that started it dies, so that no orphaned
// worker keeps writing a task the next run starts again.
func dieWithParent(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGINT
}
