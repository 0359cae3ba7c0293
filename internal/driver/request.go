package driver

import (
	"encoding/json"

	"sejit/internal/clgen"
)

// Request is what the Python front end sends to `sejitc compile`;
// docs/protocol.md is its specification.
type Request struct {
	EngineVersion string               `json:"engine_version"`
	Key           string               `json:"key"`
	CacheDir      string               `json:"cache_dir"`
	Entry         string               `json:"entry"`
	Functions     map[string]*Function `json:"functions"`
	Args          []ArgType            `json:"args"`
	Target        string               `json:"target"`
	// Device is the device a target "opencl" or "cuda" request compiles
	// for; it is part of the key.
	Device  *Device `json:"device,omitempty"`
	Options Options `json:"options"`
	CC      string  `json:"cc"`
	Explain bool    `json:"explain"`

	// CFlags are extra C compiler flags ($SEJIT_CFLAGS), separated by
	// white space, appended to the target's flags. They are part of the
	// key.
	CFlags string `json:"cflags,omitempty"`
	// Rebuild asks for a new build even if a complete entry exists (the
	// Python side could not load it). An entry that another process
	// rebuilt while this one waited for the lock is used as it is.
	Rebuild bool `json:"rebuild,omitempty"`
}

// Function is one Python function of the request.
type Function struct {
	Name        string                `json:"name"`
	Qualname    string                `json:"qualname"`
	Filename    string                `json:"filename"`
	FirstLineno int                   `json:"firstlineno"`
	SourceLines []string              `json:"source_lines"`
	AST         json.RawMessage       `json:"ast"`
	Globals     map[string]GlobalDesc `json:"globals"`
	Defaults    []GlobalDesc          `json:"defaults,omitempty"`   // __defaults__, evaluated by CPython at def time
	KwDefaults  map[string]GlobalDesc `json:"kwdefaults,omitempty"` // __kwdefaults__, the keyword-only parameters' defaults

	// Bytecode is the code object (python/sejit/_bytecode.py) of a
	// function whose source cannot be read; AST is null then.
	Bytecode json.RawMessage `json:"bytecode,omitempty"`
}

// GlobalDesc describes the value a global name had when the call was made.
type GlobalDesc struct {
	Kind   string          `json:"kind"` // module, const, function, builtin, unsupported
	Name   string          `json:"name,omitempty"`
	Module string          `json:"module,omitempty"`
	ID     string          `json:"id,omitempty"`
	Value  json.RawMessage `json:"value,omitempty"`
	DType  string          `json:"dtype,omitempty"`
	Type   string          `json:"type,omitempty"`
	Items  []GlobalDesc    `json:"items,omitempty"` // tuple
}

// ArgType is the classified type of one argument.
type ArgType struct {
	Kind   string `json:"kind"` // array, scalar, object, tuple, list, str, or cell (an object's assigned number: dtype and weak)
	DType  string `json:"dtype"`
	NDim   int    `json:"ndim"`
	Layout string `json:"layout,omitempty"`
	Weak   bool   `json:"weak,omitempty"`
	// Unit marks an array with an extent of 1 on some axis: only such
	// arguments need the entry's variant that stretches extents of 1.
	Unit bool `json:"unit,omitempty"`
	// An object of a plain class (kind "object", objects.go).
	Class   string            `json:"class,omitempty"`
	Fields  []ObjectField     `json:"fields,omitempty"`
	Methods map[string]string `json:"methods,omitempty"`
	// A tuple (kind "tuple", objects.go): the types of its items.
	Items []ArgType `json:"items,omitempty"`
	// A str (kind "str"): a compile-time constant, its text part of the
	// signature (resolve/strfold.go); it passes no data to the kernel.
	Value string `json:"value,omitempty"`
	// Runtime marks a run-time str (types/strings.go): no value, one leaf,
	// a 1-D uint32 array of its code points.
	Runtime bool `json:"runtime,omitempty"`
	// A constant argument (kind "const"): a dtype, a module or a function,
	// described as a global of that value. Like a str, each distinct value
	// is a specialization, and it passes no data.
	Global *GlobalDesc `json:"global,omitempty"`
	// Elem is a list's item type when the items are tuples (kind "list",
	// lists.go): a tuple of scalars, one buffer leaf per field in Items.
	Elem *ArgType `json:"elem,omitempty"`
	// A dict or a set (kinds "dict" and "set", lists.go): Elem is the key
	// type and Val a dict's value type (a scalar, or a run-time str); Items
	// are the leaves it travels as (lower/dicts.go, hashRepr).
	Val *ArgType `json:"val,omitempty"`
}

// Device is the identity of an OpenCL or CUDA device.
type Device struct {
	Name          string `json:"name"`
	Platform      string `json:"platform"`
	DriverVersion string `json:"driver_version"`
	FP64          bool   `json:"fp64"`
	// Arch is a CUDA device's architecture (sm_90): NVRTC compiles the
	// kernels to a CUBIN for it (a PTX from a newer NVRTC is refused by
	// older drivers).
	Arch string `json:"arch,omitempty"`
}

// Options are the jit options that change generated code.
type Options struct {
	BoundsCheck bool `json:"boundscheck"`
	FastMath    bool `json:"fastmath"`
	// Parallel makes prange loops and large element-wise nests parallel
	// (OpenMP); absent means false.
	Parallel bool `json:"parallel,omitempty"`
	// Kernel marks the driver of sejit.kernel's device form, or of its
	// CPU form under parallel=True (whose atomics cgen compiles): its pranges
	// are work-items, exempt from prange's race rules, with the work-group
	// functions available and the launch's local size taken from its
	// last three parameters (lower.Options.Kernel, clgen.Options.Kernel).
	Kernel bool `json:"kernel,omitempty"`
}

// Reply is what `sejitc compile` prints.
type Reply struct {
	OK       bool         `json:"ok"`
	Artifact string       `json:"artifact,omitempty"`
	Symbol   string       `json:"symbol,omitempty"`
	ABI      *ABI         `json:"abi,omitempty"`
	Explain  string       `json:"explain,omitempty"`
	Errors   []ReplyError `json:"errors,omitempty"`

	// Cached is set when the reply comes from an entry that was already
	// complete: nothing was compiled (another process built it while this
	// one waited for the lock).
	Cached bool `json:"cached,omitempty"`
	// CacheUnusable is set on a failure because the cache directory cannot
	// be used (not private, not writable); the Python side may warn once
	// and retry in a private temporary directory.
	CacheUnusable bool `json:"cache_unusable,omitempty"`
	// OpenCL and Plan are a target "opencl" compile's kernels (OpenCL C)
	// and host plan (internal/clgen).
	OpenCL string      `json:"opencl,omitempty"`
	Plan   *clgen.Plan `json:"plan,omitempty"`
	// CUDA and CUDAOptions are a target "cuda" compile's kernels (CUDA C)
	// and NVRTC's options (-arch=sm_NN first); Plan is the host plan.
	CUDA        string   `json:"cuda,omitempty"`
	CUDAOptions []string `json:"cuda_options,omitempty"`
	FP64        bool     `json:"fp64,omitempty"`
	// Warnings are notes for the user that do not stop the compile: an
	// entry rebuilt because it was damaged or unsafe, a size limit that
	// could not be applied.
	Warnings []string `json:"warnings,omitempty"`
}

// ABI describes how the runtime calls the entry point and boxes its result.
type ABI struct {
	Sig    string    `json:"sig"`
	Args   []ArgType `json:"args"`
	Writes []int     `json:"writes"`
	// Guard lists the array arguments the runtime replaces by a copy when
	// their memory overlaps that of an argument in Writes.
	Guard []int `json:"guard,omitempty"`
	// Owners lists the arguments that hold the owner addresses of a list
	// of arrays argument (int64 words, lists.go): the runtime accepts
	// those owners for returned arrays.
	Owners  []int    `json:"owners,omitempty"`
	Ret     *RetType `json:"ret"`
	NLeaves int      `json:"nleaves"`
	// ReleaseGILMin is the number of array elements from which the runtime
	// releases the GIL around a call; 0 means always.
	ReleaseGILMin int64 `json:"release_gil_min"`
	// Random is set when the program draws from NumPy's global random
	// state: the runtime takes the state's lock for the call and passes
	// the state in ctx->random (lower/random.go).
	Random bool `json:"random,omitempty"`
	// OnFail is the number of trailing items of the result tuple (the
	// final contents of list arguments, lower/lists.go) that the kernel
	// sets when it fails as well: the runtime attaches them to the
	// exception, and the caller's lists receive them (CPU target only).
	OnFail int `json:"onfail,omitempty"`
}

// RetType is the shape of a result: none, scalar, array, tuple, or optional
// (one item, or None: a leading bool leaf says which; types.Info.RetNone).
type RetType struct {
	Kind  string     `json:"kind"`
	DType string     `json:"dtype,omitempty"`
	NDim  int        `json:"ndim"`
	Items []*RetType `json:"items"`
	// NumPy says a scalar comes back as a NumPy scalar (np.float64,
	// np.int64, np.bool_, ...), as CPython returns it, rather than as the
	// Python int/float/bool/complex a weak (Python) value is.
	NumPy bool `json:"numpy,omitempty"`
	// Origins says a reflected list of lists comes back as (the list,
	// each item's origin): the index of the caller's inner list its box
	// started as, or -1 (lower/list_lists.go, python/sejit/lists.py).
	Origins bool `json:"origins,omitempty"`
}

// ReplyError is one positioned diagnostic.
type ReplyError struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Col       int    `json:"col"`
	Kind      string `json:"kind"`
	Msg       string `json:"msg"`
	Hint      string `json:"hint,omitempty"`
	Formatted string `json:"formatted"`
}
