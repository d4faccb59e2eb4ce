#!/usr/bin/env bash
# Benchmark `casebook build` on a synthetic library; see bench/README.md.
#
#   N=10000 RUNS=5 bench/build.sh          # casebook only
#   HUGO=1 bench/build.sh                  # also time Hugo on the same reviews
#   CASEBOOK=/path/to/casebook bench/build.sh   # time a prebuilt binary
#   CORPUS=/path/to/library bench/build.sh      # time an existing library
set -euo pipefail

N=${N:-10000}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
HUGO=${HUGO:-0}
CACHE_DIR=${CACHE_DIR:-/tmp/casebook-bench}
BENCH=bench
OUT_PREFIX=casebook-bench
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_count N
need_count RUNS
need_count WARMUP 0
# The jobs' TMPDIR is OUT_DIR too, where --search-index builds its index.

# CORPUS=DIR times a library made beforehand (such as one of
# `casebook-corpus -n N -seed 1`, which is what would be generated).
if [[ -n ${CORPUS:-} ]]; then
	[[ -d $CORPUS/reviews ]] || die "CORPUS=$CORPUS has no reviews/ folder"
	CORPUS=$(cd "$CORPUS" && pwd)
	N=$(find "$CORPUS/reviews" -mindepth 1 -maxdepth 1 | wc -l)
	echo "using corpus $CORPUS ($N entries in reviews/)" >&2
else
	cached_corpus "$N"
	CORPUS=$CORPUS_DIR
fi

# measure CMD... prints "WALL_SECONDS CPU_SECONDS PEAK_RSS_KB" for one run
# of CMD (CPU is user plus system), whose own output goes to $TMP/log so a
# failure can be shown in full.
if [[ -x /usr/bin/time && ${TIMER:-} != go ]]; then
	measure() {
		if ! /usr/bin/time -f '%e %U %S %M' -o "$TMP/time" "$@" >"$TMP/log" 2>&1; then
			cat "$TMP/log" >&2
			die "failed: $*"
		fi
		tail -n 1 "$TMP/time" | awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }'
	}
else
	# Bash's `time` has no peak RSS, but the kernel reports it to the parent
	# in rusage, which a few lines of Go can read.
	mkdir -p "$TMP/timer"
	cat >"$TMP/timer/main.go" <<'GO'
package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

func main() {
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	fmt.Fprintf(os.Stderr, "%.2f %.2f %d\n", wall.Seconds(), cpu.Seconds(), ru.Maxrss) // Maxrss is in KB on Linux
	if err != nil {
		os.Exit(1)
	}
}
GO
	(cd "$TMP/timer" && GOFLAGS= go build -o "$TMP/timeit" main.go)
	measure() {
		if ! "$TMP/timeit" "$@" >"$TMP/log" 2>&1; then
			cat "$TMP/log" >&2
			die "failed: $*"
		fi
		tail -n 1 "$TMP/log"
	}
fi

# median of numbers on stdin (mean of the middle two for an even count)
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# The jobs to time, in the order each round runs them: JOBS holds their
# names; job NAME's command is the array CMD_<key>, its output folder (or
# file) OUT_<key>, emptied before each run.
JOBS=()
key() { printf '%s' "${1//[^a-zA-Z0-9]/_}"; }
add_job() { # add_job NAME OUT CMD...
	local k
	k=$(key "$1")
	JOBS+=("$1")
	declare -g "OUT_$k=$2"
	shift 2
	declare -g -a "CMD_$k=()"
	local -n cmd="CMD_$k"
	cmd=("$@")
}

# run_rounds: WARMUP untimed rounds, then RUNS timed ones; each round runs
# every job once, in turn, so that a change in the machine's load while the
# script runs falls on all of them alike rather than on whichever ran last.
run_rounds() {
	local i name k w c m
	for ((i = 1 - WARMUP; i <= RUNS; i++)); do
		for name in "${JOBS[@]}"; do
			k=$(key "$name")
			local -n cmd="CMD_$k" out="OUT_$k"
			rm -rf "$out"
			# Not `read < <(measure ...)`: that runs measure in a subshell,
			# where its die could not stop the script.
			measure "${cmd[@]}" >"$TMP/result"
			unset -n cmd out
			((i >= 1)) || continue
			read -r w c m <"$TMP/result"
			echo "  $name run $i: ${w}s wall, ${c}s CPU, $((m / 1024)) MB" >&2
			echo "$w $c $m" >>"$TMP/runs-$k"
		done
	done
}

# summary NAME prints NAME's medians and sets WALL_<key> and CPU_<key>.
summary() {
	local name=$1 k wall cpu min max rss out size
	k=$(key "$name")
	wall=$(cut -d' ' -f1 "$TMP/runs-$k" | median)
	cpu=$(cut -d' ' -f2 "$TMP/runs-$k" | median)
	rss=$(cut -d' ' -f3 "$TMP/runs-$k" | median)
	min=$(cut -d' ' -f1 "$TMP/runs-$k" | sort -g | head -n 1)
	max=$(cut -d' ' -f1 "$TMP/runs-$k" | sort -g | tail -n 1)
	declare -g "WALL_$k=$wall" "CPU_$k=$cpu"
	local -n out="OUT_$k"
	size="output $(du -sh "$out" | cut -f1) in $(find "$out" -type f | wc -l) files"
	if [[ -f $out/search.tar.zst ]]; then
		size+=" (the archive $(du -h "$out/search.tar.zst" | cut -f1))"
	fi
	printf '%-9s wall median %.2f s (min %.2f, max %.2f), CPU median %.2f s, peak RSS median %.1f MB, %s\n' \
		"$name" "$wall" "$min" "$max" "$cpu" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$size"
}

load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown; }

add_job casebook "$OUT_DIR/out" env TMPDIR="$OUT_DIR" "$BIN" build --library "$CORPUS" --out "$OUT_DIR/out"

if [[ $HUGO == 1 ]]; then
	command -v hugo >/dev/null || die "HUGO=1 but hugo is not on PATH"
	# Keyed by the corpus as well as N, so that CORPUS=DIR gets its own copy.
	SITE=$CACHE_DIR/hugo-$N-$(printf '%s' "$CORPUS" | cksum | cut -d' ' -f1)
	if [[ ! -d $SITE ]]; then
		echo "converting the corpus to a Hugo site in $SITE..." >&2
		PARTIAL=$SITE.partial.$$
		mkdir -p "$PARTIAL/content/reviews" "$PARTIAL/layouts/_default"
		# Front matter is YAML already, which Hugo reads as is. (find, not
		# a glob: 100,000 names are more than one command line holds.)
		find "$CORPUS/reviews" -maxdepth 1 -name '*.md' -exec cp -t "$PARTIAL/content/reviews/" {} +
		cat >"$PARTIAL/hugo.toml" <<'TOML'
baseURL = "https://incidents.example.com/"
title = "Synthetic incident library"
[taxonomies]
  service = "services"
  technology = "technologies"
  contributing_factor = "contributing_factors"
  theme = "themes"
TOML
		cat >"$PARTIAL/layouts/_default/single.html" <<'HTML'
<!doctype html>
<html><head><title>{{ .Title }}</title></head>
<body>
<h1>{{ .Title }}</h1>
<p>{{ .Date.Format "2006-01-02" }} {{ .Params.severity }}</p>
{{ range $tax, $_ := site.Taxonomies }}{{ with $.GetTerms $tax }}<p>{{ $tax }}: {{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}{{ end }}
{{ .Content }}
</body></html>
HTML
		cat >"$PARTIAL/layouts/_default/list.html" <<'HTML'
<!doctype html>
<html><head><title>{{ .Title }}</title></head>
<body>
<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
</body></html>
HTML
		mv "$PARTIAL" "$SITE"
		PARTIAL=""
	fi
	# The site and the archive in one folder, emptied before each run; the
	# archive beside the site, not in it.
	add_job index "$OUT_DIR/index" env TMPDIR="$OUT_DIR" "$BIN" build --library "$CORPUS" --out "$OUT_DIR/index/site" --search-index "$OUT_DIR/index/search.tar.zst"
	add_job hugo "$OUT_DIR/hugo-out" env TMPDIR="$OUT_DIR" hugo --quiet --source "$SITE" --destination "$OUT_DIR/hugo-out"
fi

LOAD_START=$(load)
echo "timing ${JOBS[*]}, interleaved ($RUNS runs each, $WARMUP warm-up)..." >&2
run_rounds
LOAD_END=$(load)

summary casebook
if [[ $HUGO == 1 ]]; then
	summary index
	summary hugo
	awk -v cw="$WALL_casebook" -v cc="$CPU_casebook" -v iw="$WALL_index" -v ic="$CPU_index" \
		-v hw="$WALL_hugo" -v hc="$CPU_hugo" 'BEGIN {
		if (hw > 0 && hc > 0) {
			printf "ratio     casebook/hugo: wall %.2f, CPU %.2f (medians)\n", cw / hw, cc / hc
			printf "          casebook --search-index/hugo: wall %.2f, CPU %.2f\n", iw / hw, ic / hc
		} }'
	echo "          ($(hugo version | cut -d' ' -f1-2); index is casebook build --search-index FILE)"
fi

cpu=$(grep -m 1 '^model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
echo "corpus    $N reviews, $(du -sh "$CORPUS" | cut -f1) ($CORPUS)"
echo "machine   $(nproc) CPUs, ${cpu:-unknown CPU}, $(go version | cut -d' ' -f3-)"
echo "output    $OUT_DIR ($(df -T "$OUT_DIR" | awk 'NR == 2 { print $2 }'))"
echo "load      1, 5, 15-minute load average $LOAD_START before the runs, $LOAD_END after"
