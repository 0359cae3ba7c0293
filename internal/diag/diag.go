// Package diag defines the one error type that crosses from the engine to
// Python: a message with a source position and a kind. Phases collect errors
// in a List and keep going where they can, so a user sees the first real
// problem rather than a cascade.
package diag

import (
	"fmt"
	"strings"
)

// Kind classifies an error; the Python side maps it to an exception class.
type Kind string

const (
	Unsupported Kind = "unsupported" // NotImplementedError (sejit.UnsupportedError)
	Type        Kind = "type"        // TypeError (sejit.TypingError)
	Name        Kind = "name"        // NameError
	Value       Kind = "value"       // ValueError
	Axis        Kind = "axis"        // numpy.exceptions.AxisError (a ValueError and an IndexError)
	Syntax      Kind = "syntax"      // SyntaxError
	Internal    Kind = "internal"    // RuntimeError (sejit.CompilerError)
)

// Pos is a position in the user's source file. Line and Col are 1-based;
// a zero Line means the position is unknown.
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Error is one diagnostic.
type Error struct {
	Pos  Pos
	Kind Kind
	Msg  string
	Hint string
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Errorf builds an Error.
func Errorf(pos Pos, kind Kind, format string, args ...any) *Error {
	return &Error{Pos: pos, Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// WithHint returns e with a hint attached.
func (e *Error) WithHint(format string, args ...any) *Error {
	e.Hint = fmt.Sprintf(format, args...)
	return e
}

// Format renders e as a user sees it: position, message, the source line
// with a caret under the column, and the hint. lines holds the source of the
// function starting at line first; it may be nil.
func (e *Error) Format(lines []string, first int) string {
	var b strings.Builder
	b.WriteString(e.Error())
	if i := e.Pos.Line - first; lines != nil && e.Pos.Line > 0 && i >= 0 && i < len(lines) {
		line := strings.TrimRight(lines[i], "\r\n")
		b.WriteString("\n    " + line + "\n    ")
		for j := 0; j < e.Pos.Col-1 && j < len(line); j++ {
			if line[j] == '\t' {
				b.WriteByte('\t')
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString("^")
	}
	if e.Hint != "" {
		b.WriteString("\nhint: " + e.Hint)
	}
	return b.String()
}

// List collects errors.
type List []*Error

// Add appends an error.
func (l *List) Add(e *Error) { *l = append(*l, e) }

// Err returns the list as an error, or nil when it is empty.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

func (l List) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0].Error(), len(l)-1)
}
