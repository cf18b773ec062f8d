#!/bin/bash
# usage: prof.sh <name> [env...]
cd /work/main
name=$1; shift
rm -rf /tmp/prof-$name; mkdir -p /tmp/prof-$name
env "$@" REDIS_URL=redis://127.0.0.1:26465 PORT=39123 node $PROF bin/run-ts.mjs ${SCRIPT:-.scratch/serve.ts} > /tmp/prof-$name/out.txt 2>&1 &
pid=$!
for i in $(seq 1 400); do grep -q http /tmp/prof-$name/out.txt && break; sleep 0.3; done
Q='{"query":"{ items(first: 20, orderBy: [{ field: id, direction: DESC }]) { edges { node { id name price qty ts day note } } } }"}'
curl -s -XPOST -H "content-type: application/json" -d "$Q" http://127.0.0.1:39123/graphql > /tmp/last-resp.json; head -c 100 /tmp/last-resp.json; echo
sleep 0.5
node_modules/.bin/autocannon -c 50 -a ${N:-15000} -m POST -H content-type=application/json -b "$Q" http://127.0.0.1:39123/graphql 2>&1 | grep -E "Req/Sec|Latency|requests in" 
kill -INT $pid; wait $pid
cat /tmp/prof-$name/out.txt | tail -2
