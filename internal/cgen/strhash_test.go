package cgen

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// sejit_str_hash (sejit_abi.h) under the zero key must be CPython's
// hash(s) under PYTHONHASHSEED=0, which zeroes the key: the reference is
// the system's CPython itself, over strings of each storage width (one,
// two and four bytes a character), the empty string and strings longer
// than one SipHash word. (The runtime checks the process's own key at
// import; tests/test_str_set_seeds.py checks orders under other seeds.)
func TestStrHashIsCPythons(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3 to compare with")
	}
	words := []string{"", "a", "ab", "abcdefg", "abcdefgh", "abcdefghi", "\x00", "café", "ÿ",
		"€", "€uro", "Ω", "日本語のテキスト", "😀", "a😀", "x😀yz", strings.Repeat("long text ", 20)}
	var src strings.Builder
	src.WriteString(abiHeader)
	src.WriteString("#include <stdio.h>\nint main(void) {\n    const uint64_t key[2] = {0, 0};\n")
	for _, w := range words {
		var cps []string
		for _, r := range w {
			cps = append(cps, fmt.Sprint(uint32(r)))
		}
		cps = append(cps, "0") // no empty initialiser
		fmt.Fprintf(&src, "    { static const uint32_t p[] = {%s}; printf(\"%%lld\\n\", (long long)sejit_str_hash(key, p, %d)); }\n",
			strings.Join(cps, ", "), len([]rune(w)))
	}
	src.WriteString("    return 0;\n}\n")
	got := strings.Fields(buildRun(t, src.String(), "-std=gnu11", "-O2", "-Wall", "-Werror"))

	js, err := json.Marshal(words)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "-c", "import json, sys\nfor w in json.load(sys.stdin):\n    print(hash(w))\n")
	cmd.Env = append(os.Environ(), "PYTHONHASHSEED=0")
	cmd.Stdin = strings.NewReader(string(js))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	want := strings.Fields(string(out))
	if len(got) != len(words) || len(want) != len(words) {
		t.Fatalf("got %d hashes from C and %d from CPython for %d words", len(got), len(want), len(words))
	}
	for i, w := range words {
		if got[i] != want[i] {
			t.Errorf("hash(%q): sejit_str_hash %s, CPython %s", w, got[i], want[i])
		}
	}
}
