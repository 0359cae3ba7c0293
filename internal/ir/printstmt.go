package ir

import (
	"fmt"
	"strconv"
	"strings"

	"sejit/internal/types"
)

// Print is a call of Python's print(), or the formatting of a raised
// exception's message: the kernel formats nothing itself. It hands Items
// to the runtime's print hook (sejit_abi.h, sejit_ctx.print), which boxes
// each value as the Python object it is (a Python int, float, bool or
// complex when Py is set, else the NumPy scalar of its dtype; an array as
// an ndarray) and calls builtins.print, or builtins.format for an
// f-string's fields — so the text is CPython's and NumPy's by
// construction, and it goes to whatever sys.stdout is at the time.
//
// With Raise set, the hook formats the items into the exception's message
// (print's rules with an empty sep and end) and the statement fails with
// that error kind, like a Check whose condition is false. With Raise
// ErrFormat, the hook formats them into a new run-time string, which the
// str_formatted helper called right after it returns (lower/strings.go):
// nothing is printed and nothing fails.
//
// Sep and End are print's keywords, nil for the defaults. A Print in a
// prange loop is refused (the order of the output would be undefined).
type Print struct {
	Items    []PrintItem
	Sep, End *string
	Raise    ErrKind
	Line     int
}

// PrintKind says what a PrintItem is.
type PrintKind uint8

const (
	// PrintText is a constant string.
	PrintText PrintKind = iota
	// PrintValue is a scalar expression or an ArrayRef.
	PrintValue
	// PrintTuple is a tuple whose N elements are the items that follow
	// (each element one item, or a PrintTuple with its own elements).
	PrintTuple
	// PrintExc is the exception caught by the Try with ID Exc (try.go):
	// the runtime formats the Python exception it builds from the saved
	// kind and message.
	PrintExc
	// PrintList is a list whose items are read from the N array items
	// that follow, each a 1-D ArrayRef of the list's length: one, a list
	// of numbers; more, a list of tuples, field k from array k. With Rows
	// set, the one array holds the addresses of rows' boxes
	// (lower/list_lists.go) and each item is a list of the box's numbers,
	// of dtype Row. With Arrays set, the arrays hold the descriptor words
	// of a list of arrays of dtype Row (lower/list_arrays.go: owner, data,
	// then the extents and the strides in items), and each item is a copy
	// of its array. (4 is the runtime's kind for a string value.)
	PrintList PrintKind = 5
)

// PrintItem is one piece of a Print. An argument of print is one item,
// or, for an f-string, a run of items whose later ones have Join set: the
// argument is then the string concatenating the texts and, for values,
// format(v, Spec) after the conversion Conv ('r', 's', 'a' or 0). A
// single value with Fmt unset is passed to print as the object itself.
type PrintItem struct {
	Kind PrintKind
	Text string // PrintText
	Val  Expr   // PrintValue
	Py   bool   // PrintValue, scalar: box as a Python number
	Str  bool   // PrintValue, an ArrayRef: a run-time string's code points, boxed as a str
	N    int    // PrintTuple: the number of elements
	Fmt  bool   // an f-string field: format(conv(v), Spec)
	Conv byte
	Spec string
	Join bool        // continues the previous item's argument
	Exc  int         // PrintExc: the Try's ID
	Rows bool        // PrintList: a list of lists (Py then says how the rows' numbers box)
	Row  types.DType // PrintList with Rows or Arrays: the rows' or the arrays' dtype
	// Arrays marks a PrintList of a list of arrays.
	Arrays bool
}

func (*Print) stmt() {}

// printString is the listing of a Print, for Fprint.
func printString(s *Print) string {
	var b strings.Builder
	if s.Raise != 0 {
		fmt.Fprintf(&b, "raise %s format(", errName(s.Raise))
	} else {
		b.WriteString("print(")
	}
	for i, it := range s.Items {
		if i > 0 {
			if it.Join {
				b.WriteString(" + ")
			} else {
				b.WriteString(", ")
			}
		}
		switch it.Kind {
		case PrintText:
			b.WriteString(strconv.Quote(it.Text))
		case PrintTuple:
			fmt.Fprintf(&b, "tuple%d", it.N)
		case PrintExc:
			fmt.Fprintf(&b, "exc%d", it.Exc)
		case PrintList:
			if it.Arrays {
				fmt.Fprintf(&b, "arrays(%s)", it.Row)
			} else if it.Rows {
				fmt.Fprintf(&b, "rows(%s", it.Row)
				if it.Py {
					b.WriteString(" as py")
				}
				b.WriteString(")")
			} else {
				fmt.Fprintf(&b, "list%d", it.N)
			}
		case PrintValue:
			b.WriteString(ExprString(it.Val))
			if it.Py {
				b.WriteString(" as py")
			}
			if it.Str {
				b.WriteString(" as str")
			}
		}
		if it.Fmt {
			if it.Conv != 0 {
				fmt.Fprintf(&b, "!%c", it.Conv)
			}
			fmt.Fprintf(&b, ":%q", it.Spec)
		}
	}
	if s.Sep != nil {
		fmt.Fprintf(&b, "; sep=%q", *s.Sep)
	}
	if s.End != nil {
		fmt.Fprintf(&b, "; end=%q", *s.End)
	}
	b.WriteString(")")
	return b.String()
}

func errName(k ErrKind) string {
	if n, ok := errNames[k]; ok {
		return n
	}
	return fmt.Sprintf("err%d", int(k))
}

// printsIn reports whether body prints, directly or through the functions
// it calls.
func printsIn(body []Stmt, seen map[*Func]bool) bool {
	found := false
	VisitStmts(body, func(s Stmt) {
		switch s := s.(type) {
		case *Print:
			found = true
		case *Call:
			if !found && !seen[s.Func] {
				seen[s.Func] = true
				found = printsIn(s.Func.Body, seen)
			}
		}
	}, nil)
	return found
}

// printParError refuses print() in a prange loop.
func printParError(s Stmt) *ParError {
	switch s := s.(type) {
	case *Print:
		what := "print()"
		if s.Raise == ErrFormat {
			what = "an f-string, str() or format() as a value"
		} else if s.Raise != 0 {
			what = "a formatted exception message"
		}
		at := ""
		if s.Line > 0 {
			at = fmt.Sprintf(" (line %d)", s.Line)
		}
		return &ParError{Msg: what + " inside a prange loop" + at,
			Hint: "the iterations run in parallel, so the order of the output is undefined; print after the loop, or use range()"}
	case *Call:
		if printsIn(s.Func.Body, map[*Func]bool{s.Func: true}) {
			return &ParError{Msg: "a function called inside a prange loop prints",
				Hint: "the iterations run in parallel, so the order of the output is undefined; print after the loop, or use range()"}
		}
	}
	return nil
}
