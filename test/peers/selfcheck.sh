#!/usr/bin/env bash
# Runs every peer against its partner on 127.0.0.1; each server is started with --once.
# Usage: bash test/peers/selfcheck.sh   (prints one line per pair, exits 1 if any pair failed)
cd "$(dirname "$0")" || exit 1
failed=0

# pair SERVER [server args...] -- CLIENT [client args...]
pair() {
  local server=() client=()
  while [ "$1" != "--" ]; do server+=("$1"); shift; done; shift
  client=("$@")
  local out; out=$(mktemp)
  timeout 20 python3 "${server[@]}" --once >"$out" 2>&1 &
  local spid=$! port=""
  for _ in $(seq 200); do
    port=$(sed -n 's/^listening on \([0-9][0-9]*\)$/\1/p' "$out")
    [ -n "$port" ] && break
    sleep 0.05
  done
  local cout; cout=$(mktemp)
  printf '%s' "${CLIENT_INPUT-}" | timeout 20 python3 "${client[@]}" --port "${port:-1}" >"$cout" 2>&1; local crc=$?
  wait "$spid"; local src=$?
  if [ "$crc" = "${EXPECT_CLIENT:-0}" ] && [ "$src" = "${EXPECT_SERVER:-0}" ]; then
    echo "ok    ${server[*]} | ${client[*]}"
  else
    failed=1
    echo "FAILED (server $src, client $crc): ${server[*]} | ${client[*]}"
    sed 's/^/    server: /' "$out"; sed 's/^/    client: /' "$cout"
  fi
  rm -f "$out" "$cout"
}

GREETING='Thank you for connecting'
pair greeting_server.py -- greeting_client.py --expect "$GREETING"
for e in none crlf nul; do
  pair greeting_server.py --ending $e -- greeting_client.py --expect "$GREETING"
done
pair greeting_server.py --wording 'Hello there' -- greeting_client.py --expect 'Hello there' --ack 'Bye'
pair greeting_server.py -- greeting_client.py --bind-port 32451 --reuse
pair greeting_server.py -- greeting_client.py --bind-port 32451 --reuse

for fmt in str json spaces; do
  pair dedup_server.py -- dedup_client.py --format $fmt --check-order
  pair dedup_server.py --newline -- dedup_client.py --format $fmt --newline --check-order
  pair dedup_server.py --order set -- dedup_client.py --format $fmt
done
for proto in 2 3 4 5; do
  pair dedup_server.py -- dedup_client.py --format pickle --protocol $proto --check-order
  pair dedup_server.py --newline -- dedup_client.py --format pickle --protocol $proto --newline
  pair dedup_server.py --greet -- dedup_client.py --expect-greeting --glue --format pickle --protocol $proto
done
pair dedup_server.py -- dedup_client.py --numbers 1,5,5,9 --check-order
for fmt in str json spaces pickle; do
  pair dedup_server.py --greet -- dedup_client.py --expect-greeting --format $fmt
  pair dedup_server.py --greet -- dedup_client.py --expect-greeting --glue --format $fmt --check-order
  pair dedup_server.py --greet --newline -- dedup_client.py --expect-greeting --glue --newline --format $fmt
done

for fmt in str json spaces; do
  pair intersection_server.py -- intersection_client.py --format $fmt
  pair intersection_server.py --newline -- intersection_client.py --format $fmt --newline
done
for proto in 2 3 4 5; do
  pair intersection_server.py -- intersection_client.py --format pickle --protocol $proto
  pair intersection_server.py --greet -- intersection_client.py --expect-greeting --glue --format pickle --protocol $proto
done
for fmt in str json spaces pickle; do
  pair intersection_server.py --server-set 1,2,3,50 -- intersection_client.py --numbers 50,3,99,2 --expect 2,3,50 --format $fmt
  pair intersection_server.py --server-set 1,2,3 -- intersection_client.py --numbers 4,5,6 --expect '' --format $fmt
  pair intersection_server.py --greet -- intersection_client.py --expect-greeting --format $fmt
  pair intersection_server.py --greet --newline -- intersection_client.py --expect-greeting --glue --newline --format $fmt
done
pair intersection_server.py --size 60 -- intersection_client.py --size 60

for server in adder_server.py adder_server_threaded.py; do
  pair $server -- adder_client.py --script a,a,x,q
  pair $server -- adder_client.py --script a,a,a --name alice
  pair $server --sep ',' -- adder_client.py --script a,a,q --sep ','
  pair $server --sep '+' -- adder_client.py --script a,a,q --sep '+'
  pair $server --sep ' ' -- adder_client.py --script a,q --sep ' '
  pair $server -- adder_client.py --script a,a,q --sep ','
  pair $server -- adder_client.py --script a,a,q --sep '+' --newline
  pair $server -- adder_client.py --script a,a,q --crlf
  pair $server --newline -- adder_client.py --script a,a,q --newline
  pair $server --quiet -- adder_client.py --script a,q
done

# the adder client reading commands from stdin
out=$(printf 'a\nx\na\nq\n' | timeout 20 python3 adder_client.py --port 1 2>&1); rc=$?
[ "$rc" = 1 ] && grep -q '^FAIL:' <<<"$out" && echo "ok    adder_client.py with no server fails cleanly" \
  || { failed=1; echo "FAILED: adder_client.py with no server (rc $rc): $out"; }
CLIENT_INPUT=$'a\nx\na\nq\n' pair adder_server.py -- adder_client.py
CLIENT_INPUT=$'a\na\n' pair adder_server_threaded.py -- adder_client.py   # EOF counts as q

# the classmate_* peers (they crash as a classmate's program would): pairs that work
N='--numbers 42,8,42,4,15,8,4,4'
for d in once every counts wrong labelled; do
  pair classmate_dedup_server.py --dups $d -- classmate_dedup_client.py --style loose $N
done
pair classmate_dedup_server.py --dups every --pause 0.3 -- classmate_dedup_client.py --style literal $N
pair classmate_dedup_server.py --dups counts --pause 0.3 -- classmate_dedup_client.py --style literal $N
pair classmate_dedup_server.py --greet ack -- dedup_client.py --expect-greeting $N
pair classmate_intersection_server.py --greet ack -- intersection_client.py --expect-greeting
for style in literal json; do
  pair classmate_intersection_server.py -- classmate_intersection_client.py --style $style
done
for style in literal json; do
  pair intersection_server.py -- classmate_intersection_client.py --style $style
done
pair intersection_server.py -- classmate_intersection_client.py --style pickle --protocol 2 --python2
pair intersection_server.py -- classmate_intersection_client.py --style pickle --protocol 5
for e in dedup intersection; do
  pair classmate_raw_server.py --exercise $e -- classmate_raw_client.py --exercise $e
done
pair classmate_adder_server_lines.py -- classmate_adder_client_lines.py --script a,x,a,q
pair classmate_greeting_server_nul.py -- classmate_greeting_client_nul.py
pair greeting_server.py --ending nul -- classmate_greeting_client_nul.py

# the checks must bite: these pairs are expected to fail (exit 1)
EXPECT_CLIENT=1 pair greeting_server.py --wording Hi -- greeting_client.py --expect "$GREETING"
EXPECT_CLIENT=1 pair intersection_server.py --server-set 1,2,3 -- intersection_client.py --numbers 2,3 --expect 2
EXPECT_CLIENT=1 EXPECT_SERVER=1 pair adder_server.py --sep ',' -- adder_client.py --script a,q
EXPECT_CLIENT=1 EXPECT_SERVER=1 pair adder_server_threaded.py --sep '+' -- adder_client.py --script a,q --sep ','

# ...and pairs where one of them must crash, as the classmate's program would
EXPECT_CLIENT=1 pair dedup_server.py -- classmate_dedup_client.py --style literal $N         # no second message
EXPECT_CLIENT=1 pair dedup_server.py -- classmate_dedup_client.py --style pickle $N          # EOFError
EXPECT_CLIENT=1 EXPECT_SERVER=1 pair classmate_dedup_server.py -- classmate_ack_first_client.py --exercise dedup
EXPECT_CLIENT=1 EXPECT_SERVER=1 pair classmate_intersection_server.py --greet list -- intersection_client.py --expect-greeting
EXPECT_CLIENT=1 pair intersection_server.py -- classmate_intersection_client.py --style pickle --protocol 4 --python2
EXPECT_CLIENT=1 EXPECT_SERVER=1 pair classmate_adder_server_labelled.py -- classmate_adder_client_list.py --script a
EXPECT_CLIENT=1 pair adder_server.py -- classmate_adder_client_lines.py --script a --timeout 1
EXPECT_SERVER=1 pair classmate_greeting_server_nul.py -- greeting_client.py

[ "$failed" = 0 ] && echo "all pairs passed"
exit $failed
