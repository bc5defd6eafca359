#!/bin/sh
# Starts the built service. `npm start`, the Docker image, `npm run bench` and the tests that run
# the service as a process all start it through this file, so that all of them run with the same
# memory settings; docs/scaling.md ("Memory") has the figures behind each one. It execs node, so
# the pid a supervisor signals is the service's own.

# glibc raises its mmap threshold to the largest block freed so far. Every login frees argon2's
# 19 MiB block, so after the first logins each libuv thread kept one such block in its own arena
# for the life of the process (about 76 MB). Pinned at glibc's starting value, the threshold
# stays put and large blocks are unmapped when freed. The same rule used to raise the trim
# threshold too: left at 128 KiB, arenas would give memory back and fault it in again on every
# few frees.
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-4194304}"

# With gigabytes of memory around, V8 lets the old generation grow to about four times what the
# last full collection kept, and request bursts promote young garbage into it: the heap peaked
# at four times its live size. Twofold keeps the peak near the live heap for a few more short
# full collections. It is a growth step, not a ceiling: a large report still gets the heap it
# needs.
# Arguments are node's own (`npm run bench` passes BENCH_NODE_ARGS, such as --cpu-prof, here).
exec node --heap-growing-percent=100 "$@" "$(dirname "$0")/../dist/src/main.js"
