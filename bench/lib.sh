# Setup shared by the benchmark scripts (build.sh, scale.sh,
# static-search.sh, search.sh); sourced, not run.
# Before sourcing, set BENCH (the name messages start with) and
# OUT_PREFIX (the name of the output folder made on /dev/shm).
#
# It sets ROOT (the checkout), TMP (a scratch folder), OUT_DIR (where the
# timed builds write) and BIN (casebook: $CASEBOOK, or built from ROOT),
# and on exit removes TMP, the output folder and any half-generated
# corpus (PARTIAL).

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

die() { echo "$BENCH: $*" >&2; exit 1; }

# need_count NAME: $NAME is a positive integer; need_count NAME 0: or zero.
need_count() {
	local v=${!1}
	if [[ ${2:-1} == 0 ]]; then
		[[ $v =~ ^[0-9]+$ ]] || die "$1 must be a non-negative integer, got '$v'"
	else
		[[ $v =~ ^[1-9][0-9]*$ ]] || die "$1 must be a positive integer, got '$v'"
	fi
}

TMP=$(mktemp -d)
PARTIAL=""
# The output goes to memory where it can, so that neither a slow disk nor
# this VM's ext4 (whose inode search slows after thousands of files are
# deleted: a 22,000-file build went from 8 s to 15 s) decides the time.
# Inside an OUT_DIR the caller names, the script makes its own folder and
# removes only that.
if [[ -n ${OUT_DIR:-} ]]; then
	mkdir -p "$OUT_DIR"
	OUT_DIR=$(mktemp -d "$OUT_DIR/$OUT_PREFIX.XXXXXX")
elif [[ -d /dev/shm && -w /dev/shm ]]; then
	OUT_DIR=$(mktemp -d "/dev/shm/$OUT_PREFIX.XXXXXX")
else
	OUT_DIR=$TMP/out
	mkdir -p "$OUT_DIR"
fi
bench_cleanup() {
	rm -rf "$TMP" "$OUT_DIR"
	# A half-written cache entry would be reused as if complete next time.
	if [[ -n $PARTIAL ]]; then rm -rf "$PARTIAL"; fi
}
trap bench_cleanup EXIT

if [[ -n ${CASEBOOK:-} ]]; then
	[[ -x $CASEBOOK ]] || die "CASEBOOK=$CASEBOOK is not an executable"
	BIN=$CASEBOOK
else
	echo "building casebook..." >&2
	(cd "$ROOT" && go build -o "$TMP/casebook" ./cmd/casebook)
	BIN=$TMP/casebook
fi

# cached_corpus N sets CORPUS_DIR to the synthetic library of N reviews
# (cmd/casebook-corpus, seed 1) in CACHE_DIR, generating it the first
# time. Not in a subshell: the exit trap must see PARTIAL.
cached_corpus() {
	CORPUS_DIR=$CACHE_DIR/corpus-$1
	if [[ -d $CORPUS_DIR ]]; then
		echo "reusing corpus $CORPUS_DIR" >&2
		return
	fi
	echo "generating $1 reviews into $CORPUS_DIR..." >&2
	[[ -x $TMP/casebook-corpus ]] || (cd "$ROOT" && go build -o "$TMP/casebook-corpus" ./cmd/casebook-corpus)
	mkdir -p "$CACHE_DIR"
	PARTIAL=$CORPUS_DIR.partial.$$
	"$TMP/casebook-corpus" -n "$1" -seed 1 "$PARTIAL" >&2
	mv "$PARTIAL" "$CORPUS_DIR"
	PARTIAL=""
}
