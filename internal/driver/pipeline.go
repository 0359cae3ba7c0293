package driver

import "sejit/internal/diag"

// Compiled is the result of running the front and middle of the engine on a
// request: a C translation unit and how to call it.
type Compiled struct {
	CSource string // the whole translation unit, ABI header included
	Symbol  string // the exported entry point
	ABI     *ABI
	Explain string // typed tree, fused blocks and IR; filled when req.Explain
}

// compile runs decode → resolve → types → lower → opt → cgen.
func compile(req *Request) (*Compiled, diag.List) {
	var errs diag.List
	errs.Add(diag.Errorf(diag.Pos{}, diag.Internal, "engine pipeline not implemented yet"))
	return nil, errs
}
