package driver

import (
	"fmt"
	"sejit/internal/diag"

	"sejit/internal/pyast"
	"sejit/internal/resolve"
)

// globalOf decodes one global's (or default value's) description,
// recursing into tuples.
func globalOf(g GlobalDesc) (*resolve.Global, error) {
	rg := &resolve.Global{Kind: g.Kind, Name: g.Name, Module: g.Module, ID: g.ID, DType: g.DType, Type: g.Type}
	switch g.Kind {
	case "const":
		k, err := pyast.DecodeConstant(g.Value)
		if err != nil {
			return nil, err
		}
		rg.Const = k
	case "tuple":
		for _, it := range g.Items {
			ri, err := globalOf(it)
			if err != nil {
				return nil, err
			}
			rg.Items = append(rg.Items, ri)
		}
	case "function":
		return nil, fmt.Errorf("a function inside a tuple or as a default value")
	}
	return rg, nil
}

// defaultsOf decodes a function's default parameter values.
func defaultsOf(fd *Function) ([]*resolve.Global, error) {
	var out []*resolve.Global
	for _, d := range fd.Defaults {
		if d.Kind == "function" {
			// A function as a default value is not a value compiled code
			// can take from the request; the call site reports it if used.
			out = append(out, &resolve.Global{Kind: "unsupported", Type: "function"})
			continue
		}
		g, err := globalOf(d)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

// addNested registers the functions defined inside the request's functions
// (resolve made them) so calls can find them by id.
func addNested(funcs map[string]*resolve.Func, f *resolve.Func) {
	for _, n := range f.AllNested() {
		funcs[n.ID] = n
	}
}

// constParams binds the entry's parameters that receive a constant (a
// dtype, a module, a function) to that value, as globals are bound: the
// body then reads them as it reads a global of that value.
func constParams(f *resolve.Func, args []ArgType) diag.List {
	var errs diag.List
	for i, a := range args {
		if a.Kind != "const" || a.Global == nil || i >= len(f.Def.Params) {
			continue
		}
		g, err := globalOf(*a.Global)
		if a.Global.Kind == "function" {
			g, err = &resolve.Global{Kind: "function", ID: a.Global.ID}, nil
		}
		if err != nil {
			errs.Add(diag.Errorf(f.Pos(f.Def.Params[i].P), diag.Internal, "argument %d: %v", i+1, err))
			continue
		}
		if f.ConstParams == nil {
			f.ConstParams = map[string]*resolve.Global{}
		}
		f.ConstParams[f.Def.Params[i].Name] = g
	}
	return errs
}
