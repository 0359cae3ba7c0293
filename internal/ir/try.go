package ir

import "fmt"

// Exceptions caught in compiled code.
//
// A Try is the structured form of Python's try/except: Body runs, and the
// first statement in it that raises (a Check whose condition is false, a
// Call whose callee raised, a Print that raises, an allocation that
// fails, a Reraise) ends Body there. The raised error kind is then
// compared with each Handler's Errs in order; the first that holds it
// runs, with the exception caught (the kind and message saved under the
// Try's ID, for Reraise and for PrintExc items), and control continues
// after the Try. When no handler holds the kind, the exception goes on
// out of the Try exactly as it would without it: to the Try around it,
// or out of the function. Statements after a Try therefore run after a
// completed Body or a completed handler; nothing else is known there.
//
// Lowering has already turned Python's class hierarchy into sets of
// kinds (resolve/try.go), `else` clauses into a flag, and `finally`
// clauses into copies of their body on every way out plus a handler of
// every kind that runs it and raises again (lower/try.go). Passes treat
// Body and each Handler body as blocks of their own: they may optimise
// inside them but never move a statement that can raise across the
// Try's boundary, and they assume nothing after a Try that only its Body
// established.
//
// Targets print it with their own means: cgen jumps to a label where a
// failure would return (cgen/try.go); clgen refuses it.

// Try runs Body and, when it raises, the first Handler for the kind
// raised (see the comment above).
type Try struct {
	// ID names the caught exception for Reraise and PrintExc; lowering
	// gives each Try of a function its own.
	ID       int
	Body     []Stmt
	Handlers []Handler
	// Line and Col are where the try statement is in the source.
	Line, Col int
}

// Handler is one except clause: the error kinds it catches (sorted),
// and its body.
type Handler struct {
	Errs []ErrKind
	Body []Stmt
}

// Reraise raises again the exception caught by the Try with this ID; it
// only appears inside one of that Try's handlers.
type Reraise struct{ ID int }

func (*Try) stmt()     {}
func (*Reraise) stmt() {}

// Holds reports whether h catches kind k.
func (h *Handler) Holds(k ErrKind) bool {
	for _, e := range h.Errs {
		if e == k {
			return true
		}
	}
	return false
}

// tryBodies lists a Try's blocks: its body, then each handler's.
func tryBodies(s *Try) [][]Stmt {
	out := [][]Stmt{s.Body}
	for _, h := range s.Handlers {
		out = append(out, h.Body)
	}
	return out
}

// verifyCaught checks that each Reraise and PrintExc names a Try whose
// handler encloses it (active: the IDs of those handlers). Two Trys may
// share an ID when a pass copied one (a versioned loop's two bodies):
// each copy's handlers name their own.
func verifyCaught(body []Stmt, active map[int]bool) error {
	var err error
	for _, s := range body {
		if err != nil {
			return err
		}
		switch s := s.(type) {
		case *Try:
			err = verifyCaught(s.Body, active)
			for _, h := range s.Handlers {
				if err == nil {
					inner := copyIDs(active)
					inner[s.ID] = true
					err = verifyCaught(h.Body, inner)
				}
			}
			continue
		case *Reraise:
			if !active[s.ID] {
				return fmt.Errorf("reraise exc%d outside its handlers", s.ID)
			}
		case *Print:
			for _, it := range s.Items {
				if it.Kind == PrintExc && !active[it.Exc] {
					return fmt.Errorf("print of exc%d outside its handlers", it.Exc)
				}
			}
		}
		for _, b := range childBlocks(s) {
			if err == nil {
				err = verifyCaught(b, active)
			}
		}
	}
	return err
}

func copyIDs(m map[int]bool) map[int]bool {
	c := map[int]bool{}
	for k := range m {
		c[k] = true
	}
	return c
}

// childBlocks are the blocks nested in a statement other than a Try.
func childBlocks(s Stmt) [][]Stmt {
	switch s := s.(type) {
	case *If:
		return [][]Stmt{s.Then, s.Else}
	case *While:
		return [][]Stmt{s.Body}
	case *For:
		return [][]Stmt{s.Body}
	case *Nest:
		return [][]Stmt{s.Body}
	}
	return nil
}
