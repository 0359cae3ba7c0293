//go:build unix

package main

import (
	"os/exec"
	"syscall"
)

// inOwnGroup starts cmd as the leader of a process group of its own, and
// killGroup kills that group: the engine and the compiler it started, as
// the Python side does when it gives up on an engine. Killing the engine
// alone would leave its compiler writing into the test's directories.
func inOwnGroup(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }

func killGroup(cmd *exec.Cmd) { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
