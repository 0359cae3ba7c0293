package cgen

// Trimming the translation unit (issue 5, latency).
//
// Most of a cold compile is the C compiler, and before this trim a third of
// the compiler's work on a small kernel went into the system headers and the
// helper prelude that every unit carried whether it used them or not. A unit
// now carries only the prelude sections whose helpers it names (directly or
// through another selected section), and only the system headers whose
// names appear in what it carries.
//
// prelude.h is split by marker lines of the form
//
//	/*@ sejit_a sejit_b ... */
//
// each starting a section that defines the helpers it lists; the section
// runs to the next marker. Text before the first marker is emitted always
// (macros every unit may use), and so is the section of the marker
// "/*@ always */", which closes the file: helpers appended after it without
// a marker of their own are never dropped, only not trimmed.
//
// The selection is by identifier, over the generated text itself, so cgen
// needs no bookkeeping of what it printed: a helper named anywhere in the
// unit outside comments and string literals pulls in its section. Tests in
// prelude_test.go compile every section alone with -Wall -Werror and check
// that each section defines exactly the helpers its marker lists.

import (
	"regexp"
	"strings"
	"sync"
)

// preludeSection is one marked part of prelude.h.
type preludeSection struct {
	names  []string // the helpers it defines; nil for the always-emitted parts
	text   string
	always bool
}

var (
	preludeOnce     sync.Once
	preludeSections []preludeSection
	preludeByName   map[string]int // helper name → index in preludeSections
)

var (
	identRE = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)
	// Comments and literals name nothing the unit needs ("complex" in a
	// comment, "log" in an error message).
	noCodeRE = regexp.MustCompile(`(?s)/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'`)
)

const sectionMarker = "/*@ "

// parsePrelude splits prelude.h at its markers (once per process).
func parsePrelude() {
	preludeOnce.Do(func() {
		preludeSections, preludeByName = splitPrelude(prelude)
	})
}

func splitPrelude(src string) ([]preludeSection, map[string]int) {
	var secs []preludeSection
	byName := map[string]int{}
	cur := preludeSection{always: true}
	var text strings.Builder
	flush := func() {
		cur.text = text.String()
		if cur.text != "" || cur.names != nil {
			secs = append(secs, cur)
		}
		text.Reset()
	}
	for _, line := range strings.SplitAfter(src, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, sectionMarker) && strings.HasSuffix(trimmed, "*/") {
			flush()
			names := strings.Fields(strings.TrimSuffix(strings.TrimPrefix(trimmed, sectionMarker), "*/"))
			cur = preludeSection{}
			if len(names) == 1 && names[0] == "always" {
				cur.always = true
				continue
			}
			cur.names = names
			for _, n := range names {
				byName[n] = len(secs)
			}
			continue
		}
		text.WriteString(line)
	}
	flush()
	return secs, byName
}

// systemHeaders are the C library headers a unit may need, each with the
// identifiers that require it. A header is included when any of its names
// occurs in the unit. The lists are the headers' standard contents (C11 and
// the POSIX constants sejit may use), not what cgen prints today, so that a
// new helper or intrinsic that calls a library function still gets its
// declaration. vsnprintf is missing on purpose: sejit_fail declares it,
// which spares every failing kernel the cost of <stdio.h>.
var systemHeaders = []struct {
	header string
	names  map[string]bool
}{
	{"<math.h>", nameSet(withSuffixes("acos asin atan atan2 cos sin tan acosh asinh atanh cosh sinh tanh "+
		"exp exp2 expm1 frexp ilogb ldexp log log10 log1p log2 logb modf scalbn scalbln cbrt fabs hypot "+
		"pow sqrt erf erfc lgamma tgamma ceil floor nearbyint rint lrint llrint round lround llround "+
		"trunc fmod remainder remquo copysign nan nextafter nexttoward fdim fmax fmin fma "+
		"exp10 sincos gamma j0 j1 jn y0 y1 yn significand drem finite", "f", "l"),
		"HUGE_VAL HUGE_VALF HUGE_VALL INFINITY NAN FP_INFINITE FP_NAN FP_NORMAL FP_SUBNORMAL FP_ZERO "+
			"FP_FAST_FMA FP_FAST_FMAF FP_ILOGB0 FP_ILOGBNAN MATH_ERRNO MATH_ERREXCEPT math_errhandling "+
			"fpclassify isfinite isinf isnan isnormal signbit isgreater isgreaterequal isless "+
			"islessequal islessgreater isunordered float_t double_t "+
			"M_E M_LOG2E M_LOG10E M_LN2 M_LN10 M_PI M_PI_2 M_PI_4 M_1_PI M_2_PI M_2_SQRTPI M_SQRT2 M_SQRT1_2")},
	{"<complex.h>", nameSet(withSuffixes("cacos casin catan ccos csin ctan cacosh casinh catanh ccosh csinh "+
		"ctanh cexp clog cabs cpow csqrt carg cimag conj cproj creal", "f", "l"),
		"complex _Complex_I imaginary _Imaginary_I I CMPLX CMPLXF CMPLXL")},
	{"<string.h>", nameSet("memcpy memmove memset memcmp memchr strlen strnlen strcpy strncpy strcmp " +
		"strncmp strcat strncat strchr strrchr strstr strerror")},
	{"<stdio.h>", nameSet("printf fprintf sprintf snprintf vprintf vfprintf vsprintf puts fputs putchar " +
		"fputc fflush FILE stderr stdout EOF")},
}

func withSuffixes(names string, suffixes ...string) string {
	var b strings.Builder
	for _, n := range strings.Fields(names) {
		b.WriteString(n + " ")
		for _, s := range suffixes {
			b.WriteString(n + s + " ")
		}
	}
	return b.String()
}

func nameSet(lists ...string) map[string]bool {
	m := map[string]bool{}
	for _, l := range lists {
		for _, n := range strings.Fields(l) {
			m[n] = true
		}
	}
	return m
}

// selectPrelude returns the system includes and prelude text that the
// kernel code needs, in prelude order.
func selectPrelude(kernel string) string {
	parsePrelude()
	chosen := make([]bool, len(preludeSections))
	seen := map[string]bool{}
	var scan func(text string)
	scan = func(text string) {
		for _, id := range identRE.FindAllString(noCodeRE.ReplaceAllString(text, " "), -1) {
			if seen[id] {
				continue
			}
			seen[id] = true
			if i, ok := preludeByName[id]; ok && !chosen[i] {
				chosen[i] = true
				scan(preludeSections[i].text)
			}
		}
	}
	for i, s := range preludeSections {
		if s.always {
			chosen[i] = true
			scan(s.text)
		}
	}
	scan(kernel)
	var b strings.Builder
	for _, h := range systemHeaders {
		for id := range seen {
			if h.names[id] {
				b.WriteString("#include " + h.header + "\n")
				break
			}
		}
	}
	for i, s := range preludeSections {
		if chosen[i] {
			b.WriteString(s.text)
		}
	}
	return b.String()
}
