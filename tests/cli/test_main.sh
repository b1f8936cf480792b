#!/usr/bin/env bash
# posture itself: --version, --help, unknown commands and options.
. "$(dirname "$0")/lib.sh"
run --version
expect_rc 0
expect_stdout "posture 0.1.0"
run --help
expect_rc 0
expect_stdout_contains "usage: posture [--db FILE] [--templates DIR]... <command> [options]"
expect_stdout_contains "  score        score answers against a template"
run
expect_rc 2
expect_stderr "posture: no command given
usage: posture [--db FILE] [--templates DIR]... <command> [options]
hint: run 'posture --help' for the list of commands"
run frobnicate
expect_rc 2
expect_stderr "posture: unknown command 'frobnicate'
usage: posture [--db FILE] [--templates DIR]... <command> [options]
hint: run 'posture --help' for the list of commands"
run --bogus score
expect_rc 2
expect_stderr "posture: unknown option '--bogus'
usage: posture [--db FILE] [--templates DIR]... <command> [options]"
finish
