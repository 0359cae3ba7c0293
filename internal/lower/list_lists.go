package lower

// Lists of lists (issue 14; types/list_lists.go). The items of a list of
// lists are lists that other names may share (`row = grid[i]`,
// `grid.append(row)`, `[row] * 3`), so each inner list lives in a box: a
// runtime-allocated int64 array of five words: the inner list's length,
// its buffer's owner address, data address and capacity (the buffer is
// C-contiguous, so its stride is 1), and its origin, the index of the
// Python caller's inner list it was made from (-1 for a list made here),
// by which the runtime writes an argument's lists back into the caller's
// own inner lists. The outer list is a list of box
// descriptors: its items are the box's owner and data addresses (two
// int64 buffers, lists.go), so every outer operation (append, pop, copy,
// slices, `+`, `*`) moves boxes, never items, and sharing is CPython's.
//
// An inner list is used as a plain list val (lists.go) read out of its
// box: the buffer rebuilt by array_from and the length copied into a
// temporary (unbox). Every operation that may change the length or move
// the buffer writes both back into the box afterwards (writeBack); item
// stores need not, as the buffer is shared memory. A method reads its
// receiver's box again after its arguments are evaluated, so
// `row.append(row.pop())` sees the pop. A boxed variable
// (types.Info.Boxed) holds only the box; reading it unboxes, assigning
// it points it at another box (or a new one for a new list).
//
// A for loop over an inner list reads the length from the box at each
// step, as CPython's list iterator does, so appends made by the body are
// visited and a shrinking list ends the loop early.

import (
	"sejit/internal/diag"
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// Box words.
const (
	boxLen = iota
	boxObj
	boxData
	boxCap
	boxOrigin // the index of the caller's inner list it started as, or -1
	boxWords
)

var boxT = types.ArrayOf(types.Int64, 1, 'C')

// innerBufType is the buffer type of an inner list of type t.
func innerBufType(t *types.Type) *types.Type { return types.ArrayOf(t.Elem().DType, 1, 'C') }

// arrayFrom rebuilds a 1-D C-contiguous array of type at from its owner
// and data words and its extent.
func (f *fn) arrayFrom(obj, data, extent ir.Expr, at *types.Type) *ir.Var {
	args := make([]ir.Expr, 2+2*ir.MaxArrayWordDims)
	for i := range args {
		args[i] = ir.IntConst(0)
	}
	args[0], args[1], args[2] = obj, data, extent
	args[2+ir.MaxArrayWordDims] = ir.IntConst(1)
	return f.externCall(ir.HelperArrayFrom, args, at)[0]
}

// boxAt is the box of item k of the list of lists v.
func (f *fn) boxAt(v *val, k ir.Expr) *ir.Var {
	bufs := listBufs(v)
	k = f.stableExpr(k)
	return f.arrayFrom(&ir.Load{Arr: bufs[0], Idx: []ir.Expr{k}}, &ir.Load{Arr: bufs[1], Idx: []ir.Expr{k}},
		ir.IntConst(boxWords), boxT)
}

func boxWord(box *ir.Var, w int) ir.Expr {
	return &ir.Load{Arr: box, Idx: []ir.Expr{ir.IntConst(int64(w))}}
}

// unbox reads the inner list of type t kept in box as a list val whose
// changes writeBack stores into the box.
func (f *fn) unbox(box *ir.Var, t *types.Type) *val {
	buf := f.arrayFrom(boxWord(box, boxObj), boxWord(box, boxData), boxWord(box, boxCap), innerBufType(t))
	n := f.temp(i64T)
	f.emit(&ir.Assign{Dst: n, Src: boxWord(box, boxLen)})
	v := listVal(t, []*ir.Var{buf}, &ir.Ref{Var: n})
	v.box = box
	return v
}

// fillBox stores list v's length and buffer into box.
func (f *fn) fillBox(box *ir.Var, v *val) {
	buf := listBuf(v)
	w := f.externCall(ir.HelperArrayWords, []ir.Expr{aref(buf)}, i64T, i64T)
	put := func(i int, e ir.Expr) { f.emit(&ir.Store{Arr: box, Idx: []ir.Expr{ir.IntConst(int64(i))}, Src: e}) }
	put(boxLen, listLen(v))
	put(boxObj, &ir.Ref{Var: w[0]})
	put(boxData, &ir.Ref{Var: w[1]})
	put(boxCap, &ir.Dim{Arr: buf, Axis: 0})
}

// writeBack stores an unboxed inner list's length and buffer into its box
// (nothing for a list that has none).
func (f *fn) writeBack(v *val) {
	if v != nil && v.box != nil {
		f.fillBox(v.box, v)
	}
}

// boxOf is the box holding list x as a row of type t: its own, or a new
// one for a new list (converted to t's items where they differ).
func (f *fn) boxOf(x *val, t *types.Type) *ir.Var {
	if x.box != nil {
		if x.t.Elem().DType != t.Elem().DType {
			// A row's names share one type (types.linkInner), so this is a
			// bug, never a silent copy that would stop the sharing.
			f.errorf(f.spec.Func.Def.P, diag.Internal, "a row of %s kept where rows of %s are", x.t, t)
		}
		return x.box
	}
	switch {
	case len(x.elems) != 2 || x.t.Elem().IsUnknown():
		// An empty display typed before its items were known.
		x = f.newList(t, ir.IntConst(0), ir.IntConst(0))
	case listBuf(x).Type.DType != t.Elem().DType:
		x = f.listCopy(x, t)
	}
	box := f.newBox()
	f.fillBox(box, x)
	return box
}

// An arena hands out small arrays of one dtype (boxes, and the first
// buffers of rows) as views of chunks allocated through the runtime, each
// twice the last (at least 512 items): a list of n new rows costs a few
// allocations, not n or 2n, and the runtime keeps every chunk until the
// call ends, as it keeps every array the call allocates. A row that grows
// past its first buffer allocates its next one as any list does.
type arena struct {
	chunk      *ir.Var // the current chunk
	next, size *ir.Var // the first free item, the chunk's extent (0: none yet)
}

// rowBufferCap is the capacity of a row's first buffer, taken from an
// arena (lists.go's reserve grows any list to at least 8).
const rowBufferCap = 8

// piece is a new 1-D array of n items (a constant) of type at, carved
// from the function's arena for its dtype.
func (f *fn) piece(at *types.Type, n int64) *ir.Var {
	if f.arenas == nil {
		f.arenas = map[types.DType]*arena{}
	}
	a := f.arenas[at.DType]
	if a == nil {
		a = &arena{chunk: f.temp(at), next: f.temp(i64T), size: f.temp(i64T)}
		f.arenas[at.DType] = a
	}
	next, size := &ir.Ref{Var: a.next}, &ir.Ref{Var: a.size}
	grow := f.sub(func() {
		m := f.once(&ir.Intrinsic{Fn: ir.FnMax, Args: []ir.Expr{ibin(ir.Mul, size, ir.IntConst(2)),
			ir.IntConst(512)}, T: i64T})
		chunk := f.alloc(at, []ir.Expr{m})
		f.emit(&ir.SetArray{Dst: a.chunk, Src: &ir.Alias{Src: chunk}})
		f.bind(a.chunk, chunk)
		f.emit(&ir.Assign{Dst: a.size, Src: m})
		f.emit(&ir.Assign{Dst: a.next, Src: ir.IntConst(0)})
	})
	f.emit(&ir.If{Cond: cmpE(ir.Gt, ibin(ir.Add, next, ir.IntConst(n)), size), Then: grow})
	v := f.temp(at)
	f.emit(&ir.SetArray{Dst: v, Src: &ir.View{Base: a.chunk, Offset: f.once(next),
		Shape: []ir.Expr{ir.IntConst(n)}, Strides: []ir.Expr{ir.IntConst(1)}}})
	f.bind(v, a.chunk)
	f.emit(&ir.Assign{Dst: a.next, Src: ibin(ir.Add, next, ir.IntConst(n))})
	return v
}

// arenaInit are the statements that start the function's arenas empty,
// in dtype order (the same request gives the same code).
func (f *fn) arenaInit() []ir.Stmt {
	var out []ir.Stmt
	for d := types.DType(0); int(d) < 64; d++ {
		if a := f.arenas[d]; a != nil {
			out = append(out, &ir.Assign{Dst: a.next, Src: ir.IntConst(0)}, &ir.Assign{Dst: a.size, Src: ir.IntConst(0)})
		}
	}
	return out
}

// newBox is a new box whose origin is -1 (made here); the caller fills
// the other words.
func (f *fn) newBox() *ir.Var {
	box := f.piece(boxT, boxWords)
	f.emit(&ir.Store{Arr: box, Idx: []ir.Expr{ir.IntConst(boxOrigin)}, Src: ir.IntConst(-1)})
	return box
}

// growBuffer is a new buffer of type bt and capacity newCap for list v
// (lists.go's reserve): a row's first buffer comes from an arena.
func (f *fn) growBuffer(v *val, bt *types.Type, newCap ir.Expr) *ir.Var {
	if v.box == nil {
		return f.alloc(bt, []ir.Expr{newCap})
	}
	nb := f.temp(bt)
	small := f.sub(func() {
		p := f.piece(bt, rowBufferCap)
		f.emit(&ir.SetArray{Dst: nb, Src: &ir.Alias{Src: p}})
		f.bind(nb, p)
	})
	f.emit(&ir.If{Cond: cmpE(ir.Le, newCap, ir.IntConst(rowBufferCap)), Then: small,
		Else: []ir.Stmt{&ir.SetArray{Dst: nb, Src: &ir.Alloc{DType: bt.DType, Shape: []ir.Expr{newCap}}}}})
	return nb
}

// emptyRow is a new empty row in a box of its own, with no buffer yet
// (its first append allocates one): `[]` as an item of a list of lists.
func (f *fn) emptyRow(t *types.Type) *val {
	box := f.newBox()
	for _, w := range []int{boxLen, boxObj, boxData, boxCap} {
		f.emit(&ir.Store{Arr: box, Idx: []ir.Expr{ir.IntConst(int64(w))}, Src: ir.IntConst(0)})
	}
	return &val{t: t, box: box}
}

// rowExpr lowers e, an item going into the list of lists of type t: an
// empty list (`[]`, `list()`, `sejit.typed_list(...)`) becomes emptyRow,
// anything else its value.
func (f *fn) rowExpr(e pyast.Expr, t *types.Type) *val {
	if !types.IsListOfLists(t) {
		return f.expr(e)
	}
	switch e := e.(type) {
	case *pyast.List:
		if len(e.Elts) == 0 {
			return f.emptyRow(t.Elem())
		}
	case *pyast.Call:
		if ft := f.typeOf(e.Func); ft.Kind == types.Builtin && len(e.Keywords) == 0 &&
			(ft.Name == "sejit.typed_list" || ft.Name == "builtins.list" && len(e.Args) == 0) {
			return f.emptyRow(t.Elem())
		}
	}
	return f.expr(e)
}

// innerItem reads item k of the list of lists v: its inner list, unboxed.
func (f *fn) innerItem(v *val, k ir.Expr) *val {
	return f.unbox(f.boxAt(v, k), v.t.Elem())
}

// putInner stores the list x as item k of the list of lists v (its box:
// x itself, not a copy).
func (f *fn) putInner(v *val, k ir.Expr, x *val) {
	box := f.boxOf(x, v.t.Elem())
	w := f.externCall(ir.HelperArrayWords, []ir.Expr{aref(box)}, i64T, i64T)
	bufs := listBufs(v)
	f.emit(&ir.Store{Arr: bufs[0], Idx: []ir.Expr{k}, Src: &ir.Ref{Var: w[0]}})
	f.emit(&ir.Store{Arr: bufs[1], Idx: []ir.Expr{k}, Src: &ir.Ref{Var: w[1]}})
}

// boxedLocal makes the variable of a boxed list local: one box.
func (f *fn) boxedLocal(name string, t *types.Type) *val {
	lv := &ir.Var{Name: f.unique("a_" + sanitize(name)), Type: boxT, Param: -1}
	f.f.Locals = append(f.f.Locals, lv)
	f.root[lv] = -1
	return &val{t: t, box: lv, boxed: true, s: ir.BoolConst(true)}
}

// readBoxed is the value of a boxed variable: its list, unboxed now.
func (f *fn) readBoxed(v *val) *val {
	u := f.unbox(v.box, v.t)
	u.name = v.name
	return u
}

// assignBoxed points the boxed variable dst at list v's box (a new box
// for a new list).
func (f *fn) assignBoxed(dst *val, v *val) {
	src := f.boxOf(v, dst.t)
	f.emit(&ir.SetArray{Dst: dst.box, Src: &ir.Alias{Src: src}})
	f.bind(dst.box, src)
}

// setBoxContents makes the list in box hold v's items (v a list the
// callee returned: its buffer is the callee's, now the box's).
func (f *fn) setBoxContents(box *ir.Var, v *val, t *types.Type) {
	if listBuf(v).Type.DType != t.Elem().DType {
		v = f.listCopy(v, t)
	}
	f.fillBox(box, v)
}

// innerLoop lowers `for x in l` over an inner list (a boxed variable or
// an item of a list of lists) as CPython's list iterator runs: the box's
// length is read at every step.
func (f *fn) innerLoop(s *pyast.For, lv *val) {
	// The list the loop started on, even if the body rebinds the name.
	box := f.temp(boxT)
	f.emit(&ir.SetArray{Dst: box, Src: &ir.Alias{Src: lv.box}})
	f.bind(box, lv.box)
	k := f.temp(i64T)
	f.emit(&ir.Assign{Dst: k, Src: ir.IntConst(0)})
	body := f.sub(func() {
		buf := f.arrayFrom(boxWord(box, boxObj), boxWord(box, boxData), boxWord(box, boxCap), innerBufType(lv.t))
		item := &val{t: lv.t.Elem(), s: f.stableExpr(&ir.Load{Arr: buf, Idx: []ir.Expr{&ir.Ref{Var: k}}})}
		f.emit(&ir.Assign{Dst: k, Src: ibin(ir.Add, &ir.Ref{Var: k}, ir.IntConst(1))})
		f.assign(s.Target, item, s.P)
		f.stmts(s.Body)
	})
	f.emit(&ir.While{Cond: cmpE(ir.Lt, &ir.Ref{Var: k}, boxWord(box, boxLen)), Body: body})
}

// isInnerIter reports whether a for loop's iterable is an inner list.
func (f *fn) isInnerIter(e pyast.Expr) bool {
	t := f.typeOf(e)
	if t.Kind != types.List || t.Elem().Kind != types.Scalar {
		return false
	}
	if n, ok := e.(*pyast.Name); ok {
		return f.info.Boxed[f.spec.Func.VarName(n)]
	}
	return types.InnerRead(f.info.Types, e)
}

// listOfListsArray lowers np.array(l) of a list of lists: a 2-D array
// when every inner list has the first one's length (NumPy's error
// otherwise; an empty list is refused as np.array of an empty list of
// arrays is, its result being 1-D in NumPy).
func (f *fn) listOfListsArray(lv *val, t *types.Type) *val {
	n := f.once(listLen(lv))
	f.emit(&ir.Check{Cond: cmpE(ir.Gt, n, ir.IntConst(0)), Err: ir.ErrKind(10),
		Msg: "np.array() of an empty list of lists is not supported (NumPy gives shape (0,), compiled code a 2-D array)"})
	m := f.once(listLen(f.innerItem(lv, ir.IntConst(0))))
	f.forCount(n, func(k ir.Expr) {
		f.require(cmpE(ir.Eq, listLen(f.innerItem(lv, k)), m), ir.ErrValue, "setting an array element with a sequence. "+
			"The requested array has an inhomogeneous shape after 1 dimensions. The detected shape was ({0},) + inhomogeneous part.", n)
	})
	out := f.alloc(t, []ir.Expr{n, m})
	f.forCount(n, func(k ir.Expr) {
		row := f.innerItem(lv, k)
		buf := listBuf(row)
		f.forCount(m, func(j ir.Expr) {
			f.emit(&ir.Store{Arr: out, Idx: []ir.Expr{k, j}, Src: conv(&ir.Load{Arr: buf, Idx: []ir.Expr{j}}, t.DType)})
		})
	})
	return &val{t: t, arr: out}
}

// fitLists is the list of lists v as one of type t: v itself when their
// rows hold the same dtype, else a new list of new rows converted (a
// list built with narrower items, `[[np.int8(1)]]`, going where rows of
// int64 are kept; only new lists differ so, as a row's names share its
// type, so no sharing is lost).
func (f *fn) fitLists(v *val, t *types.Type) *val {
	if !types.IsListOfLists(v.t) || !types.IsListOfLists(t) || v.t.Elem().Elem().IsUnknown() ||
		v.t.Elem().Elem().DType == t.Elem().Elem().DType || len(v.elems) != 3 {
		return v
	}
	n := f.once(listLen(v))
	out := f.newList(t, n, n)
	f.forCount(n, func(k ir.Expr) {
		row := f.listCopy(f.innerItem(v, k), t.Elem())
		f.putInner(out, k, row)
	})
	return out
}
