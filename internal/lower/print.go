package lower

// print() statements and raised f-string messages (issue 14) become
// ir.Print: the values, boxed and formatted by the runtime's hook with
// Python's own print() and format().

import (
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/resolve"
	"sejit/internal/types"
)

// printStmt lowers a print() statement, or a raise whose message is an
// f-string; false for any other statement.
func (f *fn) printStmt(s pyast.Stmt) bool {
	if call, ok := resolve.PrintCall(f.spec.Func, s); ok {
		p := &ir.Print{Line: f.line}
		for _, a := range call.Args {
			p.Items = f.printArg(p.Items, a)
		}
		for _, k := range call.Keywords {
			if text, ok := resolve.ConstString(k.Value); ok {
				t := text
				switch k.Name {
				case "sep":
					p.Sep = &t
				case "end":
					p.End = &t
				}
			}
		}
		f.emit(p)
		return true
	}
	r, ok := s.(*pyast.Raise)
	if !ok {
		return false
	}
	call, ok := r.Exc.(*pyast.Call)
	if !ok || len(call.Args) != 1 {
		return false
	}
	if it, ok := f.caughtItem(call.Args[0]); ok {
		// raise ValueError(e): the message is str(e) (try.go)
		code, _ := resolve.RaisedException(f.spec.Func, raisedType(r))
		it.Fmt = true
		f.emit(&ir.Print{Line: f.line, Raise: ir.ErrKind(code), Items: []ir.PrintItem{it}})
		return true
	}
	j, ok := call.Args[0].(*pyast.JoinedStr)
	if !ok {
		return false
	}
	if _, constant := resolve.ConstString(j); constant {
		return false // RaiseMessage does not see it; handled below
	}
	code, _ := resolve.RaisedException(f.spec.Func, raisedType(r))
	p := &ir.Print{Line: f.line, Raise: ir.ErrKind(code)}
	p.Items = f.fstring(p.Items, j, false)
	f.emit(p)
	return true
}

// printArg appends the items of one argument of print().
func (f *fn) printArg(items []ir.PrintItem, a pyast.Expr) []ir.PrintItem {
	if it, ok := f.caughtItem(a); ok {
		return append(items, it)
	}
	switch a := a.(type) {
	case *pyast.Constant:
		if a.Kind == pyast.ConstStr {
			return append(items, ir.PrintItem{Kind: ir.PrintText, Text: a.Str})
		}
	case *pyast.JoinedStr:
		return f.fstring(items, a, false)
	case *pyast.Tuple:
		items = append(items, ir.PrintItem{Kind: ir.PrintTuple, N: len(a.Elts)})
		for _, x := range a.Elts {
			items = f.printArg(items, x)
		}
		return items
	}
	return f.printVal(items, f.expr(a))
}

// printVal appends the items of a value: a scalar, an array or a tuple.
func (f *fn) printVal(items []ir.PrintItem, v *val) []ir.PrintItem {
	switch v.t.Kind {
	case types.Tuple:
		items = append(items, ir.PrintItem{Kind: ir.PrintTuple, N: len(v.elems)})
		for _, e := range v.elems {
			items = f.printVal(items, e)
		}
		return items
	case types.Array:
		return append(items, ir.PrintItem{Kind: ir.PrintValue, Val: &ir.ArrayRef{Var: f.materialize(v)}})
	case types.Str:
		return append(items, ir.PrintItem{Kind: ir.PrintValue, Val: &ir.ArrayRef{Var: strArr(v)}, Str: true})
	case types.List:
		return f.printList(items, v)
	}
	return append(items, ir.PrintItem{Kind: ir.PrintValue, Val: v.s, Py: v.t.Weak})
}

// printList appends the items of a list: an ir.PrintList and, after it,
// views of its buffers of its length (one per field of a tuple item; the
// rows' box addresses for a list of lists). Items keep what CPython's list
// holds: Python numbers for weak (Python-typed) items, NumPy scalars for
// NumPy-typed ones.
func (f *fn) printList(items []ir.PrintItem, v *val) []ir.PrintItem {
	el := v.t.Elem()
	if el.IsUnknown() || len(v.elems) == 0 {
		// no items, and no buffer to read: an empty array stands in, so
		// that format() and repr() see a list
		none := f.alloc(types.ArrayOf(types.Int64, 1, 'C'), []ir.Expr{ir.IntConst(0)})
		return append(items, ir.PrintItem{Kind: ir.PrintList, N: 1}, ir.PrintItem{Kind: ir.PrintValue, Val: &ir.ArrayRef{Var: none}, Py: true})
	}
	n := f.once(listLen(v))
	view := func(buf *ir.Var) *ir.Var {
		w := f.temp(types.ArrayOf(buf.Type.DType, 1, 'A'))
		f.bind(w, buf)
		f.emit(&ir.SetArray{Dst: w, Src: &ir.View{Base: buf, Offset: ir.IntConst(0),
			Shape: []ir.Expr{n}, Strides: []ir.Expr{ir.IntConst(1)}}})
		return w
	}
	bufs := listBufs(v)
	if el.Kind == types.Array {
		// a list of arrays: its items' words (list_arrays.go)
		items = append(items, ir.PrintItem{Kind: ir.PrintList, N: len(bufs), Arrays: true, Row: el.DType})
		for _, b := range bufs {
			items = append(items, ir.PrintItem{Kind: ir.PrintValue, Val: &ir.ArrayRef{Var: view(b)}})
		}
		return items
	}
	if el.Kind == types.List {
		row := el.Elem()
		return append(items, ir.PrintItem{Kind: ir.PrintList, N: 1, Rows: true, Row: row.DType, Py: row.Weak},
			ir.PrintItem{Kind: ir.PrintValue, Val: &ir.ArrayRef{Var: view(bufs[1])}})
	}
	fields := []*types.Type{el}
	if el.Kind == types.Tuple {
		fields = el.Elems
	}
	items = append(items, ir.PrintItem{Kind: ir.PrintList, N: len(bufs)})
	for i, b := range bufs {
		items = append(items, ir.PrintItem{Kind: ir.PrintValue, Val: &ir.ArrayRef{Var: view(b)}, Py: fields[i].Weak})
	}
	return items
}

// fstring appends the items of an f-string: one argument, its pieces
// joined.
func (f *fn) fstring(items []ir.PrintItem, j *pyast.JoinedStr, join bool) []ir.PrintItem {
	start := len(items)
	for _, x := range j.Values {
		var it ir.PrintItem
		switch x := x.(type) {
		case *pyast.FormattedValue:
			spec := ""
			if x.Spec != nil {
				spec, _ = resolve.ConstString(x.Spec)
			}
			conv := x.Conv
			if text, ok := resolve.ConstString(x.Value); ok {
				it = ir.PrintItem{Kind: ir.PrintText, Text: text}
			} else if c, ok := f.caughtItem(x.Value); ok {
				it = c
				if c.Conv != 0 {
					conv = c.Conv
				}
			} else {
				v := f.expr(x.Value)
				if v.t.Kind == types.List {
					// a list field: its items, the first one formatted
					n := len(items)
					items = f.printList(items, v)
					items[n].Fmt, items[n].Conv, items[n].Spec = true, conv, spec
					items[n].Join = n > start || join
					continue
				}
				if v.t.Kind == types.Array {
					it = ir.PrintItem{Kind: ir.PrintValue, Val: &ir.ArrayRef{Var: f.materialize(v)}}
				} else if v.t.Kind == types.Str {
					it = ir.PrintItem{Kind: ir.PrintValue, Val: &ir.ArrayRef{Var: strArr(v)}, Str: true}
				} else {
					it = ir.PrintItem{Kind: ir.PrintValue, Val: v.s, Py: v.t.Weak}
				}
			}
			it.Fmt, it.Conv, it.Spec = true, conv, spec
		default:
			text, _ := resolve.ConstString(x)
			it = ir.PrintItem{Kind: ir.PrintText, Text: text}
		}
		it.Join = len(items) > start || join
		items = append(items, it)
	}
	if len(items) == start { // f"": the empty string
		items = append(items, ir.PrintItem{Kind: ir.PrintText, Join: join})
	} else if len(items) == start+1 && items[start].Kind == ir.PrintValue {
		items[start].Fmt = true // f"{x}" is format(x, ""), a string, even alone
	}
	return items
}
