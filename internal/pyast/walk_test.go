package pyast

import "testing"

// TestRewriteBlocksReachesEveryBlock checks that RewriteBlocks hands each
// block of each compound statement to the rewrite, and only those.
func TestRewriteBlocksReachesEveryBlock(t *testing.T) {
	block := func() []Stmt { return []Stmt{&Break{}} }
	stmts := []Stmt{
		&For{Body: block(), Orelse: block()},
		&While{Body: block(), Orelse: block()},
		&If{Body: block(), Orelse: block()},
		&Try{Body: block(), Handlers: []*ExceptHandler{{Body: block()}, {Body: block()}},
			Orelse: block(), Finalbody: block()},
		&Return{},
	}
	want := []int{2, 2, 2, 5, 0}
	for i, s := range stmts {
		n := 0
		RewriteBlocks(s, func(b []Stmt) []Stmt {
			if len(b) != 1 {
				t.Fatalf("statement %d: a block of %d statements, want the one given", i, len(b))
			}
			n++
			return append(b, &Continue{})
		})
		if n != want[i] {
			t.Errorf("statement %d (%T): %d blocks rewritten, want %d", i, s, n, want[i])
		}
		// Every rewritten block now holds the rewrite's result.
		added := 0
		WalkStmts([]Stmt{s}, func(inner Stmt) bool {
			if _, ok := inner.(*Continue); ok {
				added++
			}
			return true
		}, nil)
		if added != want[i] {
			t.Errorf("statement %d (%T): %d rewritten blocks kept, want %d", i, s, added, want[i])
		}
	}
}
