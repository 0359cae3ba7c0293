// Command sejitc is sejit's compiler engine. The Python package starts it
// once per compile: it reads a request (docs/protocol.md) on stdin, compiles
// the function to C, builds a shared object into the on-disk cache and
// writes a JSON reply on stdout. Running it as a separate process means a
// crash or a hang in the engine can never take the user's Python process
// down, and no Go runtime ever shares that process.
//
// It is also the tool for looking inside: `sejitc explain` shows what the
// engine made of a request, and `sejitc cache` lists, trims or clears the
// cache.
//
// Usage:
//
//	sejitc compile            request on stdin, reply on stdout
//	sejitc explain            request on stdin, explanation and C on stdout
//	sejitc version            print the engine version
//	sejitc cache ls [--dir D] list cached kernels, their sizes and last use
//	sejitc cache gc --max-size SIZE [--dir D]
//	                          remove least recently used kernels down to SIZE
//	sejitc cache clear [--dir D]
//	sejitc help
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"text/tabwriter"
	"time"

	"sejit/internal/cache"
	"sejit/internal/driver"
)

const usage = `usage: sejitc <command> [arguments]

commands:
  compile             read a compile request (JSON) on stdin, write the reply (JSON) on stdout
  explain             read a compile request on stdin, print what the engine did and the C it generated
  version             print the engine version
  cache ls [--dir D]  list the compiled kernels in the cache, their sizes and when each was last used
  cache gc --max-size SIZE [--dir D]
                      remove the least recently used kernels until the cache takes at most SIZE
                      (bytes, or a number with K, M, G or T: 500K, 200M, 1G)
  cache clear [--dir D]
                      remove every compiled kernel from the cache
  help                print this message

The cache directory is --dir, else $SEJIT_CACHE_DIR, else $XDG_CACHE_HOME/sejit, else ~/.cache/sejit.
The C compiler is the request's "cc" ($SEJIT_CC on the Python side, default cc).
With $SEJIT_CACHE_MAX_SIZE set, compile applies "cache gc" with that size after each build.
Kernels being built are never removed.
`

// Exit statuses. A compile whose code has errors still exits 0: the reply
// carries the errors, and a non-zero status tells the Python side the engine
// itself failed.
const (
	exitOK     = 0
	exitFailed = 1 // explain found errors; a cache command failed
	exitUsage  = 2 // bad command line, or a request that cannot be read
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "compile":
		return compileCmd(ctx, stdin, stdout, stderr)
	case "explain":
		return explainCmd(stdin, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, driver.EngineVersion)
		return exitOK
	case "cache":
		return cacheCmd(rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "sejitc: unknown command %q\n\n%s", cmd, usage)
		return exitUsage
	}
}

func readRequest(stdin io.Reader) (*driver.Request, error) {
	data, err := io.ReadAll(stdin)
	if err != nil {
		return nil, fmt.Errorf("reading the request: %w", err)
	}
	var req driver.Request
	if err := json.Unmarshal(data, &req); err != nil {
		return nil, fmt.Errorf("the request is not valid JSON for this engine: %w", err)
	}
	return &req, nil
}

func compileCmd(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer) int {
	req, err := readRequest(stdin)
	if err != nil {
		fmt.Fprintf(stderr, "sejitc compile: %v\n", err)
		return exitUsage
	}
	if err := json.NewEncoder(stdout).Encode(driver.Run(ctx, req)); err != nil {
		fmt.Fprintf(stderr, "sejitc compile: writing the reply: %v\n", err)
		return exitFailed
	}
	return exitOK
}

func explainCmd(stdin io.Reader, stdout, stderr io.Writer) int {
	req, err := readRequest(stdin)
	if err != nil {
		fmt.Fprintf(stderr, "sejitc explain: %v\n", err)
		return exitUsage
	}
	text, err := driver.Explain(req)
	if err != nil {
		// Diagnostics print as the user would see them in Python.
		fmt.Fprintln(stderr, err)
		return exitFailed
	}
	fmt.Fprint(stdout, text)
	if len(text) > 0 && text[len(text)-1] != '\n' {
		fmt.Fprintln(stdout)
	}
	return exitOK
}

func cacheCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintf(stderr, "sejitc cache: want ls, gc or clear\n\n%s", usage)
		return exitUsage
	}
	sub := args[0]
	fs := flag.NewFlagSet("sejitc cache "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dirFlag := fs.String("dir", "", "cache directory")
	maxSize := new(string)
	if sub == "gc" {
		fs.StringVar(maxSize, "max-size", "", "the size to trim the cache to: bytes, or a number with K, M, G or T")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "sejitc cache %s: unexpected argument %q\n", sub, fs.Arg(0))
		return exitUsage
	}
	dir := cache.Dir(*dirFlag)
	switch sub {
	case "ls":
		entries, err := cache.List(dir)
		if err != nil {
			fmt.Fprintf(stderr, "sejitc cache ls: %v\n", err)
			return exitFailed
		}
		printList(stdout, dir, entries, time.Now())
	case "gc":
		if *maxSize == "" {
			fmt.Fprintf(stderr, "sejitc cache gc: --max-size is required (such as 200M or 1G)\n")
			return exitUsage
		}
		limit, err := cache.ParseSize(*maxSize)
		if err != nil {
			fmt.Fprintf(stderr, "sejitc cache gc: --max-size: %v\n", err)
			return exitUsage
		}
		st, err := cache.GC(dir, limit, "")
		if err != nil {
			fmt.Fprintf(stderr, "sejitc cache gc: %v (removed %d entries)\n", err, st.Removed)
			return exitFailed
		}
		fmt.Fprintf(stdout, "removed %d %s (%s) from %s; the cache now takes %s\n",
			st.Removed, plural(st.Removed, "entry", "entries"), size(st.Freed), dir, size(st.Size))
		printBusy(stdout, st.Busy)
		if st.Size > limit {
			fmt.Fprintf(stdout, "the cache is still over %s: its other entries were in use\n", size(limit))
		}
	case "clear":
		st, err := cache.Clear(dir)
		if err != nil {
			fmt.Fprintf(stderr, "sejitc cache clear: %v (removed %d entries)\n", err, st.Removed)
			return exitFailed
		}
		fmt.Fprintf(stdout, "removed %d %s from %s\n", st.Removed, plural(st.Removed, "entry", "entries"), dir)
		printBusy(stdout, st.Busy)
	default:
		fmt.Fprintf(stderr, "sejitc cache: unknown subcommand %q; want ls, gc or clear\n", sub)
		return exitUsage
	}
	return exitOK
}

func printBusy(w io.Writer, n int) {
	if n > 0 {
		fmt.Fprintf(w, "left %d %s alone: another process is building %s\n", n, plural(n, "entry", "entries"), plural(n, "it", "them"))
	}
}

func printList(w io.Writer, dir string, entries []cache.Info, now time.Time) {
	if len(entries) == 0 {
		fmt.Fprintf(w, "no compiled kernels in %s\n", dir)
		return
	}
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tFUNCTION\tSIGNATURE\tSIZE\tLAST USED")
	var total int64
	for _, e := range entries {
		fn, sig := e.Function, e.Sig
		if !e.Complete {
			fn, sig = "(incomplete)", ""
		}
		// 16 hex digits identify an entry among any realistic number.
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.Key[:16], fn, sig, size(e.Size), ago(now.Sub(e.LastUse)))
		total += e.Size
	}
	tw.Flush()
	fmt.Fprintf(w, "%d %s, %s, in %s\n", len(entries), plural(len(entries), "entry", "entries"), size(total), dir)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// ago says how long ago something happened, d before now.
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	}
	return fmt.Sprintf("%dd ago", int(d.Hours()/24))
}
