package ir

// Run-time check messages as data.
//
// A Check's message is a template, not a target's format string: the text
// of the exception it raises, where {k} stands for Args[k] (an int64,
// written in decimal) and {{ and }} for literal braces. Each target turns
// templates into its own way of reporting: cgen into a printf format
// ("%lld", "%%") passed to sejit_fail with the operands in the order the
// template names them; a device target, which cannot format text on the
// device, into the index of the message in the program's table
// (Program.Messages) plus the operand values, written to an error buffer
// the host reads after the launch and formats with the same template. The
// Python exception is the same either way, byte for byte.
//
// A Check also records the source line of the statement that placed it,
// so the table says where each message comes from.

import (
	"fmt"
	"strings"
)

// MessagePart is a piece of a message template: literal text, or the
// operand Arg (when Lit is empty and Arg >= 0).
type MessagePart struct {
	Lit string
	Arg int
}

// ParseMessage splits a check message template into its parts.
func ParseMessage(text string) ([]MessagePart, error) {
	var parts []MessagePart
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, MessagePart{Lit: lit.String(), Arg: -1})
			lit.Reset()
		}
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '{' && i+1 < len(text) && text[i+1] == '{', c == '}' && i+1 < len(text) && text[i+1] == '}':
			lit.WriteByte(c)
			i++
		case c == '{':
			j := strings.IndexByte(text[i:], '}')
			var k int
			if j < 2 {
				return nil, fmt.Errorf("message %q: unclosed or empty {", text)
			}
			if _, err := fmt.Sscanf(text[i+1:i+j], "%d", &k); err != nil || fmt.Sprint(k) != text[i+1:i+j] || k < 0 {
				return nil, fmt.Errorf("message %q: {%s} names no operand", text, text[i+1:i+j])
			}
			flush()
			parts = append(parts, MessagePart{Arg: k})
			i += j
		case c == '}':
			return nil, fmt.Errorf("message %q: } without {", text)
		default:
			lit.WriteByte(c)
		}
	}
	flush()
	return parts, nil
}

// MessageLiteral is a template whose text is s, braces and all: for
// messages the user wrote (assert's, raise's).
func MessageLiteral(s string) string {
	return strings.NewReplacer("{", "{{", "}", "}}").Replace(s)
}

// FormatMessage is the text a message template gives for operand values.
func FormatMessage(text string, args []int64) (string, error) {
	parts, err := ParseMessage(text)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, p := range parts {
		if p.Arg < 0 {
			b.WriteString(p.Lit)
		} else if p.Arg < len(args) {
			fmt.Fprint(&b, args[p.Arg])
		} else {
			return "", fmt.Errorf("message %q: no operand %d", text, p.Arg)
		}
	}
	return b.String(), nil
}

// Message is one entry of a program's message table.
type Message struct {
	Err  ErrKind
	Text string // the template
	Line int    // the source line of the statement that placed the check, or 0
}

// Messages is the program's message table — every distinct message its
// checks raise, in order of first appearance — and the index of each
// check's message in it. Passes copy, move and drop checks freely, so the
// table is computed from the program as it is.
func (p *Program) Messages() ([]Message, map[*Check]int) {
	var table []Message
	index := map[Message]int{}
	ids := map[*Check]int{}
	for _, f := range p.Funcs {
		VisitStmts(f.Body, func(s Stmt) {
			c, ok := s.(*Check)
			if !ok {
				return
			}
			m := Message{Err: c.Err, Text: c.Msg, Line: c.Line}
			id, ok := index[m]
			if !ok {
				id = len(table)
				index[m] = id
				table = append(table, m)
			}
			ids[c] = id
		}, nil)
	}
	return table, ids
}
