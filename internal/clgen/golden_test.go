package clgen_test

// Golden tests of the device target: each archive under testdata/ holds a
// Python function, its JSON AST (checked in, so the test never needs
// Python to run), the argument types, and the expected OpenCL C and host
// plan — or, for a program the device target refuses, the expected error.
// Where an OpenCL device that can build kernels is present, every
// expected source is built by its compiler (skipped with the reason
// otherwise). `go test ./internal/clgen -update` rewrites the expected
// sections, and ast.json from source.py when the project's .venv exists.
//
// Each archive also holds the CUDA C of the same program (section cuda;
// the host plan is the same as OpenCL's, which the test checks), or the
// error the CUDA target gives (cuda-error); every cuda section is
// compiled by NVRTC to a CUBIN for sm_80 and sm_90 (no GPU needed; skipped,
// saying why, without the project's .venv and its NVRTC wheel).
//
// Archive sections: source.py, args.json, options.json (optional),
// globals.json (optional: the function's globals, as the request gives
// them), ast.json, opencl, plan, error, cuda, cuda-error.

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"sejit/internal/clgen"
	"sejit/internal/driver"
)

var update = flag.Bool("update", false, "rewrite golden files")

func section(a *txtar.Archive, name string) ([]byte, bool) {
	for _, f := range a.Files {
		if f.Name == name {
			return f.Data, true
		}
	}
	return nil, false
}

func setSection(a *txtar.Archive, name string, data []byte) {
	for i, f := range a.Files {
		if f.Name == name {
			a.Files[i].Data = data
			return
		}
	}
	a.Files = append(a.Files, txtar.File{Name: name, Data: data})
}

func dropSection(a *txtar.Archive, name string) {
	for i, f := range a.Files {
		if f.Name == name {
			a.Files = append(a.Files[:i], a.Files[i+1:]...)
			return
		}
	}
}

func venvPython() string {
	p, _ := filepath.Abs(filepath.Join("..", "..", ".venv", "bin", "python"))
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

func entryName(src string) string {
	for _, l := range strings.Split(src, "\n") {
		if rest, ok := strings.CutPrefix(l, "def "); ok {
			if i := strings.IndexByte(rest, '('); i >= 0 {
				return rest[:i]
			}
		}
	}
	return "f"
}

func TestGolden(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	if len(paths) == 0 {
		t.Fatal("no goldens")
	}
	built, builtCUDA := map[string]string{}, map[string]string{}
	for _, path := range paths {
		arch, err := txtar.ParseFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(path), ".txtar")
		src, _ := section(arch, "source.py")
		if *update {
			if py := venvPython(); py != "" {
				dir := t.TempDir()
				file := filepath.Join(dir, "source.py")
				os.WriteFile(file, src, 0o644)
				out, err := exec.Command(py, "-W", "ignore", "-m", "sejit._astjson", file).Output()
				if err != nil {
					t.Fatalf("%s: ast: %v", path, err)
				}
				setSection(arch, "ast.json", out)
			}
		}
		astJSON, _ := section(arch, "ast.json")
		argsJSON, _ := section(arch, "args.json")
		var args []driver.ArgType
		if err := json.Unmarshal(argsJSON, &args); err != nil {
			t.Fatalf("%s: args.json: %v", path, err)
		}
		opts := driver.Options{BoundsCheck: true}
		if o, ok := section(arch, "options.json"); ok {
			json.Unmarshal(o, &opts)
		}
		var globals map[string]driver.GlobalDesc
		if g, ok := section(arch, "globals.json"); ok {
			if err := json.Unmarshal(g, &globals); err != nil {
				t.Fatalf("%s: globals.json: %v", path, err)
			}
		}
		req := goldenRequest(src, astJSON, args, opts)
		req.Functions["f0"].Globals = globals
		u, _, errs := driver.OpenCL(req)
		got := map[string][]byte{}
		if len(errs) > 0 {
			var b bytes.Buffer
			for _, e := range errs {
				b.WriteString(string(e.Kind) + ": " + e.Error() + "\n")
				if e.Hint != "" {
					b.WriteString("hint: " + e.Hint + "\n")
				}
			}
			got["error"] = b.Bytes()
		} else {
			got["opencl"] = []byte(u.Source)
			got["plan"] = planText(u.Plan)
			built[name] = u.Source
		}
		creq := goldenRequest(src, astJSON, args, opts)
		creq.Functions["f0"].Globals = globals
		creq.Target, creq.Device = "cuda", &driver.Device{Name: "test", FP64: true, Arch: "sm_90"}
		if cu, _, cerrs := driver.CUDA(creq); len(cerrs) > 0 {
			var b bytes.Buffer
			for _, e := range cerrs {
				b.WriteString(string(e.Kind) + ": " + e.Error() + "\n")
				if e.Hint != "" {
					b.WriteString("hint: " + e.Hint + "\n")
				}
			}
			got["cuda-error"] = b.Bytes()
		} else {
			got["cuda"] = []byte(cu.Source)
			builtCUDA[name] = cu.Source
			if u != nil {
				// The same plan, but for the name of the device in messages.
				cplan := bytes.ReplaceAll(planText(cu.Plan), []byte("CUDA devices"), []byte("OpenCL devices"))
				if !bytes.Equal(cplan, got["plan"]) {
					t.Errorf("%s: the CUDA host plan differs from OpenCL's\n%s", path, cplan)
				}
			}
		}
		sections := []string{"opencl", "plan", "error", "cuda", "cuda-error"}
		if *update {
			for _, s := range sections {
				if data, ok := got[s]; ok {
					setSection(arch, s, data)
				} else {
					dropSection(arch, s)
				}
			}
			if err := os.WriteFile(path, txtar.Format(arch), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		for _, s := range sections {
			want, has := section(arch, s)
			data, ok := got[s]
			switch {
			case has != ok:
				t.Errorf("%s: section %s: expected %v, got %v (run with -update)\n%s%s", path, s, has, ok, got["error"], data)
			case ok && !bytes.Equal(want, data):
				t.Errorf("%s: section %s differs (run with -update)\n--- got ---\n%s", path, s, data)
			}
		}
	}
	t.Run("device", func(t *testing.T) { clgen.DeviceBuild(t, built) })
	t.Run("nvrtc", func(t *testing.T) { clgen.NVRTCBuild(t, builtCUDA) })
}

func goldenRequest(src, astJSON []byte, args []driver.ArgType, opts driver.Options) *driver.Request {
	lines := strings.SplitAfter(string(src), "\n")
	if n := len(lines); n > 0 && lines[n-1] == "" {
		lines = lines[:n-1]
	}
	return &driver.Request{
		EngineVersion: driver.EngineVersion, Entry: "f0", Target: "opencl", Options: opts, Args: args,
		Device: &driver.Device{Name: "test", FP64: true},
		Functions: map[string]*driver.Function{"f0": {Name: entryName(string(src)), Qualname: entryName(string(src)),
			Filename: "source.py", FirstLineno: 1, SourceLines: lines, AST: json.RawMessage(astJSON)}},
	}
}

// TestNoFP64 compiles a float64 program for a device without fp64: a
// TypeError saying so, where a float32 one compiles.
func TestNoFP64(t *testing.T) {
	for _, c := range []struct {
		file string
		ok   bool
	}{{"chain.txtar", false}, {"poly.txtar", true}} {
		arch, err := txtar.ParseFile(filepath.Join("testdata", c.file))
		if err != nil {
			t.Fatal(err)
		}
		src, _ := section(arch, "source.py")
		astJSON, _ := section(arch, "ast.json")
		argsJSON, _ := section(arch, "args.json")
		var args []driver.ArgType
		json.Unmarshal(argsJSON, &args)
		req := goldenRequest(src, astJSON, args, driver.Options{BoundsCheck: true})
		req.Device.FP64 = false
		_, _, errs := driver.OpenCL(req)
		switch {
		case c.ok && len(errs) > 0:
			t.Errorf("%s: %v", c.file, errs)
		case !c.ok && (len(errs) == 0 || errs[0].Kind != "type" || !strings.Contains(errs[0].Msg, "fp64")):
			t.Errorf("%s: want a TypeError naming fp64, got %v", c.file, errs)
		}
	}
}

// planText prints a host plan for a golden: each kernel, message, local and
// statement of the body (and of each called function's plan) as compact
// JSON on a line of its own, so a plan stays short and its diffs readable.
func planText(p *clgen.Plan) []byte {
	var b bytes.Buffer
	lines := func(title string, items any) {
		b.WriteString(title + ":\n")
		raw, _ := json.Marshal(items)
		var list []json.RawMessage
		_ = json.Unmarshal(raw, &list)
		for _, item := range list {
			b.WriteString("  ")
			b.Write(item)
			b.WriteString("\n")
		}
	}
	lines("kernels", p.Kernels)
	lines("messages", p.Messages)
	params, _ := json.Marshal(p.Params)
	b.WriteString("params: " + string(params) + "\n")
	lines("locals", p.Locals)
	lines("body", p.Body)
	for _, f := range p.Funcs {
		fp, _ := json.Marshal(f.Params)
		b.WriteString("func " + f.Name + " " + string(fp) + "\n")
		lines("locals", f.Locals)
		lines("body", f.Body)
	}
	return b.Bytes()
}
