package bytecode

import (
	"encoding/json"
	"fmt"
	"strings"

	"sejit/internal/pyast"
)

// codeJSON is one code object as python/sejit/_bytecode.py writes it.
type codeJSON struct {
	Version        string      `json:"version"`
	Name           string      `json:"name"`
	Qualname       string      `json:"qualname"`
	Filename       string      `json:"filename"`
	FirstLineno    int         `json:"firstlineno"`
	ArgCount       int         `json:"argcount"`
	PosOnlyCount   int         `json:"posonlyargcount"`
	KwOnlyCount    int         `json:"kwonlyargcount"`
	VarArgs        bool        `json:"varargs"`
	VarKeywords    bool        `json:"varkeywords"`
	Generator      bool        `json:"generator"`
	VarNames       []string    `json:"varnames"`
	Instructions   []instrJSON `json:"instructions"`
	ExceptionTable [][5]int    `json:"exceptiontable"`
	Children       []*codeJSON `json:"children"`
	normalized     []instr
	normalizeError error
}

type instrJSON struct {
	Op     string          `json:"op"`
	Offset int             `json:"offset"`
	Arg    *int            `json:"arg"`
	Val    json.RawMessage `json:"val"`
	Repr   string          `json:"repr"`
	Pos    []int           `json:"pos"`
}

// instr is one normalised instruction (doc.go: "Normalising").
type instr struct {
	op     string
	arg    int
	val    json.RawMessage // the resolved argument: a name, a tagged constant, …
	repr   string
	name   string // val as a string, for names
	target int    // jump target as an instruction index; -1 for other instructions
	pos    pyast.Pos
	offset int
	lead   pyast.Pos // the position of a NOP dropped just before, if any
	// leads are the positions of all the NOPs dropped just before, in
	// order (nested try statements each leave one).
	leads []pyast.Pos
}

// dropped are instructions with no meaning for the tree.
var dropped = map[string]bool{
	"RESUME": true, "NOP": true, "PRECALL": true, "CACHE": true, "EXTENDED_ARG": true,
	"COPY_FREE_VARS": true, "MAKE_CELL": true, "TO_BOOL": true, "NOT_TAKEN": true,
}

// renamed maps the version-specific spellings onto one.
var renamed = map[string]string{
	"POP_JUMP_FORWARD_IF_FALSE":     "POP_JUMP_IF_FALSE",
	"POP_JUMP_BACKWARD_IF_FALSE":    "POP_JUMP_IF_FALSE",
	"POP_JUMP_FORWARD_IF_TRUE":      "POP_JUMP_IF_TRUE",
	"POP_JUMP_BACKWARD_IF_TRUE":     "POP_JUMP_IF_TRUE",
	"POP_JUMP_FORWARD_IF_NONE":      "POP_JUMP_IF_NONE",
	"POP_JUMP_BACKWARD_IF_NONE":     "POP_JUMP_IF_NONE",
	"POP_JUMP_FORWARD_IF_NOT_NONE":  "POP_JUMP_IF_NOT_NONE",
	"POP_JUMP_BACKWARD_IF_NOT_NONE": "POP_JUMP_IF_NOT_NONE",
	"JUMP_FORWARD":                  "JUMP",
	"JUMP_BACKWARD":                 "JUMP",
	"JUMP_BACKWARD_NO_INTERRUPT":    "JUMP",
	"LOAD_FAST_CHECK":               "LOAD_FAST",
	"LOAD_CLOSURE":                  "LOAD_DEREF",
}

func isJump(op string) bool {
	return strings.Contains(op, "JUMP") || op == "FOR_ITER" || op == "SEND"
}

func isCondJump(op string) bool { return strings.HasPrefix(op, "POP_JUMP_IF_") }

// normalize rewrites c's instructions into the common set; jump targets
// become indices into the result.
func normalize(c *codeJSON) ([]instr, error) {
	var out []instr
	var last, lead pyast.Pos
	var leads []pyast.Pos
	targets := map[int]int{} // out index → target offset, resolved below
	finallyPops := finallyReturnPops(c)
	for i := 0; i < len(c.Instructions); i++ {
		in := c.Instructions[i]
		op := in.Op
		if finallyPops[i] {
			continue
		}
		if dropped[op] {
			if op == "NOP" && len(in.Pos) == 4 {
				lead = pyast.Pos{Line: in.Pos[0], Col: in.Pos[1] + 1}
				leads = append(leads, lead)
			}
			continue
		}
		if r, ok := renamed[op]; ok {
			op = r
		}
		p := last
		if len(in.Pos) == 4 {
			p = pyast.Pos{Line: in.Pos[0], Col: in.Pos[1] + 1}
			last = p
		}
		x := instr{op: op, val: in.Val, repr: in.Repr, target: -1, pos: p, offset: in.Offset, lead: lead, leads: leads}
		lead, leads = pyast.Pos{}, nil
		if in.Arg != nil {
			x.arg = *in.Arg
		}
		var s string
		if json.Unmarshal(in.Val, &s) == nil {
			x.name = s
		}
		emit := func(y instr) { out = append(out, y) }
		switch op {
		case "LOAD_FAST_LOAD_FAST", "STORE_FAST_STORE_FAST", "STORE_FAST_LOAD_FAST":
			// 3.13 fuses two local accesses; the argument names both, in order.
			names, err := namePair(in.Val)
			if err != nil {
				return nil, err
			}
			first, second := "LOAD_FAST", "LOAD_FAST"
			if op != "LOAD_FAST_LOAD_FAST" {
				first = "STORE_FAST"
			}
			if op == "STORE_FAST_STORE_FAST" {
				second = "STORE_FAST"
			}
			a, b := x, x
			a.op, a.name, b.op, b.name = first, names[0], second, names[1]
			emit(a)
			emit(b)
			continue
		case "RETURN_CONST":
			a, b := x, x
			a.op, b.op = "LOAD_CONST", "RETURN_VALUE"
			emit(a)
			emit(b)
			continue
		case "COPY":
			// 3.12+ spell a value-level short circuit COPY 1; POP_JUMP_IF_X T;
			// POP_TOP (3.13 with TO_BOOL between, already dropped).
			if x.arg == 1 {
				j := i + 1
				for j < len(c.Instructions) && dropped[c.Instructions[j].Op] {
					j++
				}
				if j+1 < len(c.Instructions) && c.Instructions[j+1].Op == "POP_TOP" {
					switch jop := c.Instructions[j].Op; jop {
					case "POP_JUMP_IF_FALSE", "POP_JUMP_IF_TRUE":
						y := x
						y.op = "JUMP_IF_FALSE_OR_POP"
						if jop == "POP_JUMP_IF_TRUE" {
							y.op = "JUMP_IF_TRUE_OR_POP"
						}
						var t int
						if err := json.Unmarshal(c.Instructions[j].Val, &t); err != nil {
							return nil, fmt.Errorf("jump without target at offset %d", c.Instructions[j].Offset)
						}
						targets[len(out)] = t
						emit(y)
						i = j + 1
						continue
					}
				}
			}
		case "END_FOR":
			// 3.13: END_FOR; POP_TOP together pop the exhausted iterator, as
			// END_FOR alone does in 3.12.
			if c.Version == "3.13" && i+1 < len(c.Instructions) && c.Instructions[i+1].Op == "POP_TOP" {
				emit(x)
				i++
				continue
			}
		}
		if isJump(op) {
			var t int
			if err := json.Unmarshal(in.Val, &t); err != nil {
				return nil, fmt.Errorf("jump without target at offset %d", in.Offset)
			}
			targets[len(out)] = t
		}
		emit(x)
	}
	// Offsets → indices: a target on a dropped instruction moves to the next
	// kept one.
	index := map[int]int{}
	for k := len(out) - 1; k >= 0; k-- {
		index[out[k].offset] = k
	}
	for k, t := range targets {
		j, ok := index[t]
		if !ok {
			j = len(out)
			for m := range out {
				if out[m].offset >= t {
					j = m
					break
				}
			}
		}
		out[k].target = j
	}
	return out, nil
}

// finallyReturnPops finds the returns inside a finally clause's handler
// copy (the copy that runs when the body raised): CPython pops the
// exception under the value and restores the one being handled first,
// `SWAP 2; POP_TOP; SWAP 2; POP_EXCEPT; RETURN_VALUE`, where the copies on
// the body's ways out (the finally's other copies) return at once. It gives
// the indices of those four instructions, which normalize drops, so that
// every copy of the final code reads the same (try.go, tryFinally); a
// constant returned pops both first, `POP_TOP; POP_EXCEPT`, then returns.
// The iterators of the loops around the try are popped after them, as on
// the other ways out, and stay. A finally handler is a handler
// (PUSH_EXC_INFO) with a clean-up entry whose code holds no clause test and
// no try of its own.
func finallyReturnPops(c *codeJSON) map[int]bool {
	at := map[int]int{}
	for i, in := range c.Instructions {
		at[in.Offset] = i
	}
	var out map[int]bool
	for _, e := range c.ExceptionTable {
		h, ok := at[e[2]]
		if e[4] != 0 || !ok || c.Instructions[h].Op != "PUSH_EXC_INFO" {
			continue
		}
		end := -1
		for _, f := range c.ExceptionTable {
			if f[4] != 0 && f[0] == e[2] {
				if k, ok := at[f[2]]; ok {
					end = k
				}
			}
		}
		if end < 0 {
			continue
		}
		var kept []int
		plain := true
		for k := h + 1; k < end; k++ {
			switch op := c.Instructions[k].Op; {
			case op == "PUSH_EXC_INFO" || op == "CHECK_EXC_MATCH":
				plain = false
			case !dropped[op]:
				kept = append(kept, k)
			}
		}
		if !plain {
			continue
		}
		mark := func(ks []int) {
			if out == nil {
				out = map[int]bool{}
			}
			for _, k := range ks {
				out[k] = true
			}
		}
		arg := func(k int) int {
			if a := c.Instructions[k].Arg; a != nil {
				return *a
			}
			return -1
		}
		ins := c.Instructions
		op := func(j int) string {
			if j < len(kept) {
				return ins[kept[j]].Op
			}
			return ""
		}
		swap2 := func(j int) bool { return op(j) == "SWAP" && arg(kept[j]) == 2 }
		for j := 0; j+1 < len(kept); j++ {
			// A value returned: SWAP 2; POP_TOP; SWAP 2; POP_EXCEPT, then
			// the iterators of the loops the try is in, popped under the
			// value as on the other ways out, then RETURN_VALUE.
			if swap2(j) && op(j+1) == "POP_TOP" && swap2(j+2) && op(j+3) == "POP_EXCEPT" {
				r := j + 4
				for swap2(r) && op(r+1) == "POP_TOP" {
					r += 2
				}
				if op(r) == "RETURN_VALUE" {
					mark(kept[j : j+4])
				}
			}
			// A constant returned: POP_TOP; POP_EXCEPT, the iterators, then
			// the constant's return (RETURN_CONST from 3.12).
			if op(j) == "POP_TOP" && op(j+1) == "POP_EXCEPT" {
				r := j + 2
				for op(r) == "POP_TOP" {
					r++
				}
				if op(r) == "RETURN_CONST" || op(r) == "LOAD_CONST" && op(r+1) == "RETURN_VALUE" {
					mark(kept[j : j+2])
				}
			}
		}
	}
	return out
}

func namePair(v json.RawMessage) ([2]string, error) {
	var t struct {
		T string            `json:"t"`
		V []json.RawMessage `json:"v"`
	}
	var out [2]string
	if err := json.Unmarshal(v, &t); err != nil || len(t.V) != 2 {
		return out, fmt.Errorf("fused local access without two names: %s", v)
	}
	for i := range out {
		if err := json.Unmarshal(t.V[i], &out[i]); err != nil {
			return out, err
		}
	}
	return out, nil
}
