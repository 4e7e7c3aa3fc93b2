#!/usr/bin/env bash
# Build the image and smoke-test it with docker or podman, whichever works here; where neither does, say so
# and exit 0 ("skipped"). Exit 1 when a builder exists and the build or a check fails.
#
#   scripts/docker_check.sh
#
# Checks: the build (dependencies from requirements.lock); the image's settings (user, HEALTHCHECK, no
# VOLUME, tini entrypoint); a console answer (python scripts/ask.py 汝阳县未脱贫人口有多少 -> 5155); the health
# check script; the bot started as the image starts it against a fake Bot API on 127.0.0.1 (getMe failing
# twice first: start-up retries), answering a message; no jieba cache error in its log; `stop` (SIGTERM)
# during the start-up rebuild and while serving, each well under the 10 s kill timeout.
#
# Environment (all optional):
#   CONTAINER_ENGINE  docker or podman (default: docker when `docker info` works, else podman)
#   IMAGE             tag to build (default programme-bot:check)
#   PYTHON_IMAGE      base image (the Dockerfile's default: python:3.11-slim-bookworm)
#   PIP_INDEX_URL     passed on as a build argument
#   PIP_CONF_FILE     pip configuration file, passed as the build secret `pipconf`
#   CA_BUNDLE         CA bundle for pip, passed as the build secret `cacert` (default: $PIP_CERT if it is a file)
#   DEBOOTSTRAP_BASE  1: where no registry holds PYTHON_IMAGE, make a Debian bookworm base (python3, venv,
#                     tini) with debootstrap from Debian's packages, import it as localhost/bookworm-python:3.11
#                     and build on it (needs root and debootstrap)
#   PODMAN_ISOLATION  podman's build isolation (default chroot: RUN steps need no OCI runtime)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
IMAGE=${IMAGE:-programme-bot:check}
QUESTION=汝阳县未脱贫人口有多少
EXPECT=5155
say() { printf 'docker_check: %s\n' "$*"; }
fail() { say "FAILED: $*"; exit 1; }
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }  # seconds since $1
below() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

# ---- which engine -----------------------------------------------------------------------------------
ENGINE=${CONTAINER_ENGINE:-}
if [ -z "$ENGINE" ]; then
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    ENGINE=docker
  elif command -v podman >/dev/null && podman info >/dev/null 2>&1; then
    ENGINE=podman
  fi
fi
if [ -z "$ENGINE" ]; then
  why="no docker or podman"
  if command -v docker >/dev/null; then why="a docker client but no daemon (docker info fails)"; fi
  if command -v podman >/dev/null; then why="$why; podman installed but podman info fails"; fi
  say "skipped: $why"
  exit 0
fi
say "engine: $ENGINE ($($ENGINE --version 2>/dev/null | head -n 1))"

# ---- build ------------------------------------------------------------------------------------------
build=("$ENGINE" build -t "$IMAGE")
if [ "$ENGINE" = podman ]; then
  build+=(--format docker --isolation "${PODMAN_ISOLATION:-chroot}")  # docker format keeps HEALTHCHECK
else
  export DOCKER_BUILDKIT=1
fi
if [ "${DEBOOTSTRAP_BASE:-}" = 1 ]; then
  PYTHON_IMAGE=localhost/bookworm-python:3.11
  if ! $ENGINE image inspect "$PYTHON_IMAGE" >/dev/null 2>&1; then
    say "making $PYTHON_IMAGE with debootstrap (a few minutes)"
    rootfs=$(mktemp -d /var/tmp/bookworm-XXXXXX)
    debootstrap --variant=minbase --include=python3,python3-venv,tini,ca-certificates bookworm "$rootfs" \
      http://deb.debian.org/debian >/dev/null || fail "debootstrap"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -c . | $ENGINE import - "$PYTHON_IMAGE" >/dev/null || fail "importing the base"
    rm -rf "$rootfs"
  fi
fi
[ -n "${PYTHON_IMAGE:-}" ] && build+=(--build-arg "PYTHON_IMAGE=$PYTHON_IMAGE")
[ -n "${PIP_INDEX_URL:-}" ] && build+=(--build-arg "PIP_INDEX_URL=$PIP_INDEX_URL")
[ -n "${PIP_CONF_FILE:-}" ] && build+=(--secret "id=pipconf,src=$PIP_CONF_FILE")
CA_BUNDLE=${CA_BUNDLE:-${PIP_CERT:-}}
[ -n "$CA_BUNDLE" ] && [ -f "$CA_BUNDLE" ] && build+=(--secret "id=cacert,src=$CA_BUNDLE")
say "building: ${build[*]} ."
started=$(date +%s)
"${build[@]}" . >/tmp/docker_check_build.log 2>&1 || { tail -n 30 /tmp/docker_check_build.log; fail "build (log: /tmp/docker_check_build.log)"; }
say "built $IMAGE in $(($(date +%s) - started)) s; image size $($ENGINE image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}')"

# ---- the image's settings -----------------------------------------------------------------------------
cfg=$($ENGINE image inspect -f 'user={{.Config.User}} entrypoint={{json .Config.Entrypoint}} volumes={{json .Config.Volumes}} health={{json .Config.Healthcheck.Test}}' "$IMAGE")
say "image: $cfg"
case "$cfg" in *user=bot*) ;; *) fail "the image does not run as user bot" ;; esac
case "$cfg" in *'volumes=null'* | *'volumes={}'*) ;; *) fail "the image declares a VOLUME" ;; esac
case "$cfg" in *healthcheck.py*) ;; *) fail "no HEALTHCHECK" ;; esac
case "$cfg" in *tini*) ;; *) fail "the entrypoint is not tini" ;; esac

# ---- can this engine run containers here? -------------------------------------------------------------
# Some sandboxes refuse the OCI runtime's default rlimits or cgroups: try plain, then modest limits, then
# (podman) runc. RUN_PREFIX is the engine with its global options, RUN_OPTS the options of `run`.
RUN_PREFIX=("$ENGINE") RUN_OPTS=()
can_run=0
tries=("|")
if [ "$ENGINE" = podman ]; then
  tries+=("|--ulimit nofile=1024:1024 --ulimit nproc=1024:1024")
  command -v runc >/dev/null && tries+=("--runtime runc|--ulimit nofile=1024:1024 --ulimit nproc=1024:1024")
fi
for t in "${tries[@]}"; do
  read -r -a pre <<<"${t%%|*}"
  read -r -a opts <<<"${t#*|}"
  if out=$("$ENGINE" "${pre[@]}" run --rm "${opts[@]}" "$IMAGE" true 2>&1); then
    RUN_PREFIX=("$ENGINE" "${pre[@]}") RUN_OPTS=("${opts[@]}")
    can_run=1
    break
  fi
  last_error=$(printf '%s' "$out" | tail -n 1)
done
[ "${SMOKE_IN_BUILD:-}" = 1 ] && can_run=0 last_error="SMOKE_IN_BUILD=1"  # to test the fallback below
if [ "$can_run" = 1 ]; then
  say "containers run with: ${RUN_PREFIX[*]} run ${RUN_OPTS[*]}"
else
  say "$ENGINE builds here but cannot run a container ($last_error): smoke tests run inside a build step instead"
fi
# podman without systemd cannot schedule the HEALTHCHECK's timer and says so on every run: not a failure
NOISE='unable to get systemd connection|Removing timer for container'
quiet() { grep -Ev "$NOISE" || true; }
run() { "${RUN_PREFIX[@]}" run "${RUN_OPTS[@]}" "$@" 2> >(quiet >&2); }
ctl() { "${RUN_PREFIX[@]}" "$@" 2> >(quiet >&2); }  # stop, inspect, logs, rm ...

# ---- the fake Bot API on 127.0.0.1 (tests/fake_bot_api.py, standard library only) ---------------------
work=$(mktemp -d)
trap 'touch "$work/done"; sleep 0.3; rm -rf "$work"' EXIT
start_fake_api() {  # writes $work/url; answers until $work/done; $work/result: the bot's reply or "none"
  rm -f "$work/url" "$work/result" "$work/done"
  python3 - "$work" "$QUESTION" >"$work/api.log" 2>&1 <<'PY' &
import sys, time
from pathlib import Path
sys.path.insert(0, ".")
from tests.fake_bot_api import FakeBotApi
work, question = Path(sys.argv[1]), sys.argv[2]
with FakeBotApi() as api:
    api.fail("getMe", status=502, times=2)  # a network blip at start: the bot must retry, not exit
    api.message(4242, question)
    (work / "url").write_text(api.base_url)
    deadline = time.monotonic() + 150
    while not api.sent() and time.monotonic() < deadline and not (work / "done").exists():
        time.sleep(0.1)
    sent = api.sent()
    (work / "result").write_text(sent[0]["text"].splitlines()[0] if sent else "none")
    while not (work / "done").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
PY
  for _ in $(seq 100); do [ -s "$work/url" ] && break; sleep 0.1; done
  [ -s "$work/url" ] || fail "the fake Bot API did not start: $(cat "$work/api.log")"
  URL=$(cat "$work/url")
}
wait_result() {
  for _ in $(seq 1500); do [ -s "$work/result" ] && break; sleep 0.1; done
  cat "$work/result" 2>/dev/null || echo none
}

if [ "$can_run" = 1 ]; then
  # 1. console answer
  answer=$(run --rm "$IMAGE" python scripts/ask.py "$QUESTION" 2>&1) || fail "ask.py: $answer"
  answer=$(quiet <<<"$answer")
  say "console: $(printf '%s' "$answer" | head -n 1)"
  case "$answer" in *"$EXPECT"*) ;; *) fail "ask.py did not answer $EXPECT: $answer" ;; esac
  case "$answer" in *"Dump cache file failed"* | *PermissionError*) fail "jieba cache: $answer" ;; esac
  # 2. health check script
  health=$(run --rm "$IMAGE" python scripts/healthcheck.py 2>&1) || fail "healthcheck: $health"
  health=$(quiet <<<"$health")
  say "healthcheck: $health"
  # 3. the bot as the image starts it, against the fake Bot API
  start_fake_api
  name=programme-bot-check-$$
  started=$(date +%s)
  run -d --name "$name" --network host -e TELEGRAM_BOT_TOKEN=123:TEST -e TELEGRAM_BASE_URL="$URL" \
    "$IMAGE" >/dev/null || fail "could not start the bot container"
  reply=$(wait_result)
  say "bot replied after $(($(date +%s) - started)) s (getMe failed twice first): $reply"
  if [ "$ENGINE" = podman ]; then
    ctl healthcheck run "$name" >/dev/null && say "HEALTHCHECK of the running container: healthy" || fail "HEALTHCHECK: unhealthy"
  else
    ctl exec "$name" python scripts/healthcheck.py >/dev/null && say "health check in the running container: ok" || fail "health check in the running container"
  fi
  t0=$(date +%s.%N)
  ctl stop -t 10 "$name" >/dev/null
  stop_s=$(since "$t0")
  code=$(ctl inspect -f '{{.State.ExitCode}}' "$name")
  logs=$(ctl logs "$name" 2>&1)
  ctl rm -f "$name" >/dev/null
  touch "$work/done"
  say "stop while serving: $stop_s s, exit code $code"
  case "$reply" in *"$EXPECT"*) ;; *) fail "the bot did not answer $EXPECT: $reply; log: $logs" ;; esac
  case "$logs" in *"Dump cache file failed"* | *PermissionError* | *Traceback*) fail "bot log: $logs" ;; esac
  below "$stop_s" 8 || fail "stop took ${stop_s}s: SIGTERM did not reach the bot"
  # 4. stop during the start-up rebuild
  run -d --name "$name" "$IMAGE" >/dev/null
  sleep 1
  t0=$(date +%s.%N)
  ctl stop -t 10 "$name" >/dev/null
  stop_s=$(since "$t0")
  ctl rm -f "$name" >/dev/null
  say "stop during the start-up rebuild: $stop_s s"
  below "$stop_s" 8 || fail "stop during the rebuild took ${stop_s}s"
else
  # The same checks, less the entrypoint's signal handling, inside a build step on top of the image (with
  # chroot isolation a RUN step shares the host's network, so it reaches the fake Bot API on 127.0.0.1).
  [ "$ENGINE" = podman ] || fail "docker cannot run containers"
  start_fake_api
  smoke=(podman build --isolation "${PODMAN_ISOLATION:-chroot}" --network host --build-arg "URL=$URL" -t "$IMAGE-smoke" -f - .)
  started=$(date +%s)
  "${smoke[@]}" >"$work/smoke.log" 2>&1 <<EOF
FROM $IMAGE
ARG URL
RUN python scripts/ask.py $QUESTION && python scripts/healthcheck.py \\
 && TELEGRAM_BOT_TOKEN=123:TEST TELEGRAM_BASE_URL=\$URL timeout --preserve-status -s TERM 30 \\
    sh -c 'python scripts/build_kb.py; exec python -m bot'
EOF
  rc=$?
  reply=$(wait_result)
  touch "$work/done"
  grep -E "^汝阳县|^ok:" "$work/smoke.log" | sed 's/^/docker_check: in the image: /'
  say "bot (python -m bot in a build step, getMe failing twice first) replied: $reply"
  podman rmi -f "$IMAGE-smoke" >/dev/null 2>&1
  [ $rc = 0 ] || { tail -n 30 "$work/smoke.log"; fail "smoke build step (exit $rc)"; }
  grep -q "$EXPECT" <<<"$reply" || fail "the bot did not answer $EXPECT"
  if grep -q -E "Dump cache file failed|PermissionError|Traceback" "$work/smoke.log"; then
    fail "errors in the log: $(grep -E 'Dump cache|PermissionError|Traceback' "$work/smoke.log" | head -n 3)"
  fi
  say "SIGTERM: the bot stopped cleanly within timeout's 30 s (tini and 'stop' not exercised: no container run here)"
fi
say "passed"
