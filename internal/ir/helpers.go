package ir

// Helper is an algorithm of the target's runtime library that lowering
// calls rather than writes out in IR: NumPy's sort, histogram, interp.
// A call of one is a Call statement whose Func is Extern (it has Params and
// Results but no Body) and names the helper in Func.Helper; each target
// maps the helper to its own implementation (cgen: the prelude's
// sejit_np_* functions, picked by the dtype of the first array operand
// where the helper is generic), so lowering never names a target's
// function. Like intrinsics, helpers are a closed set, each with its
// semantics written once in its entry and implemented by every target;
// unlike them they may read and write arrays (Writes says which operands
// they write, which is what passes know of them), allocate their results
// and fail with the exception their entry names, so they are statements.
type Helper uint8

const (
	NoHelper Helper = iota
	HelperSort
	HelperArgsort
	HelperUnique
	HelperHistogram
	HelperBincount
	HelperBincountWeighted
	HelperInterp
	HelperRandom
	HelperRandomFill
	HelperRandint
	HelperRandintFill
	HelperRandom2
	HelperRandom2Fill
	HelperRandomDisc
	HelperRandomDiscFill
	HelperRandomSeed
	HelperRandomPerm
	HelperChoiceCheck
	HelperChoice
	HelperGenFloat
	HelperGenFloatFill
	HelperGenInt
	HelperGenIntFill
	HelperGenPerm
	HelperGenChoice
	HelperStreamFloat
	HelperStreamInt
	HelperStreamGenFloat
	HelperGemm
	HelperGemv
	HelperDot
	HelperLinalgSolve
	HelperLinalgInv
	HelperLinalgDet
	HelperLinalgCholesky
	HelperLinalgEigh
	HelperLinalgNorm
	HelperLinalgSlogdet
	HelperLinalgSVD
	HelperLinalgPinv
	HelperLinalgRank
	HelperLinalgCond
	HelperLinalgEig
	HelperLinalgQR
	HelperLinalgLstsq
	HelperLinalgMatrixPower
	HelperLinalgMatrixNorm
	HelperFsum
	HelperVectorNorm
	HelperCov
	HelperCorrelate
	HelperQuantile
	HelperPolyfit
	HelperHistogramEdges
	HelperArrayWords
	HelperArrayFrom
	HelperStrFloat
	HelperStrInt
	HelperStrSplit
	HelperStrFind
	HelperStrCmp
	HelperStrMatch
	HelperStrConcat
	HelperStrRepeat
	HelperStrStrip
	HelperStrReplace
	HelperStrCase
	HelperStrIs
	HelperStrJoin
	HelperStrChr
	HelperStrFormatted
	HelperStrSort
	HelperRandintNarrow
	HelperRandintNarrowFill
	HelperRandomGetState
	HelperRandomSetState
	HelperStrHash

	numHelpers
)

// MaxArrayWordDims is the number of extents (and of strides) array_from
// takes: the runtime's SEJIT_MAXDIM.
const MaxArrayWordDims = 8

// HelperInfo is one helper's entry.
type HelperInfo struct {
	Name string // in IR listings
	// Writes[k] reports whether the helper writes into array operand k;
	// len(Writes) is the number of operands.
	Writes  []bool
	Results int
	Doc     string
}

var helpers = [numHelpers]HelperInfo{
	// Lists of arrays (lower/list_arrays.go) keep each item's descriptor
	// as int64 words: the owner and data addresses from array_words, the
	// extents and strides from Dim and Stride; array_from rebuilds it.
	// analysis.AliasRoots knows what an array_from result may view.
	HelperArrayWords: {"array_words", []bool{false}, 2, "array_words(a): (the address of a's owner, the address " +
		"of its first element), as int64 words, for storing a's descriptor in a list."},
	HelperArrayFrom: {"array_from", make([]bool, 2+2*MaxArrayWordDims), 1, "array_from(owner, data, e0..e7, " +
		"s0..s7): the array whose descriptor these words are (array_words' owner and data, then the extents " +
		"and the strides in elements, zeros past the rank): an array a list holds."},
	HelperFsum: {"py_fsum", []bool{false}, 1, "fsum(a): CPython's math.fsum of the C-contiguous float64 array a " +
		"(exact partial sums, one rounding); fails as CPython does: OverflowError \"intermediate overflow in fsum\", " +
		"ValueError \"-inf + inf in fsum\"."},
	HelperVectorNorm: {"py_vector_norm", []bool{true}, 1, "vector_norm(a): CPython's math.hypot of the coordinates " +
		"in the C-contiguous float64 array a (math.dist of their differences), which it overwrites: scaled by the largest magnitude's " +
		"power of two, squares and sums kept exact in two parts, one corrected square root; inf if any is " +
		"infinite, else NaN if any is NaN."},
	HelperSort: {"np_sort", []bool{true}, 0, "sort(a): sorts the 1-D array a (any stride, any real dtype) in place, " +
		"ascending, stably, NaN after every number in their original order (NumPy's order)."},
	HelperArgsort: {"np_argsort", []bool{false, true}, 0, "argsort(a, out): writes into out (int64, a's length) the " +
		"stable permutation that sorts a in sort's order; a is unchanged."},
	HelperUnique: {"np_unique", []bool{false}, 1, "unique(a) of a sorted 1-D array: a new array of its distinct " +
		"values in order (NaNs count as one value)."},
	HelperHistogram: {"np_histogram", []bool{false, false, false, false, true, true}, 0, "histogram(a, has_range, lo, " +
		"hi, counts, edges): NumPy's histogram of the float64 array a into len(counts) equal bins over [lo, hi] " +
		"(has_range != 0) or a's [min, max]; writes the int64 counts and the float64 edges (len(counts)+1). " +
		"The last bin is closed; values outside the range are not counted."},
	HelperBincount: {"np_bincount", []bool{false, false}, 1, "bincount(x, minlength): a new int64 array of length " +
		"max(max(x)+1, minlength) counting each value of the int64 array x; a negative minlength or value raises " +
		"NumPy's ValueError."},
	HelperBincountWeighted: {"np_bincount_w", []bool{false, false, false}, 1, "bincount(x, w, minlength): as " +
		"bincount, a new float64 array summing the float64 weights w instead of counting; w of another length " +
		"than x raises NumPy's ValueError."},
	HelperInterp: {"np_interp", []bool{false, false, false, true, false, false, false, false}, 0, "interp(x, xp, fp, " +
		"out, has_left, left, has_right, right): NumPy's linear interpolation of the float64 points x in the table " +
		"(xp increasing, fp), written to out; below xp[0] it gives left (or fp[0]), above xp[-1] right (or fp[-1])."},
	HelperRandom: {"np_random", []bool{false, false, false}, 1, "random(kind, p, q): one float64 drawn from NumPy's " +
		"global RandomState as its legacy distributions draw it (kind 0: p + q*uniform, 1: p + q*legacy_gauss, " +
		"2: p * standard exponential); advances NumPy's own state (random.go in lower)."},
	HelperRandomFill: {"np_random_fill", []bool{true, false, false, false, false}, 0, "random_fill(out, n, kind, p, q): " +
		"fills the first n elements of the C-contiguous float64 array out, in order, with draws of random(kind, p, q)."},
	HelperRandint: {"np_randint", []bool{false, false}, 1, "randint(off, rng): off + an int64 uniform in [0, rng] " +
		"(rng as unsigned), RandomState.randint's masked rejection on NumPy's global state."},
	HelperRandintFill: {"np_randint_fill", []bool{true, false, false, false}, 0, "randint_fill(out, n, off, rng): fills " +
		"the first n elements of the C-contiguous int64 array out, in order, with draws of randint(off, rng)."},
	HelperRandom2: {"np_random2", []bool{false, false, false}, 1, "random2(kind, p, q): as random, for RandomState's " +
		"legacy kind 3: q * standard_gamma(p), kind 4: beta(p, q)."},
	HelperRandom2Fill: {"np_random2_fill", []bool{true, false, false, false, false}, 0, "random2_fill(out, n, kind, p, " +
		"q): fills the first n elements of the C-contiguous float64 array out, in order, with draws of random2."},
	HelperRandomDisc: {"np_random_disc", []bool{false, false, false}, 1, "random_disc(kind, p, n): one int64 drawn " +
		"as RandomState's legacy kind 0: poisson(p), kind 1: binomial(n, p) (which draws even for n == 0)."},
	HelperRandomDiscFill: {"np_random_disc_fill", []bool{true, false, false, false, false}, 0, "random_disc_fill(out, " +
		"cnt, kind, p, n): fills the first cnt elements of the C-contiguous int64 array out with draws of random_disc."},
	HelperRandomSeed: {"np_random_seed", []bool{false, false}, 0, "random_seed(s, fresh): np.random.seed(s) on " +
		"NumPy's global state: MT19937's init_genrand of s, the cached Gaussian dropped; s outside [0, 2**32) " +
		"raises NumPy's ValueError. fresh != 0 is seed() without a seed (s unused): key[0] = 0x80000000 and " +
		"key[1..623] the operating system's entropy, pos unchanged, as RandomState.seed(None) leaves MT19937 " +
		"(whose words come from init_by_array of SeedSequence's hash of fresh entropy)."},
	HelperRandomPerm: {"np_random_perm", []bool{true, false}, 0, "random_perm(out, n): the C-contiguous int64 array " +
		"out (n elements) becomes RandomState.permutation(n): 0..n-1 shuffled by swapping i with a masked uniform " +
		"j in [0, i] for i from n-1 down to 1."},
	HelperChoiceCheck: {"np_choice_check", []bool{false, false, false, false}, 0, "choice_check(p, pop, atol, gen): " +
		"choice's checks of the float64 1-D probabilities p against a population of pop (same size, no NaN, none " +
		"negative, Kahan sum within atol of 1), raising RandomState's ValueErrors (Generator's wording when gen " +
		"!= 0); draws nothing."},
	HelperChoice: {"np_choice", []bool{true, false, false, false, false, false}, 0, "choice(out, m, pop, replace, " +
		"p, has_p): fills the C-contiguous int64 array out (m elements) with RandomState.choice's indices into a " +
		"population of pop, with or without replacement, weighted by the checked float64 p when has_p != 0, " +
		"drawing exactly what NumPy's Python code draws."},
	// np.random.Generator arguments (lower/random_generator.go): bg is the
	// address of the generator's bitgen_t, dists that of the table of
	// NumPy's exported ziggurat functions (sejit/_random.py).
	HelperGenFloat: {"np_gen_float", []bool{false, false, false, false, false}, 1, "gen_float(bg, dists, kind, p, q): " +
		"one float64 of a Generator's stream: kind 0 p + q*uniform, 1 p + q*standard_normal, 2 p*standard_exponential, " +
		"3 standard_normal, 4 standard_exponential (the ziggurat functions NumPy's Generator calls)."},
	HelperGenFloatFill: {"np_gen_float_fill", []bool{true, false, false, false, false, false, false}, 0,
		"gen_float_fill(out, n, bg, dists, kind, p, q): fills the first n elements of the C-contiguous float64 out, " +
			"in order, with draws of gen_float."},
	HelperGenInt: {"np_gen_int", []bool{false, false, false}, 1, "gen_int(bg, off, rng): off + an int64 uniform in " +
		"[0, rng] (rng as unsigned) by Lemire's rejection, as Generator.integers draws it."},
	HelperGenIntFill: {"np_gen_int_fill", []bool{true, false, false, false, false}, 0, "gen_int_fill(out, n, bg, off, " +
		"rng): fills the first n elements of the C-contiguous int64 out with draws of gen_int."},
	HelperGenPerm: {"np_gen_perm", []bool{true, false, false, false}, 0, "gen_perm(out, n, bg, draw): out (n int64) " +
		"becomes the permutation Generator.shuffle applies to n rows (random_perm's swaps on the Generator's stream); " +
		"the identity, drawing nothing, when draw is 0."},
	HelperGenChoice: {"np_gen_choice", []bool{true, false, false, false, false, false, false, false}, 0,
		"gen_choice(out, m, pop, replace, p, has_p, bg, shuffle): as choice, Generator.choice's indices: Lemire " +
			"integers, the weights' CDF, a tail shuffle or Floyd's sample (shuffled when shuffle != 0)."},
	// Draws inside parallel prange loops (lower/random_stream.go): each
	// iteration's own stream, keyed by one draw of the global state (an
	// np_randint over the full 64-bit range).
	HelperStreamFloat: {"np_stream_float", []bool{false, false, false, false, false, false}, 2, "stream_float(key, " +
		"iter, cnt, kind, p, q): (a float64 drawn as random/random2 of that kind draw it, the counter after it) " +
		"from the stream of iteration iter (SplitMix64 seeded by a hash of key and iter) at counter cnt."},
	HelperStreamInt: {"np_stream_int", []bool{false, false, false, false, false, false, false}, 2, "stream_int(key, " +
		"iter, cnt, kind, p, n, rng): (an int64, the counter after it) from that stream: kind 0 poisson(p), " +
		"1 binomial(n, p), 2 n + a masked uniform in [0, rng], 3 n + a Lemire uniform in [0, rng]."},
	HelperStreamGenFloat: {"np_stream_gen_float", []bool{false, false, false, false, false, false, false}, 2,
		"stream_gen_float(key, iter, cnt, dists, kind, p, q): (a float64 drawn as gen_float of that kind draws it, " +
			"the counter after it) from that stream."},
	HelperRandintNarrow: {"np_randint_narrow", []bool{false, false, false, false, false}, 1, "randint_narrow(bg, " +
		"width, masked, off, rng): off + a uniform integer in [0, rng] (rng as unsigned) for an integer dtype of " +
		"width bytes, as NumPy's random_bounded_uint{8,16,32,64}_fill draws it for one value: RandomState's masks " +
		"(masked != 0) or Generator's Lemire; widths 1 and 2 draw from a 32-bit buffer. bg 0: NumPy's global state."},
	HelperRandintNarrowFill: {"np_randint_narrow_fill", []bool{true, false, false, false, false, false, false}, 0,
		"randint_narrow_fill(out, n, bg, width, masked, off, rng): fills the first n elements (width bytes each) " +
			"of the C-contiguous integer array out with draws of randint_narrow sharing one 32-bit buffer, as NumPy " +
			"fills an array."},
	HelperRandomGetState: {"np_random_get_state", []bool{true}, 3, "random_get_state(key): np.random.get_state() of " +
		"NumPy's global state: MT19937's 624 words into the uint32 array key; results (pos, has_gauss, gauss)."},
	HelperRandomSetState: {"np_random_set_state", []bool{false, false, false, false}, 0, "random_set_state(key, pos, " +
		"has_gauss, gauss): np.random.set_state of a state get_state gave: the words, the position and the cached " +
		"Gaussian back into NumPy's global state."},
	HelperGemm: {"gemm", []bool{false, false, true, false, false, false}, 1, "gemm(a, b, c, alpha, beta, keep): " +
		"c = alpha a b + beta c for 2-D a (m, k), b (k, n), c (m, n) of one float or complex dtype (alpha and beta " +
		"in it), through the target's BLAS when it has one and the product suits it; the result is 1 when it " +
		"wrote c, 0 when it left c untouched and the caller must compute the product itself (no BLAS, a small " +
		"or unsuitable product, alpha == 0, or beta == 0 with keep != 0: BLAS would not read a b or c and lose " +
		"their NaNs). Exact up to the summation order; c may overlap a or b."},
	HelperGemv: {"gemv", []bool{false, false, true, false}, 1, "gemv(a, x, y, trans): y = a x (a^T x when trans " +
		"!= 0) for 2-D a, 1-D x and y of one float or complex dtype, through the target's BLAS when it has one " +
		"and the product suits it; the result is 1 when it wrote y, 0 when the caller must compute it. y does " +
		"not overlap a or x."},
	HelperDot: {"dot", []bool{false, false, false}, 2, "dot(x, y, conj): (done, the sum of x[i] y[i], with x " +
		"conjugated when conj & 1; conj & 2: the caller's loop reads views of run-time strides) for 1-D x and y of one length and of one float or complex dtype, through the " +
		"target's BLAS when it has one and the vectors suit it; done is 1 then, else 0 and the caller computes " +
		"the sum itself."},
	// np.linalg (lower/linalg.go): float32 or float64, every matrix a fresh
	// C-ordered copy the helper may overwrite; through the target's LAPACK,
	// failing with NumPy's LinAlgError (SEJIT_ERR_LINALG) where NumPy does.
	HelperLinalgSolve: {"np_linalg_solve", []bool{true, true, false}, 0, "linalg_solve(a, b, bdim): b (n, or n x k " +
		"when bdim is 2) becomes the solution x of a x = b; a is overwritten; a singular a raises LinAlgError " +
		"\"Singular matrix\", a non-square one LinAlgError, a b of another length ValueError."},
	HelperLinalgInv: {"np_linalg_inv", []bool{true, true}, 0, "linalg_inv(a, out): out (n x n) becomes a's " +
		"inverse; a is overwritten; errors as linalg_solve."},
	HelperLinalgDet: {"np_linalg_det", []bool{true}, 1, "linalg_det(a): a's determinant in a's dtype, NumPy's " +
		"sign * exp(log-determinant) of the LU factors (0 when singular); a is overwritten."},
	HelperLinalgCholesky: {"np_linalg_cholesky", []bool{true}, 0, "linalg_cholesky(a): a becomes the lower " +
		"Cholesky factor of its lower triangle (upper triangle zeroed); LinAlgError \"Matrix is not positive " +
		"definite\" otherwise."},
	HelperLinalgEigh: {"np_linalg_eigh", []bool{true, true, false}, 0, "linalg_eigh(a, w, vectors): w gets the " +
		"eigenvalues of the symmetric matrix a's lower triangle, ascending, and a (when vectors != 0) the " +
		"eigenvectors in its columns."},
	HelperLinalgNorm: {"np_linalg_norm", []bool{false, false, false}, 1, "linalg_norm(x, size, ord): of the size " +
		"elements of the C-ordered x: ord 0 the 2-norm, 1 sum |x|, 2 max |x|, 3 min |x|, 4 the count of non-zeros."},
	HelperCov: {"np_cov", []bool{false, false, false, false, false, false, false}, 1, "cov(x, y, has_y, rowvar, ddof, " +
		"corr, ndim): NumPy's covariance (corrcoef when corr != 0) of the float64 2-D x and y (y's rows follow x's " +
		"when has_y != 0), variables in rows unless rowvar is 0, divided by N - ddof: a new float64 array, 0-d when " +
		"ndim is 0 else k x k."},
	HelperCorrelate: {"np_correlate", []bool{false, false, false, false}, 1, "correlate(a, v, conv, mode): NumPy's " +
		"correlate (convolve when conv != 0) of the 1-D arrays a and v (float64 or int64, a's dtype) in mode 0 full, " +
		"1 same, 2 valid: a new array of their dtype; an empty operand raises NumPy's ValueError."},
	HelperQuantile: {"np_quantile", []bool{true, false, false, false, true}, 0, "quantile(a, q, scale, narrow, out): reorders each row " +
		"of the C-ordered float64 2-D a in place and writes out[i][r], NumPy's linear quantile q[i]/scale of row r; " +
		"a q outside [0, scale] raises NumPy's ValueError; narrow != 0 rounds each b - a to float32, as NumPy for float32 data."},
	HelperPolyfit: {"np_polyfit", []bool{false, false, false, true}, 0, "polyfit(x, y, deg, out): NumPy's least-" +
		"squares polynomial fit of the float64 1-D y at x, highest power first, into out (deg + 1 float64s)."},
	// Run-time strings (lower/strings.go): a string operand is a 1-D uint32
	// array of code points with stride 1; a new string is a new such array.
	HelperStrFloat: {"py_str_float", []bool{false}, 1, "str_float(s): CPython's float(s) (its ValueError and message " +
		"for text that is not a number)."},
	HelperStrInt: {"py_str_int", []bool{false}, 1, "str_int(s): CPython's int(s) in base 10 (its ValueError and " +
		"message), OverflowError beyond int64."},
	HelperStrSplit: {"py_str_split", []bool{false, false, false, false}, 3, "str_split(s, sep, has_sep, maxsplit): " +
		"(starts, lens, n): CPython's s.split() (has_sep 0, runs of whitespace) or s.split(sep) with at most " +
		"maxsplit splits (none when negative), the n pieces as new int64 arrays of their starts and lengths in s; " +
		"an empty sep raises ValueError \"empty separator\"."},
	HelperStrFind: {"py_str_find", []bool{false, false, false, false, false}, 1, "str_find(s, sub, start, end, mode): " +
		"s.find(sub, start, end) (mode 0), s.rfind (1) or s.count (2), start and end adjusted as CPython does."},
	HelperStrCmp: {"py_str_cmp", []bool{false, false}, 1, "str_cmp(a, b): -1, 0 or 1 as a is below, equal to or " +
		"above b in CPython's order (code points, then length)."},
	HelperStrMatch: {"py_str_match", []bool{false, false, false}, 1, "str_match(s, off, t): 1 when t occurs in s at " +
		"off (inside s), else 0."},
	HelperStrConcat: {"py_str_concat", []bool{false, false}, 1, "str_concat(a, b): a new string, a + b."},
	HelperStrRepeat: {"py_str_repeat", []bool{false, false}, 1, "str_repeat(s, n): a new string, s * n (empty for " +
		"n <= 0)."},
	HelperStrStrip: {"py_str_strip", []bool{false, false, false, false}, 2, "str_strip(s, chars, has_chars, mode): " +
		"(lo, hi), the bounds of s.strip(chars) (mode 3), lstrip (1) or rstrip (2); whitespace when has_chars is 0."},
	HelperStrReplace: {"py_str_replace", []bool{false, false, false, false}, 1, "str_replace(s, old, new, count): " +
		"a new string, CPython's s.replace(old, new, count) (every occurrence when count is negative)."},
	HelperStrCase: {"py_str_case", []bool{false, false}, 1, "str_case(s, mode): a new string, s.lower() (mode 0) " +
		"or s.upper() (1), CPython's mapping."},
	HelperStrIs: {"py_str_is", []bool{false, false}, 1, "str_is(s, mode): s.isdigit() (mode 0), s.isalpha() (1) " +
		"or s.isspace() (2) as 0 or 1, CPython's character classes."},
	HelperStrJoin: {"py_str_join", []bool{false, false, false, false, false}, 1, "str_join(sep, pool, starts, lens, " +
		"n): a new string, sep.join of the n strings pool[starts[k]:starts[k]+lens[k]]."},
	HelperStrChr: {"py_str_chr", []bool{false}, 1, "str_chr(i): a new 1-character string, chr(i); ValueError " +
		"\"chr() arg not in range(0x110000)\" outside it."},
	HelperStrFormatted: {"py_str_formatted", []bool{}, 1, "str_formatted(): the string the Print just before it " +
		"formatted (its Raise ErrFormat): an f-string, str() or format() used as a value."},
	HelperStrHash: {"py_str_hash", []bool{false}, 1, "str_hash(s): hash(s), CPython's SipHash-1-3 of s's compact " +
		"form under this process's key (the runtime's; RuntimeError where this Python's str hash cannot be " +
		"reproduced)."},
	HelperStrSort: {"py_str_sort", []bool{false, true, true, false}, 0, "str_sort(pool, starts, lens, n): sorts " +
		"the n strings pool[starts[k]:starts[k]+lens[k]] in place (their starts and lengths), stably, in " +
		"CPython's order."},
	HelperHistogramEdges: {"np_histogram_edges", []bool{false, false, false, false, true}, 0, "histogram_edges(a, w, " +
		"has_w, edges, out): NumPy's histogram of the float64 a over the float64 bin edges (the last bin closed), " +
		"counting or, when has_w, summing the float64 weights w into out (len(edges) - 1 float64s); decreasing " +
		"edges raise NumPy's ValueError."},
	HelperLinalgSlogdet: {"np_linalg_slogdet", []bool{true}, 2, "linalg_slogdet(a): (sign, log|det|) of a's LU " +
		"factors (getrf; a overwritten), NumPy's (0, -inf) when singular."},
	HelperLinalgSVD: {"np_linalg_svd", []bool{true, true, true, true, false}, 0, "linalg_svd(a, s, u, vt, mode): " +
		"gesdd on the m x n a (overwritten): s the min(m, n) singular values, descending; mode 0 values only, 1 " +
		"full u (m x m) and vt (n x n), 2 reduced u (m x k) and vt (k x n); LinAlgError \"SVD did not converge\"."},
	HelperLinalgPinv: {"np_linalg_pinv", []bool{true, true, false}, 0, "linalg_pinv(a, out, rcond): out (n x m) " +
		"the pseudo-inverse of the m x n a (overwritten) from gesdd's factors, singular values at most rcond * " +
		"max(s) dropped, as NumPy."},
	HelperLinalgRank: {"np_linalg_rank", []bool{true, false}, 1, "linalg_rank(a, tol): the number of singular " +
		"values of a (overwritten) above tol, or above max(s) * max(m, n) * eps when tol < 0."},
	HelperLinalgCond: {"np_linalg_cond", []bool{true, false}, 1, "linalg_cond(a, p): the condition number of a " +
		"(overwritten): p 0 s[0]/s[-1], 1 s[-1]/s[0] (gesdd); 2-6 norm(a) * norm(inv(a)) for 'fro', 1, -1, inf, " +
		"-inf of a square a, inf when it is singular."},
	HelperLinalgEig: {"np_linalg_eig", []bool{true, true, true, false}, 0, "linalg_eig(a, w, v, vectors): geev on " +
		"the square real a (overwritten): w (n, complex) the eigenvalues and, when vectors != 0, v (n x n, " +
		"complex) the right eigenvectors in its columns; LinAlgError \"Eigenvalues did not converge\"."},
	HelperLinalgLstsq: {"np_linalg_lstsq", []bool{true, false, true, true, true, false, false, false}, 2,
		"linalg_lstsq(a, b, x, s, resid, bdim, rcond, given): gelsd on the m x n a (overwritten) and b (m, or m x " +
			"k when bdim is 2): x the least-squares solution, s the singular values, resid the squared residuals; " +
			"results (rank, how many residuals NumPy returns); rcond NumPy's eps * max(m, n) unless given; " +
			"LinAlgError \"Incompatible dimensions\" when b has another length."},
	HelperLinalgMatrixPower: {"np_linalg_mpow", []bool{true, true, false}, 0, "linalg_mpow(a, out, n): out (m x m) " +
		"= a^n by NumPy's sequence of products through gemm; n < 0 inverts a first (LinAlgError \"Singular " +
		"matrix\"); a (a copy) is overwritten; LinAlgError when a is not square."},
	HelperLinalgMatrixNorm: {"np_linalg_mnorm", []bool{true, false}, 1, "linalg_mnorm(a, p): the matrix norm of " +
		"the m x n real a (overwritten): p 0 its largest singular value, 1 its smallest, 2 Frobenius, 3 max column " +
		"sum of |a|, 4 min column sum, 5 max row sum, 6 min row sum, 7 the sum of its singular values ('nuc')."},
	HelperLinalgQR: {"np_linalg_qr", []bool{true, true, true, false}, 0, "linalg_qr(a, q, r, mode): geqrf on the " +
		"m x n a (overwritten): r (rows x n) its upper triangle R; q (m x mc) Q by orgqr unless mode is 2 ('r'); " +
		"mode 1 'complete' (rows = mc = m), else rows = mc = min(m, n)."},
}

// Random reports whether h draws from NumPy's global random state: a
// program calling one needs the state from the runtime (the ABI's random
// flag), and no prange loop may call one (nor one of GeneratorDraw).
func (h Helper) Random() bool {
	switch h {
	case HelperRandom, HelperRandomFill, HelperRandint, HelperRandintFill, HelperRandom2, HelperRandom2Fill,
		HelperRandomDisc, HelperRandomDiscFill, HelperRandomSeed, HelperRandomPerm, HelperChoice,
		HelperRandintNarrow, HelperRandintNarrowFill, HelperRandomGetState, HelperRandomSetState:
		return true
	}
	return false
}

// Retains reports whether h may keep a reference to an array it is
// given past the call: array_words stores an array's addresses into a
// list, and the run-time string helpers may return views of their
// arguments' code points. Such an array escapes (opt/reuse.go must not
// lend its buffer to a later iteration).
func (h Helper) Retains() bool {
	switch h {
	case HelperArrayWords, HelperStrFloat, HelperStrInt, HelperStrSplit, HelperStrFind, HelperStrCmp, HelperStrMatch,
		HelperStrConcat, HelperStrRepeat, HelperStrStrip, HelperStrReplace, HelperStrCase, HelperStrIs, HelperStrJoin,
		HelperStrChr, HelperStrFormatted, HelperStrSort:
		return true
	}
	return false
}

// GeneratorDraw reports whether h draws from a Generator passed in.
func (h Helper) GeneratorDraw() bool {
	switch h {
	case HelperGenFloat, HelperGenFloatFill, HelperGenInt, HelperGenIntFill, HelperGenPerm, HelperGenChoice:
		return true
	}
	return false
}

// Info returns h's entry.
func (h Helper) Info() *HelperInfo {
	if h == NoHelper || h >= numHelpers {
		return &HelperInfo{Name: "?"}
	}
	return &helpers[h]
}

func (h Helper) String() string { return h.Info().Name }

// Helpers lists every helper, for printers' coverage tests.
func Helpers() []Helper {
	out := make([]Helper, 0, numHelpers-1)
	for h := NoHelper + 1; h < numHelpers; h++ {
		out = append(out, h)
	}
	return out
}
