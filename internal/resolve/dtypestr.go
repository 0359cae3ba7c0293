package resolve

import (
	"errors"
	"strconv"
	"strings"

	"sejit/internal/pyast"
)

// dtypeString reports a string constant in a position where NumPy takes a
// dtype (the first argument of x.astype(...) or a dtype= keyword), or the
// argument of float(...). Strings
// are otherwise outside the subset; there the checker reads the string as
// a dtype name (and reports an unknown one).
func dtypeString(call *pyast.Call, arg pyast.Expr, keyword string) bool {
	k, ok := arg.(*pyast.Constant)
	if !ok || k.Kind != pyast.ConstStr {
		return false
	}
	if keyword == "dtype" {
		return true
	}
	// float('inf'), float('nan'), float('1e-3'): a float written as text;
	// other text is a string value, which float() parses when the kernel
	// runs (and refuses with CPython's ValueError).
	if n, ok := call.Func.(*pyast.Name); ok && n.ID == "float" && keyword == "" && len(call.Args) == 1 {
		return floatText(k.Str)
	}
	// np.convolve(a, v, "same"): the mode, an option the type checker
	// reads from the call (types.CorrelateMode).
	if a, ok := call.Func.(*pyast.Attribute); ok && (a.Attr == "convolve" || a.Attr == "correlate") && keyword == "" {
		return len(call.Args) == 3 && call.Args[2] == arg
	}
	// np.zeros(n, "int32"), np.full(n, v, "f4"): the dtype by position.
	if a, ok := call.Func.(*pyast.Attribute); ok && keyword == "" {
		switch a.Attr {
		case "zeros", "ones", "empty", "ndarray", "zeros_like", "ones_like", "empty_like":
			return len(call.Args) == 2 && call.Args[1] == arg
		case "full", "full_like":
			return len(call.Args) == 3 && call.Args[2] == arg
		}
	}
	if a, ok := call.Func.(*pyast.Attribute); ok && a.Attr == "astype" && keyword == "" {
		return len(call.Args) > 0 && call.Args[0] == arg
	}
	// np.einsum("ij,jk->ik", a, b): the subscripts, which the checker
	// parses (types/einsum.go); not a dtype, but a string in its place.
	if a, ok := call.Func.(*pyast.Attribute); ok && a.Attr == "einsum" && keyword == "" {
		return len(call.Args) > 0 && call.Args[0] == arg
	}
	if n, ok := call.Func.(*pyast.Name); ok && n.ID == "einsum" && keyword == "" {
		return len(call.Args) > 0 && call.Args[0] == arg
	}
	return false
}

// OptionString reports whether arg, a constant string, is the positional
// string option of np.linalg.qr (mode), cond (p) or norm (ord), which
// NumPy takes as the second argument, judged by the callee's name alone:
// resolve also requires a library callee (libraryCallee), and the type
// checker reads the string as it reads a keyword's (refusing it for any
// other library function of those names).
func OptionString(call *pyast.Call, arg pyast.Expr) bool {
	k, ok := arg.(*pyast.Constant)
	if !ok || k.Kind != pyast.ConstStr || len(call.Args) < 2 || call.Args[1] != arg {
		return false
	}
	name := ""
	switch f := call.Func.(type) {
	case *pyast.Attribute:
		name = f.Attr
	case *pyast.Name:
		name = f.ID
	}
	return name == "qr" || name == "cond" || name == "norm"
}

// floatText reports text the type checker folds to a float (types.strConstant).
func floatText(text string) bool {
	t := strings.TrimSpace(text)
	if strings.Contains(t, "_") || strings.HasPrefix(strings.ToLower(strings.TrimLeft(t, "+-")), "0x") {
		return false
	}
	_, err := strconv.ParseFloat(t, 64)
	return err == nil || errors.Is(err, strconv.ErrRange)
}
