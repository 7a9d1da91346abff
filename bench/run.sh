#!/usr/bin/env bash
# Every nexuskb benchmark, end to end (`make bench`; never part of `make test`).
#
# For the shipped corpus (content/) and a generated corpus of each size in BENCH_SIZES:
#   1. generate the corpus (bench/gen_corpus.py, fixed seed; cached in $BENCH_WORK by content hash)
#   2. index it with nexuskb-index under /usr/bin/time -v (passages/s, CPU, peak RSS, index size)
#      and build the peers' databases (SQLite FTS5, Sphinx, Groonga, Omega/scriptindex), timed
#   3. in-process search latency with bench_search (warm, cold, per category, phases), with the
#      SQLite FTS5 peer in the same process over the same queries (bench/fts5_peer.*)
#   4. the Sphinx Search peer: searchd on loopback, queried over SphinxQL by bench_sphinx, one
#      query at a time, timed in the client (bench/sphinx_bench.cpp)
#   5. HTTP: nexuskb-serve (cache off, and as shipped for the "repeated queries" row), the
#      hello-world ceiling and the HTTP peers, each loaded in turn by wrk with the same settings
#      and the same rotating query file; every server's RSS and PSS (smaps_rollup) after load
# then profiles (perf) and bench/report.py, which writes bench/results/summary.{md,json}.
#
# Knobs (environment): BENCH_SIZES="1000 20000 200000"  BENCH_DURATION=5 (s per wrk run)
#   BENCH_CONNECTIONS=16  BENCH_WRK_THREADS=1  BENCH_PEERS="fts5 sphinx groonga omega"
#   BENCH_PROFILE=1  BENCH_WORK=var/bench  BENCH_RESULTS=bench/results  BENCH_PORT_BASE=18190
#   BUILD=build
# Only loopback addresses are used; every server started here is stopped on exit. Results files
# hold paths relative to the repository (the work directory is written as $BENCH_WORK).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
BUILD=${BUILD:-build}
SIZES=${BENCH_SIZES-"1000 20000 200000"}
DURATION=${BENCH_DURATION:-5}
CONNS=${BENCH_CONNECTIONS:-16}
WRK_THREADS=${BENCH_WRK_THREADS:-1}
PEERS=${BENCH_PEERS-"fts5 sphinx groonga omega"}
PROFILE=${BENCH_PROFILE:-1}
WORK=${BENCH_WORK:-var/bench}
RESULTS=${BENCH_RESULTS:-bench/results}
PORT=${BENCH_PORT_BASE:-18190}
PY=/usr/bin/python3
BIN=$BUILD/bench

P_HELLO=$PORT P_OURS=$((PORT + 1)) P_GROONGA=$((PORT + 2)) P_SPHINX=$((PORT + 3)) P_OMEGA=$((PORT + 4))
P_NOCACHE=$((PORT + 5))

mkdir -p "$WORK" "$RESULTS"
WORK=$(cd "$WORK" && pwd)
RESULTS=$(cd "$RESULTS" && pwd)
# Only this script's own outputs (other benchmarks, e.g. relevance.*, share the directory).
rm -f "$RESULTS"/{machine,index-variants,summary}.json "$RESULTS"/summary.md "$RESULTS"/run.log \
  "$RESULTS"/queries.tsv "$RESULTS"/corpus-*.json "$RESULTS"/search-*.json "$RESULTS"/sphinx-*.json \
  "$RESULTS"/wildcards-*.json \
  "$RESULTS"/profile-*.{md,json}
started_at=$(date +%s)

# Paths as results files show them: relative to the repository; a work or results directory
# outside it as $BENCH_WORK / $BENCH_RESULTS.
unpath() { sed -i -e "s#$root/##g" -e "s#$WORK#\$BENCH_WORK#g" -e "s#$RESULTS#\$BENCH_RESULTS#g" "$@"; }
rel() { sed -e "s#$root/##g" -e "s#$WORK#\$BENCH_WORK#g" -e "s#$RESULTS#\$BENCH_RESULTS#g" <<<"$*"; }
log() { printf '[bench %4ds] %s\n' "$(($(date +%s) - started_at))" "$(rel "$*")" | tee -a "$RESULTS/run.log" >&2; }
die() { log "error: $*"; exit 1; }

for tool in "$BUILD/nexuskb-index" "$BUILD/nexuskb-serve" "$BIN/bench_search" "$BIN/bench_hello_server"; do
  [ -x "$tool" ] || die "$tool is missing: run 'make bench' (it builds the bench_tools target)"
done
command -v wrk >/dev/null || die "wrk is missing (scripts/bootstrap with NEXUSKB_BENCH=1)"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (Debian package 'time')"
for peer in $PEERS; do
  case $peer in
    fts5) ;;  # in bench_search (libsqlite3-dev)
    sphinx) command -v searchd >/dev/null && command -v indexer >/dev/null || die "sphinx missing (sphinxsearch)"
            [ -x "$BIN/bench_sphinx" ] || die "bench_sphinx missing (libmariadb-dev)" ;;
    groonga) command -v groonga >/dev/null || die "groonga missing (groonga-bin)" ;;
    omega) command -v scriptindex >/dev/null && command -v lighttpd >/dev/null &&
             [ -x /usr/lib/cgi-bin/omega/omega ] || die "omega missing (xapian-omega, lighttpd)" ;;
    *) die "unknown peer '$peer'" ;;
  esac
done
have_perf=0
if [ "$PROFILE" = 1 ] && command -v perf >/dev/null && perf record -o /dev/null -- true >/dev/null 2>&1; then
  have_perf=1
fi

# ---------------------------------------------------------------- servers
declare -A PIDS=() LAUNCHED=()  # PIDS: the process listening on the port; LAUNCHED: what we forked
stop_servers() {
  local name pid
  for name in "${!LAUNCHED[@]}"; do
    for pid in ${PIDS[$name]:-} ${LAUNCHED[$name]}; do kill "$pid" 2>/dev/null || true; done
  done
  for name in "${!LAUNCHED[@]}"; do
    for pid in ${PIDS[$name]:-} ${LAUNCHED[$name]}; do
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    done
    wait "${LAUNCHED[$name]}" 2>/dev/null || true
    unset "PIDS[$name]" "LAUNCHED[$name]"
  done
}
trap stop_servers EXIT

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start NAME PORT READY_PATH CMD... : starts a server in the background and waits until it answers
# (READY_PATH "tcp": until the port accepts connections, for servers that do not speak HTTP).
start() {
  local name=$1 port=$2 ready=$3
  shift 3
  port_busy "$port" && die "port $port is in use; set BENCH_PORT_BASE"
  "$@" >"$WORK/$label/$name.log" 2>&1 &
  LAUNCHED[$name]=$!
  for _ in $(seq 1 600); do
    if { [ "$ready" = tcp ] && port_busy "$port"; } ||
       { [ "$ready" != tcp ] && curl -fs -o /dev/null "http://127.0.0.1:$port$ready"; }; then
      # The process that listens (RSS is read from it, and it is the one stopped): $! may be a
      # wrapper shell when this script runs under job control.
      PIDS[$name]=$(ss -ltnpH "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
      [ -n "${PIDS[$name]}" ] || PIDS[$name]=${LAUNCHED[$name]}
      return 0
    fi
    kill -0 "${LAUNCHED[$name]}" 2>/dev/null || die "$name exited: $(tail -3 "$WORK/$label/$name.log")"
    sleep 0.1
  done
  die "$name did not answer on port $port"
}

# mem_json PID -> {"rss_kb", "hwm_kb", "pss_kb"}: PSS (proportional set size, from smaps_rollup)
# divides shared pages among the processes that map them, so a server that maps its index and
# one that reads it through the page cache are compared on the same footing.
mem_json() {
  local pss
  pss=$(awk '/^Pss:/ {print $2; exit}' "/proc/$1/smaps_rollup" 2>/dev/null)
  awk -v pss="${pss:-0}" '/^VmRSS:/ {r=$2} /^VmHWM:/ {h=$2}
    END {printf "{\"rss_kb\": %d, \"hwm_kb\": %d, \"pss_kb\": %d}", r, h, pss}' \
    "/proc/$1/status" 2>/dev/null || echo '{"rss_kb": 0, "hwm_kb": 0, "pss_kb": 0}'
}

# wrk_run TARGET PORT SECONDS -> the JSON line from bench/rotate.lua
wrk_run() {
  local out
  out=$(BENCH_PATHS="$WORK/$label/paths/$1.txt" wrk -t"$WRK_THREADS" -c"$CONNS" -d"$3"s \
        --timeout 10s -s bench/rotate.lua "http://127.0.0.1:$2" 2>&1) || true
  grep '^BENCH_JSON ' <<<"$out" | sed 's/^BENCH_JSON //' || echo '{"requests": 0, "rps": 0}'
}

# ---------------------------------------------------------------- machine and queries
log "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
{
  echo "{"
  echo "  \"cpu\": \"$(lscpu | sed -n 's/^Model name: *//p' | head -1)\","
  echo "  \"cores\": $(nproc),"
  echo "  \"mem_gb\": $(awk '/MemTotal/ {printf "%.1f", $2/1048576}' /proc/meminfo),"
  echo "  \"kernel\": \"$(uname -r)\","
  echo "  \"os\": \"$(. /etc/os-release && echo "$PRETTY_NAME")\","
  echo "  \"xapian\": \"$(pkg-config --modversion xapian-core 2>/dev/null)\","
  echo "  \"cpp_httplib\": \"$(pkg-config --modversion cpp-httplib 2>/dev/null)\","
  echo "  \"sqlite\": \"$(sqlite3 --version 2>/dev/null | cut -d' ' -f1)\","
  echo "  \"groonga\": \"$(groonga --version 2>/dev/null | head -1 | cut -d' ' -f2)\","
  echo "  \"sphinx\": \"$(searchd --help 2>/dev/null | head -1 | cut -d' ' -f2)\","
  echo "  \"omega\": \"$(dpkg-query -W -f='${Version}' xapian-omega 2>/dev/null)\","
  echo "  \"lighttpd\": \"$(lighttpd -v 2>/dev/null | head -1 | cut -d' ' -f1)\","
  echo "  \"wrk\": \"$(wrk -v 2>&1 | head -1 | cut -d' ' -f2)\","
  echo "  \"wrk_settings\": \"-t$WRK_THREADS -c$CONNS -d${DURATION}s\","
  echo "  \"load_at_start\": \"$(cut -d' ' -f1-3 /proc/loadavg)\","
  echo "  \"sizes\": \"$SIZES\", \"peers\": \"$PEERS\""
  echo "}"
} >"$RESULTS/machine.json"

$PY bench/gen_corpus.py --content content --queries "$RESULTS/queries.tsv" >/dev/null
log "queries: $(wc -l <"$RESULTS/queries.tsv") in $RESULTS/queries.tsv"
$PY bench/gen_wildcard_queries.py "$WORK/wildcards.tsv"
if [[ " $PEERS " == *" sphinx "* ]]; then
  stemmer=no
  [[ "$(ldd "$(command -v indexer)" 2>/dev/null)" == *libstemmer* ]] && stemmer=yes
  log "sphinx: $(searchd --help 2>/dev/null | head -1); libstemmer_fr available: $stemmer (unused: bench/peers_sphinx.py)"
fi

content_hash=$( (cat bench/gen_corpus.py; find content -type f -name '*.md' -o -name '*.yaml' | sort | xargs cat) | sha256sum | cut -c1-16)

# ---------------------------------------------------------------- one corpus
bench_corpus() {
  label=$1
  local dir=$2 passages=$3
  mkdir -p "$WORK/$label"
  local out="$RESULTS/corpus-$label.json"
  local index="$WORK/$label/index"
  echo "{\"label\": \"$label\", \"passages\": $passages," >"$out"

  # Indexing: nexuskb, then each peer.
  log "$label: indexing $passages passages with nexuskb-index"
  rm -rf "$WORK/$label"/index*
  local load_before
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -v -o "$WORK/$label/index.time" "$BUILD/nexuskb-index" --content "$dir" --out "$index" >/dev/null
  awk -v load="$load_before" -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; wall = s }
    /User time/ { user = $2 } /System time/ { sys = $2 } /Maximum resident/ { rss = $2 }
    /Percent of CPU/ { cpu = $2; sub("%", "", cpu) }
    END { printf "\"index\": {\"wall_s\": %.2f, \"user_s\": %.2f, \"sys_s\": %.2f, \"cpu_pct\": %d, \"max_rss_kb\": %d, \"load_before\": %s,", wall, user, sys, cpu, rss, load }
  ' "$WORK/$label/index.time" >>"$out"
  echo " \"size_kb\": $(du -skL "$index" | cut -f1), \"documents\": $(find "$dir" -name '*.md' | wc -l)}," >>"$out"

  if [ -n "$PEERS" ]; then
    log "$label: building peer databases ($PEERS)"
    local peer_json
    peer_json=$($PY bench/peers.py build --content "$dir" --work "$WORK/$label" --omega-port "$P_OMEGA" \
                --sphinx-port "$P_SPHINX" --only "$(tr ' ' ',' <<<"$PEERS")")
    echo "\"peers_build\": $peer_json," >>"$out"
  fi
  $PY bench/peers.py paths --queries "$RESULTS/queries.tsv" --work "$WORK/$label"
  cp "$WORK/$label/paths/nexuskb.txt" "$WORK/$label/paths/nexuskb-nocache.txt"

  # In-process latency.
  local repeat=5 cold=40
  # Each cold query opens a fresh IndexHandle and evicts the index from the page cache.
  if [ "$passages" -ge 100000 ]; then repeat=2; cold=20; elif [ "$passages" -ge 10000 ]; then repeat=3; cold=20; fi
  # With the fts5 peer, bench_search runs it in the same process, its passes alternating with
  # nexuskb's. nexuskb's answers (totals, counts) go to answers.jsonl for bench_sphinx to check.
  local fts5_args=()
  [[ " $PEERS " == *" fts5 "* ]] && fts5_args=(--fts5 "$WORK/$label/fts5.db")
  log "$label: in-process search latency (repeat $repeat, cold $cold)${fts5_args:+, with the FTS5 peer}"
  "$BIN/bench_search" --index "$index" --queries "$RESULTS/queries.tsv" --repeat "$repeat" \
    --cold "$cold" --json "$RESULTS/search-$label.json" --answers "$WORK/$label/answers.jsonl" \
    "${fts5_args[@]}" >/dev/null
  # The costliest shapes a client can send (wildcard storms) against one-word searches, same run.
  log "$label: wildcard storm against one-word searches (bench/gen_wildcard_queries.py)"
  "$BIN/bench_search" --index "$index" --queries "$WORK/wildcards.tsv" --repeat "$repeat" --cold 0 \
    --no-phases --json "$RESULTS/wildcards-$label.json" >/dev/null

  # Sphinx Search: searchd alone on the machine (no other server running), queried one query at
  # a time over SphinxQL by bench_sphinx, which checks its totals and counts against nexuskb's.
  if [[ " $PEERS " == *" sphinx "* ]]; then
    log "$label: Sphinx Search over SphinxQL (repeat $repeat)"
    start sphinx "$P_SPHINX" tcp searchd --nodetach --config "$WORK/$label/sphinx/sphinx.conf"
    "$BIN/bench_sphinx" --port "$P_SPHINX" --dir "$WORK/$label/sphinx" --queries "$RESULTS/queries.tsv" \
      --repeat "$repeat" --pid "${PIDS[sphinx]}" --expect "$WORK/$label/answers.jsonl" \
      --json "$RESULTS/sphinx-$label.json" >/dev/null || log "$label: bench_sphinx failed"
    stop_servers
  fi

  # HTTP: every target in turn, same wrk settings, same queries; hello and nexuskb twice. nexuskb
  # runs as shipped (response cache on: after its 1 s warm-up every query of the rotation is
  # cached) and with --cache-mb 0 (every request searches), as nexuskb-nocache.
  log "$label: HTTP (wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s per target)"
  start hello "$P_HELLO" / "$BIN/bench_hello_server" --listen "127.0.0.1:$P_HELLO" --threads 32
  start nexuskb "$P_OURS" /readyz "$BUILD/nexuskb-serve" --index "$index" --listen "127.0.0.1:$P_OURS" \
    --templates templates --no-access-log --threads 32
  start nexuskb-nocache "$P_NOCACHE" /readyz "$BUILD/nexuskb-serve" --index "$index" \
    --listen "127.0.0.1:$P_NOCACHE" --templates templates --no-access-log --threads 32 --cache-mb 0
  local rss_idle
  rss_idle=$(mem_json "${PIDS[nexuskb]}")
  local targets="hello:$P_HELLO nexuskb:$P_OURS nexuskb-nocache:$P_NOCACHE"
  for peer in $PEERS; do
    case $peer in
      groonga)  # --max-threads: as many as cores (Groonga's default is 2)
        start groonga "$P_GROONGA" /d/status groonga --protocol http -s --bind-address 127.0.0.1 \
          --max-threads "$(nproc)" --port "$P_GROONGA" "$WORK/$label/groonga/db"
        targets+=" groonga:$P_GROONGA" ;;
      omega)
        start omega "$P_OMEGA" "/cgi-bin/omega?DB=nexus&FMT=json&P=x" lighttpd -D -f "$WORK/$label/omega/lighttpd.conf"
        targets+=" omega:$P_OMEGA" ;;
    esac
  done
  targets+=" hello:$P_HELLO nexuskb:$P_OURS nexuskb-nocache:$P_NOCACHE"
  echo "\"http\": [" >>"$out"
  local first=1 target name port warmed=""
  for target in $targets; do
    name=${target%%:*}
    port=${target##*:}
    if [[ " $warmed " != *" $name "* ]]; then
      wrk_run "$name" "$port" 1 >/dev/null  # warm caches and connections
      warmed+=" $name"
    fi
    local result
    result=$(wrk_run "$name" "$port" "$DURATION")
    [ $first = 1 ] || echo "," >>"$out"
    first=0
    echo "{\"target\": \"$name\", \"load\": \"$(cut -d' ' -f1 /proc/loadavg)\", \"wrk\": $result, \"server\": $(mem_json "${PIDS[$name]}")}" >>"$out"
    log "$label: $name $(sed -E 's/.*"rps": ([0-9.]+).*/\1/' <<<"$result") req/s"
  done
  echo "], \"nexuskb_rss_idle\": $rss_idle," >>"$out"

  # A profile of the server under the same load (shipped corpus only).
  if [ "$have_perf" = 1 ] && [ "$label" = shipped ]; then
    log "$label: perf profile of nexuskb-serve (cache off) under wrk"
    perf record -F 299 --call-graph dwarf,32768 -o "$WORK/perf-serve.data" -p "${PIDS[nexuskb-nocache]}" \
      -- sleep "$DURATION" >/dev/null 2>&1 &
    local perf_pid=$!
    wrk_run nexuskb-nocache "$P_NOCACHE" "$DURATION" >/dev/null
    wait $perf_pid || true
    perf script -i "$WORK/perf-serve.data" 2>/dev/null |
      $PY bench/perf_summary.py --json "$RESULTS/profile-serve-$label.json" >"$RESULTS/profile-serve-$label.md" || true
  fi
  stop_servers
  echo "\"load_after\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >>"$out"

  # In-process profile (shipped corpus and the largest generated one).
  if [ "$have_perf" = 1 ] && { [ "$label" = shipped ] || [ "$label" = "gen-$largest" ]; }; then
    log "$label: perf profile of bench_search"
    local loop=8
    [ "$passages" -ge 100000 ] && loop=20  # opening the index takes a few seconds at this size
    perf record -F 199 --call-graph dwarf,32768 -o "$WORK/perf-search.data" -- \
      "$BIN/bench_search" --index "$index" --queries "$RESULTS/queries.tsv" --loop-seconds $loop >/dev/null 2>&1 || true
    perf script -i "$WORK/perf-search.data" 2>/dev/null |
      $PY bench/perf_summary.py --exclude IndexHandle::load --json "$RESULTS/profile-search-$label.json" \
        >"$RESULTS/profile-search-$label.md" || true
    if [ "$label" = shipped ]; then  # the queries of the "three filters, p50 < 1 ms" budget alone
      awk -F'\t' '$2 == 3' "$RESULTS/queries.tsv" >"$WORK/queries-3filters.tsv"
      perf record -F 199 --call-graph dwarf,32768 -o "$WORK/perf-search.data" -- \
        "$BIN/bench_search" --index "$index" --queries "$WORK/queries-3filters.tsv" --loop-seconds 8 >/dev/null 2>&1 || true
      perf script -i "$WORK/perf-search.data" 2>/dev/null |
        $PY bench/perf_summary.py --exclude IndexHandle::load --json "$RESULTS/profile-search-3filters-$label.json" \
          >"$RESULTS/profile-search-3filters-$label.md" || true
    fi
  fi
}

largest=0
for n in $SIZES; do [ "$n" -gt "$largest" ] && largest=$n; done

shipped_passages=$(cat $(find content -name '*.md') | grep -c '^## ' || true)
bench_corpus shipped content "$shipped_passages"

for n in $SIZES; do
  dir="$WORK/corpus-$n"
  if [ -f "$dir/corpus.json" ] && [ "$(cat "$dir/.hash" 2>/dev/null)" = "$content_hash" ]; then
    log "gen-$n: reusing the generated corpus in $dir"
  else
    log "gen-$n: generating $n passages"
    $PY bench/gen_corpus.py --content content --passages "$n" --out "$dir" >/dev/null
    echo "$content_hash" >"$dir/.hash"
  fi
  bench_corpus "gen-$n" "$dir" "$n"
done

# Where indexing time goes (CPU seconds per variant), on the 20k corpus or the largest below it.
variants_size=0
for n in $SIZES; do [ "$n" -le 20000 ] && [ "$n" -gt "$variants_size" ] && variants_size=$n; done
if [ "$PROFILE" = 1 ] && [ "$variants_size" -gt 0 ] && [ -x "$BIN/bench_index_variants" ]; then
  log "indexing variants on gen-$variants_size"
  # Each variant but the cheapest twice: the tool keeps the fastest run (the machine is shared).
  "$BIN/bench_index_variants" --content "$WORK/corpus-$variants_size" --tmp "$WORK" \
    --variants baseline,add_document,no_spelling,no_stored_text,no_positions,documents_only,baseline,add_document,no_spelling,no_stored_text,no_positions \
    >"$RESULTS/index-variants.json" 2>/dev/null || true
  if [ "$have_perf" = 1 ]; then
    log "perf profile of nexuskb-index on gen-$variants_size"
    perf record -F 99 --call-graph dwarf,32768 -o "$WORK/perf-index.data" -- \
      "$BUILD/nexuskb-index" --content "$WORK/corpus-$variants_size" --out "$WORK/profile-index" >/dev/null 2>&1 || true
    perf script -i "$WORK/perf-index.data" 2>/dev/null |
      $PY bench/perf_summary.py --json "$RESULTS/profile-index.json" >"$RESULTS/profile-index.md" || true
  fi
fi
rm -f "$WORK"/perf-*.data

sed -i "s/\"load_at_start\"/\"load_at_end\": \"$(cut -d' ' -f1-3 /proc/loadavg)\", \"total_s\": $(($(date +%s) - started_at)), \"load_at_start\"/" "$RESULTS/machine.json"
# No machine paths in results files: anything that slipped through is made relative here.
for f in "$RESULTS"/*.json "$RESULTS"/*.md "$RESULTS"/run.log; do
  [ -f "$f" ] && unpath "$f"
done
$PY bench/report.py --results "$RESULTS"
log "done in $(($(date +%s) - started_at)) s: $RESULTS/summary.md"
unpath "$RESULTS/run.log"
