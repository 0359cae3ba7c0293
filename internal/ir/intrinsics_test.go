package ir

import (
	"strings"
	"testing"
)

// Every entry of the registry is complete: a unique listing name that
// FnNamed reads back, its semantics written down, and a signature whose T
// slots name the dtypes they may take.
func TestIntrinsicRegistry(t *testing.T) {
	seen := map[string]Fn{}
	for _, fn := range Fns() {
		info := fn.Info()
		if info.Name == "" || info.Name == "?" {
			t.Errorf("intrinsic %d has no name", fn)
			continue
		}
		if prev, ok := seen[info.Name]; ok {
			t.Errorf("intrinsics %d and %d are both named %q", prev, fn, info.Name)
		}
		seen[info.Name] = fn
		if got := FnNamed(info.Name); got != fn {
			t.Errorf("FnNamed(%q) = %d, want %d", info.Name, got, fn)
		}
		if len(strings.TrimSpace(info.Doc)) < 10 {
			t.Errorf("%s: no semantics written (Doc %q)", fn, info.Doc)
		}
		usesT := info.Sig.Result == SlotT
		for _, a := range info.Sig.Args {
			usesT = usesT || a == SlotT
		}
		if usesT != (len(info.Sig.Ts) > 0) {
			t.Errorf("%s: the signature uses T: %v, but lists %d dtypes for it", fn, usesT, len(info.Sig.Ts))
		}
		if len(info.Sig.Args) == 0 {
			t.Errorf("%s: no operands", fn)
		}
	}
	if FnNamed("sejit_c128_make") != BadFn || FnNamed("") != BadFn {
		t.Error("FnNamed found an intrinsic for a name outside the registry")
	}
}

// Every helper's entry is complete.
func TestHelperRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, h := range Helpers() {
		info := h.Info()
		if info.Name == "" || info.Name == "?" || seen[info.Name] {
			t.Errorf("helper %d: missing or repeated name %q", h, info.Name)
		}
		seen[info.Name] = true
		// Only str_formatted takes no operand: it reads what the Print
		// before it left in the context (printstmt.go).
		if len(info.Writes) == 0 && h != HelperStrFormatted || len(strings.TrimSpace(info.Doc)) < 10 {
			t.Errorf("%s: no operands or no semantics written", h)
		}
	}
}
