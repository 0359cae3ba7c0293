// Package bytecode rebuilds a function's syntax tree from its CPython code
// object, for functions whose source text cannot be read back: a def typed
// at the plain `python` prompt, or one made by exec of a string with no
// file behind it. The Python front end sends the code object as JSON
// (python/sejit/_bytecode.py: the instructions as dis reads them, the
// parameter names, nested code objects) in place of the AST JSON, and
// Decompile returns the same pyast.FunctionDef that the rest of the engine
// consumes, with positions taken from the code's line table. Whatever the
// decompiler cannot express faithfully ends in a positioned Unsupported
// diagnostic naming the construct: a wrong tree would compile to a wrong
// result, so refusing is always preferred to guessing.
//
// # The algorithm
//
// Decompiling runs in three steps.
//
// Normalising. Opcodes differ between CPython 3.11, 3.12 and 3.13 in ways
// that do not matter to the tree: 3.11 has directional conditional jumps
// (POP_JUMP_FORWARD_IF_FALSE), 3.12 adds RETURN_CONST and spells a value
// short-circuit as COPY 1; POP_JUMP_IF_FALSE; POP_TOP, 3.13 fuses pairs of
// local loads and stores (LOAD_FAST_LOAD_FAST) and inserts TO_BOOL before
// tests. normalize.go rewrites each version's stream into one small
// instruction set (conditional jumps with absolute targets, one JUMP,
// JUMP_IF_FALSE_OR_POP for value-level and/or, unfused loads and stores) and
// drops what carries no meaning for the tree (RESUME, NOP, PRECALL, CACHE,
// TO_BOOL). Jump targets become instruction indices; a target on a dropped
// instruction moves to the next kept one.
//
// Expressions. Within straight-line code a symbolic value stack rebuilds
// expressions: a load pushes a node, an operator pops its operands and
// pushes the operator's node, a store pops a value and emits an assignment.
// Stack shuffles (COPY, SWAP) move node pointers, which is what lets the
// decompiler recognise the read-modify-write shapes of augmented assignment
// (`a[i] += v` is LOAD a; LOAD i; COPY 2; COPY 2; BINARY_SUBSCR; v;
// BINARY_OP +=; SWAP 3; SWAP 2; STORE_SUBSCR): the store's container and
// index are the very nodes the in-place operator read. Several stores that
// empty the stack together (`a, b = b, a` compiles to loads, a SWAP and two
// stores with no tuple) become one tuple assignment, which evaluates every
// value before any store exactly as the bytecode does. Calls follow the
// CALL convention of the version: a NULL marker or a method marker below the
// callable, keyword names from KW_NAMES or CALL_KW.
//
// Control flow. Structure is recovered by recursive descent over regions,
// a region being a range of instructions with one entry whose exits are
// known: falling off its end, `continue` and `break` of the loop around it,
// and return. A label is classified by following NOPs and unconditional
// jumps to the first instruction really executed (CPython threads jumps to
// jumps, so a join, a loop head and the end of an enclosing region are all
// spelled several ways). Then:
//
//   - A conditional jump starts a condition. The following pure-expression
//     runs that end in conditional jumps join it when they must (an earlier
//     jump targets the next run's end: `or`) or when they test the same
//     outcome on the same line (`and`; a nested `if` on a later line is kept
//     nested). The chain reduces to one boolean expression by merging
//     adjacent tests with the classic short-circuit rules: X's false exit is
//     Y and both share a true exit gives `X or Y`; X's true exit is Y and both
//     share a false exit gives `X and Y`.
//   - The reduced test's false label decides the shape: the end of the region
//     (an if without else), a label inside the region (the instruction before
//     it, an unconditional forward jump, separates the then-part from the
//     else-part and names the join), or `continue`/`break` of the enclosing
//     loop (the rest of the region is the then-part).
//   - When both branches leave exactly one value and no statement, the shape
//     is a conditional expression instead.
//   - GET_ITER; FOR_ITER is a for loop whose body runs to the exhaustion
//     target; the iterator stays on the symbolic stack as a sentinel, so a
//     POP_TOP of it followed by a jump out is `break`, and SWAP/POP_TOP
//     around RETURN_VALUE is a return from inside the loop. Breaks that jump
//     past the code after the exhaustion target make that code the loop's
//     else-part.
//   - A statement start that some later jump targets backwards is a
//     `while True` loop. A test whose body start is the target of the last
//     backward jump and whose false exit follows it is `while test`: CPython
//     copies the test to the bottom of the loop, and the copy is checked to
//     be the same test before it is dropped.
//   - SWAP 2; COPY 2; COMPARE_OP; JUMP_IF_FALSE_OR_POP is a link of a
//     chained comparison (`a < b < c`) used as a value: the middle operand
//     stays on the stack for the next link, and a failed link pops it at the
//     shared cleanup label. Alone as an if's test, the links end in
//     POP_JUMP_IF_FALSE to a cleanup that pops the kept operand and goes on
//     at the else-part (3.12 and later copy the else-part's code there when
//     it ends in a return).
//
// Every instruction must be consumed exactly once; anything left over means
// control flow the decompiler did not follow and ends in an error rather
// than a tree missing code. Finally the tree is tidied the way the source
// was written: an implicit `return None` at the end of the function, a
// `continue` at the end of a loop body and empty else-parts disappear, and
// `if t: body else: break` becomes `if not t: break` followed by the body.
//
// Exceptions. A try statement leaves no instruction at its start: the
// code's exception table (sent with the instructions) says which
// instructions jump to which handler when they raise. try.go reads the
// bodies from the table (a nested try leaves a hole in the outer body's
// entries, which the outer body is extended over), parses the handler's
// clauses (type; CHECK_EXC_MATCH; the name's store; the body up to
// POP_EXCEPT; the clean-up of `as e`), and follows the ways out: a jump to
// the join (3.11) or, in 3.12 and later, a copy of the short tail after
// the try, which must match the normal path's own copy. The handler code
// is then skipped by the walk wherever the version put it (3.12 moves it to
// the end of the function).
//
// A return inside a clause leaves through POP_EXCEPT (the value first, kept
// under the exception by SWAP 2, or a constant after it, on its line).
//
// A break or continue that ends a clause leaves through POP_EXCEPT and a
// jump to the loop's exit or head (a continue only where final code tells
// it apart from the clause's normal way out at the end of a loop body).
//
// try … finally compiles the final code once in the handler that
// re-raises, and copies it before every way out of the body: inline after
// the body (the normal path) and before each return, break and continue,
// including those out of except clauses. The handler's copy is the finally
// body; the copies are found (unprotected code, in the body or in the
// handlers of tries nested in it, that is the same code; a try around the
// try … finally may protect them), stepped over by the walk, and every way
// out of the body is checked to run one, so that no copy is left to run
// twice. try … except … finally compiles as a try … except nested in a
// try … finally, and becomes one statement again; 3.12 and later protect
// only the nested handler's code with the outer handler, and the outer
// body is then the nested one's.
//
// A return inside the finally clause: the handler's copy pops the exception
// before it returns, which normalize drops (finallyReturnPops), so that it
// reads as the copies on the other ways out do, and a final code that
// always returns ends in that return instead of RERAISE 0.
//
// Not supported from bytecode (positioned errors): a try inside a finally
// clause, a return in a finally clause that overrides a return of the body
// (the copy pops the body's value under its own), a conditional return in a
// finally clause at the end of a loop body on 3.12 and later (the inline
// copy's branch is inverted), a continue that ends an except clause at the end of a
// loop body without finally, with statements
// (refused by the source route too), set and dict comprehensions (list comprehensions and
// generator expressions are rebuilt: a function of their own, or 3.12's
// inlined loop, folded back into clauses), a chained comparison as a while
// test or joined by and/or in a test (alone in an if, and as a value, it is
// rebuilt), while-else,
// f-strings, star arguments in calls (CALL_FUNCTION_EX; *args and **kwargs
// parameters are rebuilt, keyword-only ones are not), assignment expressions, global and nonlocal
// stores, generators, set displays of three or more constants (a frozenset
// constant, unordered). Defining the function in a file gives the full
// language.
package bytecode
