#!/bin/sh
# Installs the benchmark's peers for bench/suite.py (run by `make bench`):
#
# - numba (with scipy, which its np.dot and @ need) and matplotlib into the project's virtual
#   environment ($1, its python);
# - pythran into a virtual environment of its own, bench/.peers/pythran, with the same NumPy
#   version as the project's: pythran pins setuptools<60 on Python 3.11, which would break
#   building sejit itself in the project's environment. Its compiled modules need no pythran
#   at run time, so the suite builds them with that environment and loads them in the
#   project's.
#
# A peer that fails to install is not an error here: the suite reports it as missing, with
# the reason, and the install's output stays in bench/.peers/<peer>.log.
set -u
PY=${1:-.venv/bin/python}
HERE=$(cd "$(dirname "$0")" && pwd)
PEERS="$HERE/.peers"
mkdir -p "$PEERS"

install() { # name, log, pip arguments...
	name=$1 log=$2
	shift 2
	if "$@" >"$log" 2>&1; then
		echo "bench: $name installed"
	else
		echo "bench: $name could not be installed (see $log); the suite reports it missing"
	fi
}

if "$PY" -c "import numba, scipy" 2>/dev/null; then
	echo "bench: numba present"
else
	install numba "$PEERS/numba.log" "$PY" -m pip install -q numba scipy
fi
if "$PY" -c 'import matplotlib' 2>/dev/null; then
	echo "bench: matplotlib present"
else
	install matplotlib "$PEERS/matplotlib.log" "$PY" -m pip install -q matplotlib
fi

NUMPY=$("$PY" -c 'import numpy; print(numpy.__version__)')
PVENV="$PEERS/pythran"
if "$PVENV/bin/python" -c "import pythran, numpy, sys; sys.exit(numpy.__version__ != '$NUMPY')" 2>/dev/null; then
	echo "bench: pythran present"
else
	BASE=$("$PY" -c 'import sys; print(getattr(sys, "_base_executable", sys.executable))')
	rm -rf "$PVENV"
	install pythran "$PEERS/pythran.log" sh -c \
		"'$BASE' -m venv '$PVENV' && '$PVENV/bin/python' -m pip install -q pythran 'numpy==$NUMPY'"
fi
# Pythran's np.dot and @ include cblas.h and link a BLAS: Debian's OpenBLAS gives both. Without
# them those programs are reported as Pythran failures, nothing else.
if [ ! -e /usr/include/cblas.h ] && [ ! -e /usr/include/x86_64-linux-gnu/cblas.h ] \
	&& [ ! -e /usr/include/openblas/cblas.h ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		install "OpenBLAS headers (for pythran)" "$PEERS/openblas.log" sh -c \
			"apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q libopenblas-dev"
	else
		echo "bench: no cblas.h (install libopenblas-dev): pythran builds of np.dot programs fail"
	fi
fi
exit 0
